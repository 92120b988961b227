"""What frames the entries of a page without being one: introductions, teasers, alt text.

Each rule is about the *role* a line plays on a page, read from its shape and its
neighbours, never from the wording of one outlet:

* an introduction or sign-off announces the coverage rather than reporting news
  ("As the war enters its 100th day, here are the main developments", "X liveblogged
  Monday's events as they happened", "Follow our live page...");
* a picture's alt text sits right above its caption, which repeats it with a credit;
* a run of bare headlines (bullets or not), none with a body of its own, is a list of
  links to other articles or to the page's own posts, not news;
* (a dateline, "KYIV, Ukraine — ...", opening a headless wire entry, is told in blocks).
"""

from __future__ import annotations

import re

from services.ingest.parsers.lines import DIGEST, Line, heading_shaped

_INTRO = re.compile(
    r"(\bas the\b.{0,60}\benters its \w+(-\w+)? (day|week|month|year)\b"
    r"|\blive ?blog(ged|ging)?\b.{0,60}\bas (they|it) (happened|unfolded)\b"
    r"|^welcome to (our|the)\b.{0,60}\b(coverage|live)"
    r"|\b(follow|listen to)\b.{0,60}\b(live ?blog|live page|live coverage|live updates|podcast)\b"
    r"|^(here (is|are|'s|’s)|below,? (is|are|you('ll| will| can)? find)|these are)\b.{0,80}"
    r"\b(developments|headlines|events|situation|latest|overview|recap|main points|key points)\b"
    r"|\bbelow,? you (will|can) find\b"
    r"|\bwe (take|took) a look at the\b.{0,30}\bdevelopments\b"
    r"|^all times (are|stated)\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_ELLIPSIS = ("...", "…")
# A heading over a list of developments, each bullet of which is news of its own.
DEVELOPMENTS = re.compile(r"\b(developments|key events|main events|what we know|headlines)\b", re.I)
# First words with which a paragraph carries on from the one before it.
_CONTINUING = {"he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those",
               "but", "and", "however", "also", "still", "yet", "so", "then"}
_SMALL = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "with", "as",
          "from", "is", "are", "vs", "but", "into", "over", "after"}


def is_intro(text: str) -> bool:
    """A page's introduction or sign-off: it announces the coverage, it is not news."""
    return len(text.split()) <= 80 and bool(_INTRO.search(text))


def title_cased(text: str) -> bool:
    """Link text in Title Case: nearly every word but the small ones capitalised."""
    words = [w.strip("'\"‘’“”()[]:,") for w in text.split()]
    big = [w for w in words if w and w.lower() not in _SMALL and w[0].isalpha()]
    return len(big) >= 3 and all(w[0].isupper() for w in big)


def continues(text: str) -> bool:
    """A paragraph that carries on from the one before it ("He added ...", "but ...")."""
    first = text.split(maxsplit=1)[0].strip("'\"‘’“”(,") if text.split() else ""
    return bool(first) and (first[0].islower() or first.lower() in _CONTINUING)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def drop_alt_text(lines: list[Line]) -> list[Line]:
    """Lines without a picture's alt text: a line that the next one repeats at its start
    (the caption with its credit), and a line printed twice in a row (both copies)."""
    out = []
    twice = False
    for i, line in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        stem = line.text
        for tail in _ELLIPSIS:
            stem = stem.removesuffix(tail).rstrip()
        if twice or line.tag == "time":
            twice = False
            if line.tag == "time":
                out.append(line)
            continue
        if len(stem) >= 20 and nxt.startswith(stem):
            twice = nxt == line.text
            continue
        out.append(line)
    return out


def _teaser(line: Line) -> bool:
    # Link titles are short; a longer unpunctuated bullet is a development ("..., he said").
    return (line.tag in (None, "li") and len(line.text.split()) <= 15 and heading_shaped(line.text)
            and not DIGEST.match(line.text) and not line.text.endswith(":"))


def drop_teaser_runs(lines: list[Line]) -> list[Line]:
    """Lines without runs of bare headlines: two or more in a row, mostly bullets, or three
    or more with a bullet among them. Key developments are sentences; links are titles.
    Kept: such a run under a digest heading ("Key points": the page's own digest), and
    one that is only part of a list whose other bullets are sentences."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _teaser(lines[j]):
            j += 1
        run = lines[i:j]
        bullets = sum(1 for ln in run if ln.tag == "li")
        digest = bool(out) and bool(DIGEST.match(out[-1].text))
        in_list = bool(run) and ((bool(out) and out[-1].tag == "li")
                                 or (j < len(lines) and lines[j].tag == "li"))
        if not (digest or in_list) and len(run) >= 2 and (2 * bullets > len(run) or (len(run) >= 3 and bullets)):
            i = j
            continue
        out.extend(run or [lines[i]])
        i = max(j, i + 1)
    return out
