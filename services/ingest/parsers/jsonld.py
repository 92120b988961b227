"""schema.org ``LiveBlogPosting`` in JSON-LD: each ``liveBlogUpdate`` is an entry.

Publishers' JSON-LD is often sloppy (trailing commas, raw newlines, several blocks,
``@graph`` wrappers, a single object where a list is expected); a block that cannot
be read is skipped with a warning rather than sinking the page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from services.ingest.parsers.dates import parse_instant
from services.ingest.parsers.furniture import is_furniture
from services.ingest.parsers.model import Entry, ParseResult
from services.ingest.parsers.text import decode

_TAGS = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


def parse_jsonld(content: bytes, *, page_date: date | None = None) -> ParseResult:
    """Entries of every LiveBlogPosting found in the page's JSON-LD blocks."""
    tree = LexborHTMLParser(decode(content))
    warnings: list[str] = []
    entries: list[Entry] = []
    found_date: date | None = None
    for n, script in enumerate(tree.css('script[type="application/ld+json"]'), start=1):
        data = _load(script.text(deep=True), n, warnings)
        for blog in _liveblogs(data):
            stamp = parse_instant(blog.get("datePublished")) or parse_instant(blog.get("dateModified"))
            found_date = found_date or (stamp.date() if stamp else None)
            for item in _as_list(blog.get("liveBlogUpdate")):
                entry = _entry(item)
                if entry is not None:
                    entries.append(entry)
    if not entries:
        warnings.append("JSON-LD has no readable liveBlogUpdate entries")
    return ParseResult("jsonld", entries, found_date or page_date, warnings)


def _load(raw: str, n: int, warnings: list[str]) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        pass
    try:  # the commonest breakage: control characters inside strings
        return json.loads(raw, strict=False)
    except (ValueError, RecursionError) as exc:
        warnings.append(f"malformed JSON-LD block {n} skipped: {str(exc)[:120]}")
        return None


def _liveblogs(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:  # structured data is shallow; deep nesting is junk, not more blogs
        return
    if isinstance(data, list):
        for item in data:
            yield from _liveblogs(item, depth + 1)
    elif isinstance(data, dict):
        types = [str(t).rsplit("/", 1)[-1] for t in _as_list(data.get("@type"))]
        if "LiveBlogPosting" in types:
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _liveblogs(data[key], depth + 1)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _entry(item: Any) -> Entry | None:
    if not isinstance(item, dict):
        return None
    headline = _clean(item.get("headline") or item.get("name"))
    body = _body(item.get("articleBody") or item.get("text") or item.get("description"))
    if not body:
        if not headline:
            return None
        body, headline = headline, ""  # a headline-only post: its headline is its text
    url = item.get("url") if isinstance(item.get("url"), str) else None
    ident = item.get("@id") if isinstance(item.get("@id"), str) else url
    return Entry(headline=headline or None, body=body, url=url, entry_id=ident,
                 published_at=parse_instant(item.get("datePublished"))
                 or parse_instant(item.get("dateCreated")))


def _clean(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(html.unescape(_TAGS.sub(" ", value)).split())


def _body(value: Any) -> str:
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str):
        return ""
    if "<" in value and _TAGS.search(value):
        # Some CMSs put the rendered HTML in articleBody: keep its paragraph breaks.
        value = re.sub(r"(?i)</?(p|br|li|h[1-6]|div|blockquote)\b[^>]{0,500}>", "\n", value)
        value = LexborHTMLParser(value).text(deep=True, separator="") or ""
    else:
        value = html.unescape(value)
    lines = (_SPACE.sub(" ", ln).strip() for ln in value.splitlines())
    return "\n".join(ln for ln in lines if ln and not is_furniture(ln))
