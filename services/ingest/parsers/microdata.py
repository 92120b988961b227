"""schema.org ``LiveBlogPosting`` in microdata: each ``itemprop="liveBlogUpdate"`` is an entry.

Read with selectolax rather than a full microdata extractor: we need four properties
of one item type, and it must stay fast on multi-megabyte pages.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.ingest.parsers.dates import parse_instant
from services.ingest.parsers.dom import has_inner
from services.ingest.parsers.furniture import is_caption, is_furniture
from services.ingest.parsers.model import Entry, ParseResult
from services.ingest.parsers.text import decode

_SPACE = re.compile(r"\s+")
_PARAS = "p,li,blockquote,h2,h3,h4,h5,h6"


def parse_microdata(content: bytes, *, page_date: date | None = None) -> ParseResult:
    """Entries of the page's microdata live blog."""
    tree = LexborHTMLParser(decode(content))
    tree.strip_tags(["script", "style", "noscript", "figure", "figcaption", "aside", "nav"])
    found_date = page_date
    blog = tree.css_first('[itemtype*="schema.org/LiveBlogPosting"]')
    if blog is not None:
        stamp = _prop_time(blog, "datePublished") or _prop_time(blog, "dateModified")
        found_date = stamp.date() if stamp else page_date
    entries = [e for node in tree.css('[itemprop~="liveBlogUpdate"]') if (e := _entry(node))]
    warnings = [] if entries else ["microdata has no readable liveBlogUpdate entries"]
    return ParseResult("microdata", entries, found_date, warnings)


def _entry(node: LexborNode) -> Entry | None:
    head = _first_prop(node, "headline") or _first_prop(node, "name")
    headline = _text(head) if head is not None else ""
    body_node = _first_prop(node, "articleBody") or _first_prop(node, "text")
    paras = _paragraphs(body_node if body_node is not None else node, skip=headline)
    if not paras:
        return None
    url_node = _first_prop(node, "url")
    url = None
    if url_node is not None:
        url = url_node.attributes.get("href") or url_node.attributes.get("content")
    ident = node.attributes.get("itemid") or node.attributes.get("id") or url
    return Entry(headline=headline or None, body="\n".join(paras), url=url, entry_id=ident,
                 published_at=_prop_time(node, "datePublished"))


def _first_prop(node: LexborNode, name: str) -> LexborNode | None:
    return node.css_first(f'[itemprop~="{name}"]')


def _prop_time(node: LexborNode, name: str) -> datetime | None:
    prop = _first_prop(node, name)
    if prop is None:
        return None
    value = prop.attributes.get("datetime") or prop.attributes.get("content") or _text(prop)
    return parse_instant(value)


def _paragraphs(node: LexborNode, skip: str) -> list[str]:
    blocks = [n for n in node.css(_PARAS) if not has_inner(n, _PARAS)]
    texts = [_text(n) for n in blocks] if blocks else _text(node, "\n").split("\n")
    out = []
    for text in texts:
        text = _SPACE.sub(" ", text).strip()
        if text and text != skip and not is_furniture(text) and not is_caption(text):
            out.append(text)
    return out


def _text(node: LexborNode, separator: str = "") -> str:
    return node.text(deep=True, separator=separator) or ""

