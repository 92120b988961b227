"""RSS 2.0 and Atom feeds (via feedparser): each item is an entry, its guid the page's id."""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from services.ingest.parsers.furniture import is_furniture
from services.ingest.parsers.model import Entry, ParseError, ParseResult

_BLOCK_TAGS = re.compile(r"(?i)</?(p|br|li|h[1-6]|div|blockquote)\b[^>]{0,500}>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def parse_feed(content: bytes, *, page_date: date | None = None) -> ParseResult:
    """Entries of an RSS or Atom feed; ParseError when it is not a readable feed."""
    parsed = feedparser.parse(content)
    warnings: list[str] = []
    entries = [e for item in parsed.entries if (e := _entry(item))]
    if not entries and parsed.get("bozo"):
        reason = str(parsed.get("bozo_exception") or "unreadable XML")[:160]
        raise ParseError(f"not a readable RSS/Atom feed: {reason}")
    if not entries and not parsed.get("version"):
        raise ParseError("not an RSS/Atom feed: no channel or feed element")
    if parsed.get("bozo"):
        warnings.append(f"feed is not well-formed, read leniently: {parsed.get('bozo_exception')}"[:200])
    if len(entries) < len(parsed.entries):
        warnings.append(f"{len(parsed.entries) - len(entries)} feed item(s) without text skipped")
    if not entries:
        warnings.append("feed has no entries")
    stamp = _instant(parsed.feed.get("updated_parsed") or parsed.feed.get("published_parsed"))
    return ParseResult("feed", entries, stamp.date() if stamp else page_date, warnings)


def _entry(item: Any) -> Entry | None:
    headline = _text(item.get("title") or "").replace("\n", " ").strip() or None
    html = ""
    if item.get("content"):
        html = "\n".join(c.get("value", "") for c in item["content"])
    body = _text(html or item.get("summary") or item.get("description") or "")
    if not body:
        if headline is None:
            return None
        body, headline = headline, None  # a title-only item: its title is its text
    link = item.get("link") or None
    return Entry(headline=headline, body=body, url=link, entry_id=item.get("id") or link,
                 published_at=_instant(item.get("published_parsed") or item.get("updated_parsed")))


def _text(value: str) -> str:
    if "<" in value:
        value = _BLOCK_TAGS.sub("\n", value)
        value = LexborHTMLParser(value).text(deep=True, separator="") or ""
    lines = (_SPACE.sub(" ", ln).strip() for ln in value.splitlines())
    return "\n".join(ln for ln in lines if ln and not is_furniture(ln))


def _instant(parsed: time.struct_time | None) -> datetime | None:
    if parsed is None:
        return None
    # feedparser normalises to UTC struct_time; timegm reads it as such.
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
