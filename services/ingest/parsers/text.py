"""Plain-text live blogs, and the clean-up every unstructured page goes through.

``decode`` turns bytes into text or refuses them (empty, binary); ``prepare`` drops
furniture, splits datelines from what is glued to them and finds the page date.
"""

from __future__ import annotations

import codecs
import re
from datetime import date

from services.ingest.parsers.blocks import segment
from services.ingest.parsers.dates import find_page_date, parse_instant, parse_marker
from services.ingest.parsers.framing import drop_alt_text, drop_teaser_runs, is_intro
from services.ingest.parsers.furniture import is_caption, is_furniture, split_dateline
from services.ingest.parsers.lines import Line, heading_shaped
from services.ingest.parsers.model import ParseError, ParseResult

_BULLET = re.compile(r"^[•·▪◦‣*\-–—]\s+")
_SPACE = re.compile(r"\s+")
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_NUMBERED = re.compile(r"^\d{1,3}\.\s+(?P<rest>\S.*)$")
# "...crisispublished at 15:39 Greenwich Mean Time 28 February 2022" glued to a heading
_PUBLISHED = re.compile(r"\s*published at \d{1,2}[:.]\d{2}\b.*$", re.I)


def decode(content: bytes, content_type: str | None = None) -> str:
    """The content as text; ParseError when it is empty or not text at all."""
    if not content.strip():
        raise ParseError("empty page")
    head = content[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = content.decode("utf-16", errors="replace")
    elif b"\x00" in head:
        raise ParseError("binary content (not text)")
    else:
        text = _decode_8bit(content, content_type)
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise ParseError("binary content (not text)")
    if not text.strip():
        raise ParseError("empty page")
    return text


def _decode_8bit(content: bytes, content_type: str | None) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(content_type or "") or _CHARSET.search(
        content[:4096].decode("ascii", errors="ignore"))
    if declared:
        try:
            return content.decode(declared.group(1), errors="replace")
        except LookupError:
            pass
    # Mostly-UTF-8 with a stray byte is far commoner than real cp1252 these days.
    text = content.decode("utf-8", errors="replace")
    return text if text.count("\ufffd") < 20 else content.decode("cp1252", errors="replace")


def prepare(lines: list[Line], page_date: date | None) -> tuple[list[Line], date | None]:
    """Furniture out, bullets marked, datelines split; and the page's date."""
    head = " ".join(ln.text for ln in lines[:20] if ln.tag != "time")[:4000]
    stamped = next((s for ln in lines if ln.tag == "time" and (s := parse_instant(ln.text))), None)
    # A printed date first; failing that the caller's; failing that the first machine stamp.
    page_date = find_page_date(head) or page_date or (stamped.date() if stamped else None)
    cleaned = [Line(text, ln.tag, ln.ref) for ln in lines if (text := _SPACE.sub(" ", ln.text).strip())]
    out: list[Line] = []
    kept = drop_alt_text(cleaned)
    for n, line in enumerate(kept):
        text, tag = line.text, line.tag
        if tag == "time":
            out.append(line)
            continue
        if is_furniture(text):  # before a dash is read as a bullet: "— Jane Doe" signs off
            continue
        if tag is None and _BULLET.match(text):
            text, tag = _BULLET.sub("", text), "li"
        if tag in (None, "li") and (heading := _numbered_heading(text)):
            out.append(Line(heading, "n", line.ref))
            continue
        if parse_marker(text):
            # "4:05 p.m. ET, March 12, 2025" opens an entry: not a dateline or caption to drop.
            out.append(Line(text, tag, line.ref))
            continue
        dated, rest = split_dateline(text)
        if dated:
            # Keep only a heading glued on after the date; prose after a date is no dateline.
            if not rest or is_furniture(rest) or is_caption(rest):
                continue
            out.append(Line(text, tag, line.ref) if not heading_shaped(rest)
                       else Line(rest, "h" if tag == "h" else None, line.ref))
            continue
        # An introduction ending in ":" over bullets is kept: it makes each bullet an entry.
        over_list = text.endswith(":") and n + 1 < len(kept) and _is_bullet(kept[n + 1])
        if is_intro(text) and not over_list:
            if n == 0:  # a page that opens with its introduction has no title line after it
                out.append(Line(text, "intro"))
            continue
        if is_furniture(text) or is_caption(text):
            continue
        out.append(Line(text, tag, line.ref))
    return drop_teaser_runs(out), page_date


def _is_bullet(line: Line) -> bool:
    return line.tag == "li" or (line.tag is None and bool(_BULLET.match(line.text)))


def _numbered_heading(text: str) -> str | None:
    """The heading of a numbered post ("2. Kharkiv bombarded", "1. Title published at
    15:39 ..."): any short numbered line that does not end like a sentence or a list item
    of a numbered list of phrases ("1. Going to work;")."""
    match = _NUMBERED.match(text)
    if match is None:
        return None
    rest = _PUBLISHED.sub("", match.group("rest")).strip()
    ok = 2 <= len(rest.split()) <= 20 and rest.rstrip("'\"’”)* ")[-1:] not in ".,;:"
    return rest if ok else None


def parse_text(content: bytes, *, content_type: str | None = None,
               page_date: date | None = None) -> ParseResult:
    """A plain-text live blog: one paragraph per line, blank lines optional."""
    text = decode(content, content_type)
    lines, found_date = prepare([Line(ln) for ln in text.splitlines()], page_date)
    warnings: list[str] = []
    entries = segment(lines, found_date, warnings)
    return ParseResult("text", entries, found_date, warnings)
