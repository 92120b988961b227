"""Property tests of the page parsers beyond tests/unit/test_parsers.py (which feeds any
bytes and mixes of text shapes to auto-detection): every parser kind forced on any
content, and markup-shaped garbage, give entries with text or a ParseError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.parsers import KINDS, ParseError, parse_page

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CONTENT_TYPES = st.none() | st.sampled_from([
    "text/html", "text/html; charset=utf-8", "application/rss+xml", "application/atom+xml",
    "text/plain; charset=latin-1", "application/json", "application/ld+json", "text/xml",
    "text/html; charset=no-such-charset", "", "*/*"])
PIECES = st.sampled_from([
    "<html>", "</html>", "<body>", "<article id='p1'>", "</article>", "<h2>", "</h2>", "<p>", "</p>",
    "<time datetime='2026-02-30T25:61:00Z'>", "</time>", "<div itemscope itemtype='https://schema.org/BlogPosting'>",
    "<span itemprop='articleBody'>", "<script type='application/ld+json'>", "</script>",
    '{"@context": "https://schema.org", "@type": "LiveBlogPosting", "liveBlogUpdate": [',
    '{"@type": "BlogPosting", "articleBody": ', '"", "datePublished": "yesterday"}', "]}", "null",
    "<?xml version='1.0'?>", "<rss><channel>", "<item><title>", "</title>", "<description>",
    "</description></item>", "<feed xmlns='http://www.w3.org/2005/Atom'><entry>", "</entry></feed>",
    "UPDATE 1420 GMT:", "12:05", "Key developments", "- ", "\u200b", "\x00", "&amp;", "&#0;", "<!--",
    "-->", "<![CDATA[", "]]>", "Shelling killed three civilians in the district, officials said.",
])


def _entries_have_text(content: bytes, content_type: str | None, kind: str | None) -> None:
    try:
        result = parse_page(content, content_type=content_type, url="https://example.org/live", kind=kind)
    except ParseError as exc:
        assert str(exc)
        return
    assert all(e.body.strip() for e in result.entries), "no empty entry"
    assert result.kind in KINDS


@FUZZ
@given(content=st.binary(max_size=3000), content_type=CONTENT_TYPES,
       kind=st.none() | st.sampled_from(KINDS))
def test_any_bytes_with_any_parser_forced_give_entries_or_a_parse_error(
        content: bytes, content_type: str | None, kind: str | None) -> None:
    _entries_have_text(content, content_type, kind)


@FUZZ
@given(pieces=st.lists(PIECES, max_size=60), content_type=CONTENT_TYPES,
       kind=st.none() | st.sampled_from(KINDS), encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_markup_shaped_garbage_gives_entries_or_a_parse_error(
        pieces: list[str], content_type: str | None, kind: str | None, encoding: str) -> None:
    content = "".join(pieces).encode(encoding, errors="replace")
    _entries_have_text(content, content_type, kind)
