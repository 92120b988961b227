"""Cutting a run of lines into entries: the block heuristics shared by plain text and HTML.

A page is either *marker-led* ("UPDATE 1519 GMT:" opens each entry, so everything up
to the next marker belongs to it, sub-headings included) or *heading-led* (a short,
title-shaped line opens an entry; a digest heading such as "What you need to know"
opens the page's own summary; a very short section heading opens a list whose
items are entries of their own). Headings are found by the shape of the line, not by
its words, so the rules carry over to outlets we have not seen.
"""

from __future__ import annotations

from datetime import date

from services.ingest.parsers.dates import Marker, parse_instant, parse_marker, resolve
from services.ingest.parsers.headings import by_headings
from services.ingest.parsers.lines import Line, is_heading
from services.ingest.parsers.model import Entry


def segment(lines: list[Line], page_date: date | None, warnings: list[str], *,
            marked_headings: bool = False) -> list[Entry]:
    """Entries of a page given as lines (furniture already removed).

    ``marked_headings``: the page marks its headings up (HTML h2-h6), so line shape is
    not consulted — a bold sentence is not taken for a headline.
    """
    markers = [(i, m) for i, line in enumerate(lines)
               if line.tag not in ("time", "intro") and (m := _marker(line)) is not None]
    headings = sum(1 for line in lines if line.tag == "h")
    # Marked-up headings outnumbering the stamps mean a stamp sits inside each headed
    # entry (above or below its heading): headings cut, stamps only date.
    numbered = any(lines[i].tag == "n" for i, _ in markers)
    if (len(markers) >= 2 or numbered) and not (marked_headings and headings >= len(markers)):
        return _by_markers(lines, markers, page_date, warnings, marked_headings)
    marker_at = dict(markers)
    stamped = []
    for i, line in enumerate(lines):
        marker = marker_at.get(i)
        if marker is None or marker.rest:
            stamped.append(line)
        elif (instant := resolve(marker, page_date)) is not None:
            stamped.append(Line(instant.isoformat(), "time"))
    return by_headings(stamped, marked_headings)


def _marker(line: Line) -> Marker | None:
    # A numbered post heading opens an entry the way a time stamp does, and is its headline.
    return Marker(None, None, "") if line.tag == "n" else parse_marker(line.text)


def _by_markers(lines: list[Line], markers: list[tuple[int, Marker]], page_date: date | None,
                warnings: list[str], marked: bool) -> list[Entry]:
    # Before the first marker sit the title, prompts, captions, links and perhaps the page's
    # own digest, or a post whose stamp is out of view: only what survives the heading
    # rules with a substantial body counts.
    entries = by_headings(lines[: markers[0][0]], marked, head=True)
    unresolved = False
    for k, (start, marker) in enumerate(markers):
        end = markers[k + 1][0] if k + 1 < len(markers) else len(lines)
        stamps = [s for ln in lines[start + 1: end] if ln.tag == "time" and (s := parse_instant(ln.text))]
        chunk = [ln for ln in lines[start + 1: end] if ln.tag != "time"]
        headline = lines[start].text if lines[start].tag == "n" else None
        paras = [marker.rest] if marker.rest else []
        if headline is None and not paras and len(chunk) >= 2 and is_heading(chunk[0], marked):
            headline, chunk = chunk[0].text, chunk[1:]
        chunk = _trim_bare_headings(chunk, marked, leading=headline is not None)
        paras += [ln.text for ln in chunk]
        if not paras:
            if chunk or end != start + 1:  # two stamps in a row ("2h ago", "16:45") are one
                warnings.append(f"timestamp marker with no text skipped: {lines[start].text[:60]!r}")
            continue
        # A machine-readable stamp in the entry beats a clock time read against the page date.
        published = stamps[0] if stamps else resolve(marker, page_date)
        entries.append(Entry(headline, "\n".join(paras), published_at=published))
        unresolved = unresolved or (published is None and marker.clock is not None)
    if unresolved:
        warnings.append("no page date found: times of timestamped entries left unset")
    return entries


def _trim_bare_headings(chunk: list[Line], marked: bool, leading: bool) -> list[Line]:
    """An entry's lines without the headline-like lines that have no body of their own:
    at its end (alt text, a related link) and, under its headline, before its first
    paragraph (bylines, alt text)."""
    def bare(line: Line) -> bool:  # short: a long unpunctuated line is a sentence cut short
        return line.tag is None and len(line.text.split()) <= 12 and is_heading(line, marked)

    while chunk and bare(chunk[-1]):
        chunk = chunk[:-1]
    while leading and chunk and bare(chunk[0]):
        chunk = chunk[1:]
    return chunk
