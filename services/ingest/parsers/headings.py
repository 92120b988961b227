"""Heading-led pages: a headline opens an entry, a digest heading the page's summary.

Three kinds of heading are told apart by shape: a headline (opens one entry that
runs to the next heading), a very short section heading or a list intro ending in
":" (each paragraph or bullet under it is an entry of its own, tagged with the
section), and a digest heading ("What you need to know": one summary entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from services.ingest.parsers.dates import parse_instant
from services.ingest.parsers.draft import Draft
from services.ingest.parsers.framing import DEVELOPMENTS, continues, title_cased
from services.ingest.parsers.lines import DIGEST, Line, heading_shaped, is_dateline, is_heading
from services.ingest.parsers.model import Entry


@dataclass
class _Walk:
    lines: list[Line]
    marked: bool
    min_words: int = 12  # for an entry with no headline
    title_case_page: bool = False  # the page's own headlines are Title Case
    entries: list[Entry] = field(default_factory=list)
    section: str | None = None
    cur: Draft | None = None
    listing: Literal["", "all", "bullets"] = ""  # under a section: each item is an entry
    pending: datetime | None = None  # a time stamp waiting for the entry it belongs to

    def close(self, last: bool = False) -> None:
        if self.cur is not None and (entry := self.cur.close(self.min_words, last=last)) is not None:
            self.entries.append(entry)
        self.cur = None

    def related(self, line: Line, nxt: Line | None) -> bool:
        """A headline-like line inside an entry that heads no body of its own: a link to
        another article (Title Case link text on a page whose headlines are not), or a
        line the entry's own text carries on after ("He added ...")."""
        if line.tag is not None or self.cur is None or not self.cur.paras or nxt is None \
                or is_heading(nxt, self.marked) or nxt.tag is not None:
            return False
        return (not self.title_case_page and title_cased(line.text)) or continues(nxt.text)

    def is_list(self, line: Line) -> bool:
        """Whether the paragraphs under a very short heading are each news of their own (a
        key-events section), not one entry's paragraphs: two or more, none carrying on
        from the one before it or opening with a quotation."""
        start = next(i for i, ln in enumerate(self.lines) if ln is line) + 1
        paras = []
        for ln in self.lines[start:]:
            if ln.tag == "time":
                continue
            if is_heading(ln, self.marked):
                break
            paras.append(ln.text)
        return len(paras) >= 2 and not any(continues(t) or t[:1] in "\"“'‘" for t in paras[1:])

    def heading(self, line: Line, nxt: Line | None, first: bool) -> None:
        if self.related(line, nxt):
            return
        self.close()
        if self.listing:  # a list's section ends with the list
            self.section, self.listing = None, ""
        words = len(line.text.split())
        if DIGEST.match(line.text):
            self.cur = Draft(None, kind="summary", section=line.text)
        elif first and line.tag is None:
            pass  # the first line of an unmarked page is its title
        elif nxt is None or is_heading(nxt, self.marked):
            if words <= 4:  # a short heading over other headings frames what follows
                self.section = line.text
        elif words <= 3 and self.is_list(line):
            self.section, self.listing = line.text, "all"
        elif nxt.tag == "li" and (words <= 6 or DEVELOPMENTS.search(line.text)):
            self.section, self.listing = line.text, "bullets"
        else:
            self.cur = Draft(line.text, section=self.section, published=self.pending,
                             entry_id=line.ref)
            self.pending = None

    def paragraph(self, line: Line, nxt: Line | None) -> None:
        if self.listing == "bullets" and line.tag != "li":
            self.section, self.listing = None, ""
        if self.cur is not None and self.cur.kind == "summary" and self.cur.bullets \
                and line.tag != "li":
            self.close()  # a bulleted digest ends where its bullets end
        if _list_intro(line, nxt) and DIGEST.match(line.text) and self.cur is None:
            # "What you need to know:" over bullets: the page's digest, one summary.
            self.cur = Draft(None, kind="summary", section=line.text.rstrip(": "))
            return
        if self.cur is not None and self.cur.paras and is_dateline(line.text):
            self.close()  # a wire-style dateline opens the next entry
        if _list_intro(line, nxt) and (self.cur is None or self.cur.headline is None):
            # "Key developments on Tuesday:" over bullets: each bullet is an entry.
            self.close()
            self.section, self.listing = line.text.rstrip(": "), "bullets"
            return
        if self.listing or (self.cur is None and line.tag == "li"):
            single = Draft(None, section=self.section, published=self.pending, paras=[line.text])
            if (entry := single.close(min_words=4, listed=True)) is not None:
                self.entries.append(entry)
            self.pending = None
            return
        if self.cur is None:
            self.cur, self.pending = Draft(None, section=self.section, published=self.pending), None
        self.cur.paras.append(line.text)
        self.cur.bullets = self.cur.bullets or line.tag == "li"

    def stamp(self, line: Line) -> None:
        stamp = parse_instant(line.text)
        if self.cur is not None and not self.cur.paras and self.cur.published is None:
            self.cur.published = stamp
        else:
            self.pending = stamp


def _list_intro(line: Line, nxt: Line | None) -> bool:
    return (line.tag is None and nxt is not None and nxt.tag == "li"
            and line.text.endswith(":") and len(line.text.split()) <= 12)


def by_headings(lines: list[Line], marked: bool, *, head: bool = False) -> list[Entry]:
    """Entries of a page whose entries open with headings (or have none at all).

    ``head``: the lines are a page's head above its first time stamp, where only a
    substantial headless block (a post whose stamp is out of view) is an entry.
    """
    lines = lines if head else _last_line_is_body(lines, marked)
    shaped = [ln.text for ln in lines if ln.tag is None and heading_shaped(ln.text)]
    walk = _Walk(lines, marked, min_words=40 if head else 12,
                 title_case_page=2 * sum(map(title_cased, shaped)) > len(shaped))
    content = [i for i, ln in enumerate(lines) if ln.tag != "time"]
    following = dict(zip(content, content[1:], strict=False))
    for idx, line in enumerate(lines):
        nxt = lines[following[idx]] if idx in following else None
        if line.tag == "intro":
            continue  # only there to say that the page opened with its introduction
        if line.tag == "time":
            walk.stamp(line)
        elif is_heading(line, marked):
            walk.heading(line, nxt, first=idx == content[0])
        else:
            walk.paragraph(line, nxt)
    walk.close(last=True)
    return walk.entries


def _last_line_is_body(lines: list[Line], marked: bool) -> list[Line]:
    # A page cut short can end in a headline and the first words of its body, which look
    # like another headline: read that last line as the body it is.
    content = [i for i, ln in enumerate(lines) if ln.tag != "time"]
    if len(content) >= 2:
        last, before = lines[content[-1]], lines[content[-2]]
        if last.tag is None and is_heading(last, marked) and is_heading(before, marked):
            return [*lines[: content[-1]], Line(last.text, "p"), *lines[content[-1] + 1:]]
    return lines
