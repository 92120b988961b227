"""Background: markers that set a trigger in the past or in a running total rather
than in the news ("since 2022", "the war has killed thousands", "in 2019" before the
update's own year), and the fresh dates that bring it back ("overnight", "on Monday").

Background reaches a trigger from its own clause or from before it ("Since 2022,
..."), not from a clause set off after it ("..., the first strike since 2022").
"""

from __future__ import annotations

import re

from schemas.models import Label
from services.classify.rules.base import compile_rule
from services.classify.text.anchors import anchor_keys

_QUAL = r"(?:more\s+than|over|at\s+least|nearly|almost|about|some|around)"
_BIG = r"(?:\d{1,3}(?:,\d{3})+|\d{4,}|\d+(?:\.\d+)?\s+million|tens\s+of\s+thousands|hundreds\s+of\s+thousands|thousands|millions)"
# Years are read relative to the update's own date (``background_markers``): "in 2019"
# is background in a 2024 update, "in 2025" is not.
_YEAR = r"(?P<year>(?:19|20)\d\d)\b(?!\s*(?:-|–|to)\s*\d)"
BACKGROUND = compile_rule(
    r"\bsince\s+(?:the\s+(?:start|beginning|outbreak|onset)\s+of\s+)?(?:(?:russia|israel|moscow|putin|"
    r"hamas)'?s?\s+)?(?:(?:the\s+)?full-scale\s+)?(?:war|invasion|conflict|fighting|hostilities|full-scale|"
    r"it\s+began|the\s+war|the\s+conflict|the\s+invasion|"
    r"(?:russia|moscow|israel|hamas|the\s+rsf|putin)\s+(?:launched|began|invaded|started))\b|"
    r"\bsince\s+(?:(?:early|late|mid-?|the\s+(?:start|end|beginning)\s+of)\s+)?(?:(?:january|february|march|"
    r"april|may|june|july|august|september|october|november|december)\s+)?(?:19|20)\d\d\b|"
    r"\bsince\s+(?:the\s+)?(?:7\s+october|october\s+7)\b|"
    # an anniversary recalls its event: "Israel marks two years since the attack"
    r"\b(?:anniversary|commemorat\w+|mark(?:s|ed|ing)?\s+(?:\w+\s+){0,2}?(?:years?|months?)\s+since)\b|"
    r"\b(?:so\s+far\s+(?:in|during|this)\s+(?:the\s+)?(?:war|year|conflict)|throughout\s+the\s+(?:war|conflict)|"
    r"over\s+the\s+course\s+of\s+the\s+(?:war|conflict)|during\s+the\s+(?:[\w-]+\s+){0,2}?(?:war|occupation|siege)|"
    r"to\s+date|in\s+total|cumulative\w*|last\s+year|(?:a|one|two|three|several)\s+years?\s+ago)\b|"
    r"\b(?:in|during)\s+(?:(?:early|late|mid-?)\s*)?(?:(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\s+)?" + _YEAR + "|"
    r"\b(?:war|conflict|invasion|offensive|fighting|campaign|bombardment)\s+(?:[\w-]+\s+){0,3}?(?:has|have|"
    r"had)\s+(?:now\s+)?(?:killed|displaced|left|forced|wounded|claimed|uprooted)\b|"
    rf"\b(?:has|have|had)\s+(?:now\s+)?(?:been\s+)?(?:killed|displaced|wounded|uprooted|injured)\s+(?:{_QUAL}\s+)?{_BIG}"
    rf"|\b{_BIG}\s+(?:of\s+)?(?:[\w-]+\s+){{0,2}}?(?:have|had)\s+(?:now\s+)?been\s+(?:killed|displaced|injured|wounded)"
    rf"|\bdeath\s+toll\s+(?:[\w-]+\s+){{0,4}}?(?:passed|surpassed|topped|exceeded|reached|rose\s+to|stands\s+at)\s+"
    rf"(?:{_QUAL}\s+)?\d{{1,3}},\d{{3}}",)
# Words just before a marker that make it describe the news rather than date it:
# "detained since 2022" (how long a captive was held), "the first ... since 2006" (a record).
_NOT_BACKGROUND_BEFORE = compile_rule(
    r"\b(?:held|detained|captured|taken|imprisoned|jailed|captivity|abducted|kidnapped|missing|seized|"
    r"first|largest|biggest|worst|deadliest|heaviest|highest|longest|broadest|widest|only|most)\b")
# A marker set off after the trigger by one of these describes it (see ``judge.Judge``).
HARD_SEP = re.compile(r"[,;:—–(]")


BACKGROUND_ANCHORS = ("since", "so far", "throughout", "course of", "during", "to date", "in total", "cumulativ",
                      "last year", "ago", "anniversar", "commemorat", "in early", "in late", "in mid", "has ", "have ", "had ", "death toll",
                      *(str(year) for year in range(1900, 2100)))  # a year, for "in 2019", "in May 2022"
BACKGROUND_KEYS = anchor_keys(BACKGROUND_ANCHORS)


def background_markers(low: str, start: int, end: int, year: int) -> list[tuple[int, int]]:
    """Spans of background markers in low[start:end] ("since 2022", "the war has killed
    thousands", "in 2019" before ``year``), leaving out those that describe the news."""
    found = []
    for m in BACKGROUND.finditer(low, start, end):
        y = m.group("year")
        if y is not None and int(y) >= year:
            continue
        if _NOT_BACKGROUND_BEFORE.search(low, max(start, m.start() - 70), m.start()):
            continue
        found.append((m.start(), m.end()))
    return found


FRESH = compile_rule(
    r"\b(?:today|tonight|overnight|this\s+(?:morning|afternoon|evening|week)|yesterday|on\s+(?:monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|last\s+night|earlier\s+today|in\s+the\s+past\s+"
    r"(?:24|48)\s+hours|within\s+(?:24|48)\s+hours|hours\s+ago|(?:in\s+)?the\s+past\s+(?:week|few\s+days|"
    r"\d+\s+days)|on\s+(?:\w+\s+)?(?:\d{1,2}|\w+day)|this\s+month|"
    r"since\s+(?:\d{1,2}\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)"
    r"|(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2})"
    r"(?!\s*,?\s*\d{4})(?<!7 october)(?<!october 7))\b")

# How much a background sentence still counts for each label. Cumulative aid
# ("has delivered $58bn since 2022") supports an aid story without making one.
BACKGROUND_FACTOR: dict[Label, float] = {
    Label.CIVILIAN_HARM: 0.0, Label.ESCALATION: 0.0, Label.PRISONER_EXCHANGE: 0.0, Label.AID: 0.5,
}
