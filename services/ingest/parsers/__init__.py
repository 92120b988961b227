"""Cutting a live-blog page into its entries: one parser per way of publishing.

``parse_page`` is the entry point: it picks a parser (given, or by ``detect``), runs
it, and falls back to the generic HTML heuristics when structured data turns out to
be empty or broken. It is pure (bytes in, entries out) and raises nothing but
``ParseError`` for bad input.
"""

from __future__ import annotations

import re
from datetime import date

from services.ingest.parsers.model import Entry, ParseError, ParseResult

__all__ = ["KINDS", "Entry", "ParseError", "ParseResult", "detect", "parse_page"]

KINDS = ("jsonld", "microdata", "feed", "text", "html")

_FEED_TYPE = re.compile(r"(rss|atom|rdf)\+xml|/xml\b|text/xml", re.I)
_FEED_ROOT = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(rss|feed|rdf:RDF)\b",
                        re.I | re.S)
_HTML_SNIFF = re.compile(rb"<(!doctype html|html|head|body|p|div|article|h[1-6])\b", re.I)
_JSONLD = re.compile(rb"application/ld\+json", re.I)
_LIVEBLOG = re.compile(rb"\"@?type\"\s*:\s*(\[[^\]]*)?\"(https?://schema\.org/)?LiveBlogPosting\"", re.I)
_MICRODATA = re.compile(rb"itemtype\s*=\s*[\"']?https?://schema\.org/LiveBlogPosting", re.I)


def detect(content: bytes, content_type: str | None, url: str | None) -> str:
    """Which parser suits the content: one of ``KINDS``."""
    head = content[:4096]
    ctype = (content_type or "").lower()
    if "html" not in ctype and (_FEED_TYPE.search(ctype) or _FEED_ROOT.match(head)):
        return "feed"
    path = (url or "").lower().split("?")[0]
    is_html = "html" in ctype or path.endswith((".htm", ".html")) or bool(_HTML_SNIFF.search(head))
    if not is_html:
        return "text"
    if _JSONLD.search(content) and _LIVEBLOG.search(content):
        return "jsonld"
    if _MICRODATA.search(content):
        return "microdata"
    return "html"


def parse_page(content: bytes, *, content_type: str | None = None, url: str | None = None,
               kind: str | None = None, page_date: date | None = None) -> ParseResult:
    """The entries of one page, newest first as the page orders them.

    ``kind`` forces a parser; ``page_date`` is used when the page prints no date of
    its own (timestamp markers need one to become instants).
    """
    if kind is not None and kind not in KINDS:
        raise ParseError(f"unknown parser kind {kind!r}: expected one of {', '.join(KINDS)}")
    try:
        return _parse(content, content_type, url, kind, page_date)
    except ParseError:
        raise
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError) as exc:
        # Third-party parsers meet hostile input too; the caller's contract is ParseError.
        raise ParseError(f"unreadable page: {exc.__class__.__name__}: {str(exc)[:160]}") from exc


def _parse(content: bytes, content_type: str | None, url: str | None, kind: str | None,
           page_date: date | None) -> ParseResult:
    from services.ingest.parsers import feed, html, jsonld, microdata, text

    text.decode(content[:65536], content_type)  # empty or binary input fails here, early
    chosen = kind or detect(content, content_type, url)
    notes: list[str] = []
    if chosen == "feed":
        return feed.parse_feed(content, page_date=page_date)
    if chosen == "jsonld":
        found = jsonld.parse_jsonld(content, page_date=page_date)
        if found.entries:
            return found
        notes += found.warnings
        chosen = "microdata" if _MICRODATA.search(content) else "html"
    if chosen == "microdata":
        found = microdata.parse_microdata(content, page_date=page_date)
        if found.entries:
            return ParseResult(found.kind, found.entries, found.page_date, notes + found.warnings)
        notes += found.warnings
        chosen = "html"
    if chosen == "html":
        result = html.parse_html(content, content_type=content_type, page_date=page_date)
    else:
        result = text.parse_text(content, content_type=content_type, page_date=page_date)
    # A source declared as text/html is a live blog by its owner's word, and a growing
    # blog starts with one entry; only guessing (auto, or a structured-data fallback)
    # needs two entries to tell a live blog from an article.
    try:
        _require_live_blog(result, minimum=1 if kind in ("text", "html") else 2)
    except ParseError as exc:
        # Say why the structured data did not count: that is what the publisher must fix.
        raise ParseError("; ".join([str(exc), *notes])) from None
    return ParseResult(result.kind, result.entries, result.page_date, notes + result.warnings)


def _require_live_blog(result: ParseResult, minimum: int) -> None:
    # Without structured data, one block of prose is an ordinary article, not a live blog.
    updates = [e for e in result.entries if e.kind == "update"]
    if len(updates) >= minimum:
        return
    found = f"found {len(updates)} entr{'y' if len(updates) == 1 else 'ies'} in the page text"
    if minimum == 1:
        raise ParseError(f"not a live blog: {found}")
    hint = (f" (declare kind = '{result.kind}' if it is a live blog with one entry so far)"
            if len(updates) == 1 else "")
    raise ParseError(f"not a live blog: {found}, need at least {minimum}{hint}")
