"""Atom feeds (RFC 4287) of the live feed and of a subscription's alerts. Pure: no clock, no I/O.

Entry ids are ``urn:uuid`` names derived from the update id (live feed) or the
alert id (a subscription's feed): the same entry keeps its id across requests and
restarts, and a revised update keeps its id with a later ``updated``. Entries come
newest first. ``not_modified`` answers conditional GETs from the ETag (a digest of
the document) and Last-Modified (the newest entry).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # XML 1.0 cannot carry these


@dataclass(frozen=True)
class Entry:
    key: str  # what the entry stands for, e.g. "update:<id>"; its id is derived from it
    title: str
    updated: datetime
    text: str  # the content, plain text
    link: str | None = None
    published: datetime | None = None
    source: str | None = None
    categories: Sequence[str] = field(default_factory=tuple)


def entry_id(key: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://frontwire.dev/{key}"))


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    node.text = _NOT_XML.sub("", value)
    return node


def _when(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def render(*, key: str, title: str, self_url: str, home_url: str,
           entries: Sequence[Entry]) -> tuple[bytes, datetime]:
    """The feed document, and its ``updated`` time (the newest entry's; the epoch when empty)."""
    ET.register_namespace("", ATOM)
    ordered = sorted(entries, key=lambda e: e.updated, reverse=True)
    updated = ordered[0].updated if ordered else EPOCH
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", entry_id(key))
    _text(feed, "title", title)
    _text(feed, "updated", _when(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url,
                                            "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": home_url,
                                            "type": "text/html"})
    _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name", "frontwire")
    _text(feed, "generator", "frontwire")
    for item in ordered:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(node, "id", entry_id(item.key))
        _text(node, "title", item.title)
        _text(node, "updated", _when(item.updated))
        if item.published is not None:
            _text(node, "published", _when(item.published))
        if item.link:
            ET.SubElement(node, f"{{{ATOM}}}link", {"rel": "alternate", "href": item.link})
        if item.source:
            _text(ET.SubElement(node, f"{{{ATOM}}}author"), "name", item.source)
        for term in item.categories:
            ET.SubElement(node, f"{{{ATOM}}}category", {"term": term})
        _text(node, "content", item.text, type="text")
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body, updated


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def last_modified(updated: datetime) -> str:
    return format_datetime(updated.astimezone(UTC), usegmt=True)


def not_modified(headers: Mapping[str, str], tag: str, updated: datetime) -> bool:
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    match = headers.get("if-none-match")
    if match is not None:
        offered = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in offered or tag in offered
    since = headers.get("if-modified-since")
    if since:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return updated.replace(microsecond=0) <= when
    return False
