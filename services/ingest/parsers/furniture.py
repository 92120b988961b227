"""Page furniture: lines that sit on a live-blog page but are no part of any entry.

Each rule describes a *kind* of furniture found across outlets (credits, prompts,
sign-offs, datelines), never the wording of one page, so it holds on unseen blogs.
"""

from __future__ import annotations

import re

from services.ingest.parsers.dates import find_page_date, strip_leading_date

_WHOLE_LINE = [
    # captions and credits: "Map: ...", "Photo: ...", "Image credit: ...", "Pic: AP"
    r"^(photo(graph)?|image|picture|pic|map|graphic|illustration|credit|caption|video)s?"
    r"( credit| caption| source)?\s*[:,]",
    # related-article links and navigation
    r"^(related|read more|see also|more on this( story)?|recommended|most read|read next|also read"
    r"|further reading|more coverage|more from|you may also like|watch|listen)\b\s*[:\-–—|]",
    r"^(advertisement|sponsored( content)?|skip to (main )?content|loading\W*|show (more|less)"
    r"|load more( updates)?|show latest updates|back to top|copy link|share( this)?( post| article)?"
    r"|listen to this article|comments?|recommended( videos?| stories| articles| reading)?"
    r"|related( stories| articles| coverage| content)?|(watch|play|video|listen)( video| now| live)?"
    r"|full screen|\d{1,3} ?/ ?\d{1,3}|live( updates| reporting| coverage| blog)?( \(closed\))?"
    r"|get involved|find out more|sort by:?.*|(latest|oldest)sort by.*|got a tv licen[cs]e\?"
    r"|why you can trust .{1,40}|all times (are|stated are) .{1,40}|.{0,160} view post)\W*$",
    # a page's staff credits: "Edited by ...", "Live reporting from ...", "Live updates by ..."
    r"^(edited by|live (reporting|updates|coverage) (by|from)|the (writers|editors|reporters) of"
    r" (today's|today’s|this|the) live) ",
    # the blog announcing its own end or pause
    r"^((these|this|our|the) )?(live )?(updates?|live ?blog|blog|coverage|page)( of live coverage)?"
    r" (is|are|has|have)( now)?( been)? (closed|ended|paused|finished)\b",
    r"^we('re| are| have| will|’re)? (now )?(closing|pausing|ending|wrapping up|closed|paused)"
    r" (this|our|the) (live ?blog|live coverage|coverage|updates)\b",
    r"^(thank you|thanks) for (joining|reading|following)\b",
    # link prompts: "Find an interactive map ... here.", "Go to https://... for more coverage"
    r"^(click|find|read|see|watch|listen|follow|go to)\b.{0,120}\b(here|coverage|at)\W*$",
    r"^.{0,80}https?://\S+.{0,40}$",
    # a bare lower-case label or sponsor's name standing alone ("news", "example sponsor")
    r"^(?-i:[a-z]+( [a-z]+){0,2})$",
    # "Copyright 2022 The Agency. All rights reserved"; a page title with its site's name
    r"^copyright\b.{0,80}$",
    r"^[^|]{3,120}( \| [^|]{2,40}){2,}$",
    # agency sign-offs: "ab/xy (AFP, AP, dpa)", "(AFP, Reuters)"
    r"^[a-z]{1,4}(/[a-z]{1,4})+\s*(\([^()]{0,80}\))?$",
    r"^\(\s*[A-Z][\w.&-]*(\s*[,/]\s*[A-Z][\w.&-]*)*\s*\)$",
    r"^\([^()]{0,40}\b(AFP|AP|Reuters|REUTERS|dpa|EFE|ANSA|Xinhua|TASS|UPI)\b[^()]{0,40}\)$",
    # bylines, and an author's sign-off under an entry: "— Jane Doe"
    r"^(by|from) [A-Z][\w'’.-]+( [A-Z][\w'’.-]+){0,3}(\s*(,|and|&|in)\s.{0,60})?$",
    r"^[—–-]\s*[A-Z][\w'’.-]+( [A-Z][\w'’.-]+){0,3}$",
]
_ANYWHERE_SHORT = [
    r"\bclick here\b",
    r"\b(join|follow|subscribe to|find) us on\b",
    r"\b(sign up|subscribe)\b.{0,40}\b(newsletter|alerts|briefing|email)",
    r"\bnewsletter\b.{0,40}\b(sign up|subscribe|inbox)\b",
    r"^your support\b",
    r"\b(support|donate to|help fund) (our|us|independent|quality) (independent )?(journalism|reporting)\b",
    r"\bhelps? us (to )?(tell|keep|continue)\b",
    r"\b(getty images|shutterstock|ap photo|afp photo|epa-efe|/reuters|reuters/|/afp|/ap\b)",
    r"©",
]
_TRIGGERS = ("click", " us ", "sign up", "subscribe", "newsletter", "support", "donate",
             "help", "getty", "shutterstock", "photo", "epa", "reuters", "/a", "©")
