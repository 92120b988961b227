"""Sentence marks for the learned model: which sentences the rules read as not news.

A sentence whose news is denied ("Moscow denied that its missiles hit the hospital") or
that only recalls the past ("Thousands have been killed since 2022", "the town marks ten
years since the massacre") is read by the model as different words: its features get a
prefix (``den:``, ``bg:``). Words seen only that way in training weigh little or nothing,
so such a sentence cannot carry a label on the strength of its words alone; where real
text shows a marked word does matter, the model learns it. The cues are the rules' own
(``denial``, ``background``).
"""

from __future__ import annotations

from services.classify.rules import background, denial
from services.classify.text.segment import Segments

DENIED, BACKGROUND = "den:", "bg:"


def sentence_marks(seg: Segments, year: int) -> list[str]:
    """Per sentence of ``seg``: ``den:``, ``bg:`` or ``""``; ``year`` is the update's."""
    low = seg.lowered
    marks = []
    for i, (start, end) in enumerate(zip(seg.starts, seg.ends, strict=True)):
        mark = ""
        if seg.holds(denial.DENIAL_KEYS, i) and denial.denied_from(low, start, end) == start:
            mark = DENIED
        elif seg.holds(background.BACKGROUND_KEYS, i) and \
                background.background_markers(low, start, end, year) and \
                not background.FRESH.search(low, start, end):
            mark = BACKGROUND
        marks.append(mark)
    return marks
