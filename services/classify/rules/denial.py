"""Denials: a sentence whose news is denied ("Moscow denied that its missiles hit the
hospital", "dismissed the reports as fake") reports no harm, no aid, no swap; a denial
of who did it ("the RSF denied involvement") leaves what the sentence reported before it.
"""

from __future__ import annotations

from services.classify.rules.base import compile_rule
from services.classify.text.anchors import anchor_keys

DENIAL = compile_rule(
    r"\b(?:denied|denies|deny|denying|dismissed\s+(?:the\s+)?(?:reports?|claims?|allegations?)|"
    r"rejected\s+(?:the\s+)?(?:claims?|reports?|allegations?)|refuted|refutes|falsely\s+claim\w*|"
    r"fake\s+news|disinformation|fabricat\w+|baseless|untrue|fact-check\w*|debunk\w*|staged|doctored|"
    r"misattributed)\b")
# "did not deny", "neither confirmed nor denied": not a denial.
DENIAL_UNDONE = compile_rule(r"(?:\bnot|n't|\bnor|\bnever)\s+(?:\w+\s+)?$")
# A denial by the accused of its own part ("denied involvement", "denied targeting civilians",
# "denied that its forces were behind it") disputes who did it and what it says, not what the
# sentence reported before it; a denial of reports or claims disputes the news itself.
_ROLE = compile_rule(
    r"\s+(?:(?:any|all|its|their)\s+)?(?:involvement|responsibility|role|part|blame|links?|connection)\b|"
    # "denied targeting civilians", "denied sending missiles", "denied that its forces had fired"
    r"\s+(?:having\s+)?\w+ing\b|\s+(?:that\s+)?(?:it|they|its\s+\w+|their\s+\w+)\s+(?:had\s+|has\s+|was\s+|were\s+)?\w+")


def denied_from(low: str, start: int, end: int) -> int | None:
    """Where the denials in low[start:end] begin to deny: ``start`` (the whole sentence)
    for a denial of the news, the denial itself for a denial of a role only, None when
    nothing is denied ("did not deny" affirms)."""
    reach = None
    for m in DENIAL.finditer(low, start, end):
        if DENIAL_UNDONE.search(low, max(start, m.start() - 16), m.start()):
            continue
        if not _ROLE.match(low, m.end()):
            return start
        if reach is None:
            reach = m.start()
    return reach


# Literals one of which every denial holds: sentences without any are skipped.
DENIAL_ANCHORS = ("denied", "denies", "deny", "denying", "dismissed", "rejected", "refute", "falsely", "fake news",
                  "disinformation", "fabricat", "baseless", "untrue", "fact-check", "debunk", "staged", "doctored",
                  "misattributed")
DENIAL_KEYS = anchor_keys(DENIAL_ANCHORS)
