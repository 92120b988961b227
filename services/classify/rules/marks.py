"""Sentence marks for the learned model: which sentences the rules read as not news.

A sentence whose news is denied ("Moscow denied that its missiles hit the hospital"),
that only recalls the past ("Thousands have been killed since 2022", "the town marks ten
years since the massacre"), or whose harm has another cause (a flood, an accident, a court
case) is read by the model as different words: its features get a prefix (``den:``,
``bg:``, ``alt:``). Words seen only that way in training weigh little or nothing,
so such a sentence cannot carry a label on the strength of its words alone; where real
text shows a marked word does matter, the model learns it. The cues are the rules' own
(``denial``, ``background``).
"""

from __future__ import annotations

import re

from schemas.models import Label
from services.classify.rules import background, cues, denial
from services.classify.text.segment import Segments

_OTHER_CAUSE = cues.SENTENCE_NEGATION[Label.CIVILIAN_HARM]
_OTHER_GATE = cues.GATES.get(id(_OTHER_CAUSE))
_ACCIDENT_WORDS = ("accident", "flooded", "inundated", "collision", "derail", "engine room", "explosion",
                   "short circuit", "electrical fault", "fire")

DENIED, BACKGROUND, OTHER_CAUSE = "den:", "bg:", "alt:"
# harm of another cause: a disaster, an accident, a court case (``cues.SENTENCE_NEGATION``) or
# an accident the rules do not list there
_ACCIDENT = re.compile(r"\b(?:accident\w*|flooded|inundated|collisions?|derail\w*|engine\s+room|(?:gas|boiler)\s+explosion|"
                       r"short\s+circuit|electrical\s+fault|(?:house|apartment|kitchen)\s+fire|caught\s+fire\s+"
                       r"(?:after|due))\b")
# "no casualties were reported", "nobody was hurt", "there were no injuries"
NO_HARM = re.compile(r"\b(?:no|without)\s+(?:\w+\s+){0,2}?(?:casualties|injuries|injured|victims|deaths|dead|"
                     r"fatalities|damage)\b|\bno\s*(?:one|body)\s+(?:was|were)\s+(?:\w+\s+)?(?:hurt|injured|"
                     r"killed|wounded)\b|\bnobody\s+(?:was\s+)?(?:hurt|injured|killed|wounded)\b")


def sentence_marks(seg: Segments, year: int) -> list[str]:
    """Per sentence of ``seg``: ``den:``, ``bg:`` or ``""``; ``year`` is the update's."""
    low = seg.lowered
    accidents = any(word in low for word in _ACCIDENT_WORDS)  # most texts name none: skip the regex
    marks = []
    for i, (start, end) in enumerate(zip(seg.starts, seg.ends, strict=True)):
        mark = ""
        if seg.holds(denial.DENIAL_KEYS, i) and denial.denied_from(low, start, end) == start:
            mark = DENIED
        elif seg.holds(background.BACKGROUND_KEYS, i) and \
                background.background_markers(low, start, end, year) and \
                not background.FRESH.search(low, start, end):
            mark = BACKGROUND
        elif ((_OTHER_GATE is None or _OTHER_GATE.may_hold(seg, i)) and _OTHER_CAUSE.search(low, start, end)
              or accidents and _ACCIDENT.search(low, start, end)):
            mark = OTHER_CAUSE
        marks.append(mark)
    return marks
