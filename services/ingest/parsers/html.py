"""Generic HTML with no live-blog markup: main-text extraction, then the block heuristics.

The page is reduced to its paragraph-level elements in document order (headings,
paragraphs, list items, time stamps) after the page chrome is cut away; those lines
go through the same clean-up and segmentation as plain text.
"""

from __future__ import annotations

import re
from datetime import date

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.ingest.parsers.blocks import segment
from services.ingest.parsers.dates import parse_marker
from services.ingest.parsers.dom import (
    container_id,
    drop_furniture,
    has_inner,
    main_node,
    text_lines,
)
from services.ingest.parsers.framing import ends_sentence
from services.ingest.parsers.lines import Line
from services.ingest.parsers.model import ParseResult
from services.ingest.parsers.text import decode, prepare

# Chrome, media and code: never entry text.
_DROP_TAGS = ["script", "style", "noscript", "template", "nav", "aside", "footer", "figure",
              "figcaption", "form", "button", "svg", "iframe", "select", "dialog", "menu"]
_BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,blockquote,pre,dd,dt,time"
_INNER_BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,blockquote,pre,dd,dt"
_STAMPS = ",[class*=time],[class*=date]"
_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "time"}
_SPACE = re.compile(r"\s+")
_BR = re.compile(r"(?i)<br\s*/?>")


def parse_html(content: bytes, *, content_type: str | None = None,
               page_date: date | None = None) -> ParseResult:
    """A live blog published as plain HTML (no schema.org markup)."""
    # <br> between words would glue them together once tags are gone.
    tree = LexborHTMLParser(_BR.sub("\n", decode(content, content_type)))
    raw = html_lines(tree)
    lines, found_date = prepare(raw, page_date)
    warnings: list[str] = []
    marked = sum(1 for ln in raw if ln.tag == "h") >= 2
    entries = segment(lines, found_date, warnings, marked_headings=marked)
    return ParseResult("html", entries, found_date, warnings)


def html_lines(tree: LexborHTMLParser) -> list[Line]:
    """The main text of a parsed page as tagged lines, chrome removed."""
    tree.strip_tags(_DROP_TAGS)
    drop_furniture(tree)
    root = main_node(tree)
    if root is None:
        return []
    lines: list[Line] = []
    for node in root.css(_BLOCKS + _STAMPS):
        if node.tag == "time" or node.tag not in _TAGS:
            for stamp in _stamp_lines(node):
                if stamp not in lines[-2:]:  # a stamp wrapped in a stamp is one stamp
                    lines.append(stamp)
            continue
        if has_inner(node, _INNER_BLOCKS):
            continue  # its inner blocks come on their own
        line = _SPACE.sub(" ", node.text(deep=True, separator="")).strip()
        if _link_only(node, line):
            continue  # a related article's headline, linked: never an entry, never a cut
        if line and node.tag != "h1":  # h1 is the page's title, not an entry
            tag = _tag(node)
            lines.append(Line(line, tag, container_id(node) if tag == "h" else None))
    refs = [ln.ref for ln in lines if ln.tag == "h"]
    if len(set(refs)) < len(refs) or None in refs:
        # An id shared by several headings is the blog's container, not an entry's own id.
        lines = [Line(ln.text, ln.tag) for ln in lines]
    covered = sum(len(ln.text) for ln in lines if ln.tag != "time")
    total = len(_SPACE.sub(" ", root.text(deep=True, separator=" ")))
    if covered < total / 2:
        # Most text sits in bare <div>s or between <br>s: read the page as lines of text.
        return text_lines(root)
    return lines


def _stamp_lines(node: LexborNode) -> list[Line]:
    """A time stamp: its machine-readable instant, and its printed form when that is a
    marker standing on its own ("16.05 GMT" above a headline-less post)."""
    lines = []
    text = _SPACE.sub(" ", node.text(deep=True, separator=" ")).strip()
    parent = node.parent
    standalone = parent is None or parent.tag not in _TAGS
    if text and standalone and not has_inner(node, _INNER_BLOCKS) and parse_marker(text):
        lines.append(Line(text))
    stamp = node.attributes.get("datetime") if node.tag == "time" else None
    if stamp:
        lines.append(Line(stamp, "time"))
    return lines


def _link_only(node: LexborNode, text: str) -> bool:
    """A paragraph or bullet that is nothing but one link whose text is no sentence."""
    if node.tag not in ("p", "li", "dd", "dt") or not text or ends_sentence(text):
        return False
    links = node.css("a")
    return len(links) == 1 and _SPACE.sub(" ", links[0].text(deep=True)).strip() == text


def _tag(node: LexborNode) -> str | None:
    if node.tag in ("h2", "h3", "h4", "h5", "h6"):
        return "h"
    if node.tag == "li":
        return "li"
    return None