_WHOLE = re.compile("|".join(f"(?:{p})" for p in _WHOLE_LINE), re.I)
_SHORT = re.compile("|".join(f"(?:{p})" for p in _ANYWHERE_SHORT), re.I)
_DATELINE_WORDS = re.compile(
    r"^\s*(first |last )?(published|updated|posted|modified|date[d]?|on|at|time)\b\s*:?\s*", re.I)
# A dateline starts with its keyword or the date itself: cheap to rule out for prose lines.
_DATELINE_START = re.compile(
    r"\s*((first |last )?(published|updated|posted|modified|dated?)\b|\d"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d)", re.I)
_CLOCK = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?\s*([A-Z]{2,4}\b)?\s*", re.I)
# A credit closing a caption: bracketed with a slash or "via", or after a "Photo:"-like label.
_CREDIT_END = re.compile(
    r"([\[(][^\[\]()]{2,80}(/| via )[^\[\]()]{1,80}[\])]|\b(photograph|photo|pic|picture|image"
    r"|credit)s?\s*:\s*[^.:]{2,80}|\b(AP|AFP|EPA)( Photo)?/[A-Z].{0,60})\s*$", re.I)
# A picture agency's name closing an unpunctuated line; a news agency's name alone ("said,
# according to AP") closes sentences too, so it counts only after a photographer's slash.
_AGENCY_END = re.compile(r"([^.!?\"”]\s+(getty images|shutterstock)|\w/(reuters|afp|ap|epa(-efe)?))\s*$",
                         re.I)
_ENDS_WITH_DATE = re.compile(r",?\s*\w+ \d{1,2}, (19|20)\d{2}\s*$|,?\s*\d{1,2} \w+ (19|20)\d{2}\s*$")


def is_furniture(line: str) -> bool:
    """True for a line that is page furniture wherever it appears."""
    text = line.strip()
    if not text:
        return True
    if len(text) > 400:  # furniture is short; long lines are prose, and regexes stay cheap
        return False
    if _WHOLE.match(text):  # every whole-line rule is anchored at the start
        return True
    if len(text.split()) > 30:
        return False
    lowered = text.lower()
    # Substring checks first: the regexes below are slow to run over every line of 10 MB.
    return any(t in lowered for t in _TRIGGERS) and bool(_SHORT.search(text))


def is_caption(line: str) -> bool:
    """A photo or video caption: a line that ends with its credit ("(AP Photo/J. Doe)",
    "[NAME / AFP]", "Photograph: Agency/AP", "Getty Images"), or a short, unpunctuated
    line that ends with the date it was taken."""
    text = line.strip()
    words = len(text.split())
    if words > 80:
        return False
    if _CREDIT_END.search(text) or _AGENCY_END.search(text):
        return True
    return words <= 25 and not text.endswith(".") and bool(_ENDS_WITH_DATE.search(text))


def split_dateline(line: str) -> tuple[bool, str]:
    """(is a dateline, what follows it) for "Published October 24, 2024 ... <rest>".

    Extracted pages often glue a dateline to the next heading ("...2024What you need
    to know"); the rest is handed back so the heading is not lost.
    """
    text = line.strip()
    if len(text) > 300 or not _DATELINE_START.match(text) or find_page_date(text) is None:
        return False, line
    rest, previous = text, None
    while rest != previous:  # peel keywords, dates and clock times off the front in turn
        previous = rest
        rest = _DATELINE_WORDS.sub("", rest, count=1)
        rest = _CLOCK.sub("", rest, count=1)
        rest = strip_leading_date(rest).strip(" |,·-–—")
    if rest == text:
        return False, line
    return True, rest
