"""The line model every page parser shares: a paragraph-sized ``Line`` and what its shape
says (a headline, a dateline, a digest heading). Headings are found by the shape of the
line, not by its words, so the rules carry over to outlets we have not seen."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "these", "those", "his",
             "her", "its", "their", "our", "there", "but", "and", "so"}
# The page's own digest, as opposed to a list of developments that are each news.
DIGEST = re.compile(r"^(here'?s )?(what (you need|we) (to )?know|what we know( so far)?|summary"
                     r"|key (points|takeaways)|at a glance|in brief|in short|the latest|catch up"
                     r"|recap|tl;? ?dr|the story so far)\b", re.I)
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’ -]{2,30}(, [A-Z][\w.'’ -]{1,30})?( \((AP|AFP|Reuters|dpa)\))? [—–-]{1,2} \S"
    r"|^[A-Z][A-Z .'’-]{2,30}, [A-Z][a-z]{2,8}\.? \d{1,2} \((Reuters|AP|AFP)\) [—–-] ")
_OPEN_QUOTES = "'\"‘“«("
_CLOSE = "'\"’”)»* "


@dataclass(frozen=True)
class Line:
    """One paragraph-sized piece of a page."""

    text: str
    # "h" heading, "li" bullet, "time" stamp, "n" numbered post heading ("2. Talks resume"),
    # "intro": the introduction a page opens with (no text of any entry)
    tag: str | None = None
    ref: str | None = None  # the page's own id for the entry this line opens (html id)


def heading_shaped(text: str) -> bool:
    """Short, capitalised, and not ending like a sentence: how headlines look everywhere."""
    words = text.split()
    if not 1 <= len(words) <= 20 or len(text) > 160:
        return False
    core = text.rstrip(_CLOSE)
    if not core or core[-1] in ".,;:…!-–—":
        return False
    first = text.lstrip(_OPEN_QUOTES)[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    # A line wholly inside quotation marks is reported speech, not a headline, unless it
    # is a short quoted phrase that does not end like a sentence ("'We need heat now'").
    if text[0] in _OPEN_QUOTES and text[-1] in _CLOSE.strip():
        return len(words) <= 8 and text.rstrip(_CLOSE)[-1:] not in "?!."
    return words[0].lower() not in _PRONOUNS and not is_dateline(text)


def is_dateline(text: str) -> bool:
    """A wire-style paragraph that opens an entry: "KYIV, Ukraine — President ..."."""
    return bool(_DATELINE.match(text))


def is_heading(line: Line, marked: bool) -> bool:
    """A line that opens an entry or a section: marked up as one, or shaped like one."""
    if line.tag == "h":
        return True
    return line.tag is None and not marked and heading_shaped(line.text)
