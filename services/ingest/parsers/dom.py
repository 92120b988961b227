"""Helpers over a parsed HTML tree: cutting away chrome, finding the main text, ids.

Kept apart from the parsers so the generic-HTML and microdata parsers share them.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from services.ingest.parsers.lines import Line

# Class/id words that mark furniture containers across CMSs (share bars, promos, credits).
_FURNITURE_ATTR = re.compile(
    r"(^|[\s_-])(share|sharing|social|related|newsletter|promo|advert|advertisement|ads?|cookie"
    r"|subscribe|subscription|caption|credit|breadcrumbs?|comments?|byline|skip|paywall|outbrain"
    r"|taboola|recommend(ed|ations)?)([\s_-]|$)", re.I)
_CHROME_ROLES = ("navigation", "banner", "contentinfo", "complementary")
# Tags that break a line when a page is read as plain text.
_BREAKING = re.compile(r"(?i)</?(div|p|br|li|h[1-6]|section|article|header|tr|blockquote|ul|ol"
                       r"|dd|dt|table|time)\b[^>]{0,1000}>")


def drop_furniture(tree: LexborHTMLParser) -> None:
    """Remove the elements whose class, id or role marks them as page chrome."""
    doomed = {}
    for node in tree.css("[class], [id], [role]"):
        marks = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _FURNITURE_ATTR.search(marks) or node.attributes.get("role") in _CHROME_ROLES:
            doomed[node.mem_id] = node
    # Only the outermost of nested furniture is removed: removing a node frees its children.
    for node in doomed.values():
        parent, inside = node.parent, False
        while parent is not None and not inside:
            inside, parent = parent.mem_id in doomed, parent.parent
        if not inside:
            node.decompose()


def main_node(tree: LexborHTMLParser) -> LexborNode | None:
    """The element holding the page's main text (``<main>``, a lone ``<article>``, the body)."""
    for selector in ("main", "[role=main]"):
        node = tree.css_first(selector)
        if node is not None:
            return node
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0]
    return tree.body or tree.root


def has_inner(node: LexborNode, selector: str) -> bool:
    """Whether an element *below* ``node`` matches (css_first() would match node itself)."""
    return any(child.css_first(selector) is not None for child in node.iter(include_text=False))


def container_id(node: LexborNode) -> str | None:
    """The id of the element wrapping a heading's entry (``<article id="post-12">``)."""
    current: LexborNode | None = node
    for _ in range(4):
        if current is None:
            return None
        ident = current.attributes.get("id")
        if ident:
            return ident
        current = current.parent
    return None


def text_lines(node: LexborNode) -> list[Line]:
    """The element's text as plain lines, breaking only where block elements break."""
    marked = _BREAKING.sub("\n", node.html or "")
    text = LexborHTMLParser(marked).text(deep=True, separator="") or ""
    return [Line(line) for line in text.splitlines()]
