"""Scoring a page's cut against its gold: found, real, and what each phantom entry is.

Pure: gold rows and predicted texts in, a ``Score`` out. The rule is the one in
../shared/eval/LABELS.md (token Jaccard >= 0.8 between a gold update and an entry).
A phantom is a predicted entry that matches no gold entry; it is given a kind by its
shape so the report says *why* the cut went wrong: a photo ``caption``, a ``related``
headline (or the half of an entry cut off under one), a page ``intro`` or sign-off,
or ``other``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

THRESHOLD = 0.8
TARGET = 0.95
PHANTOM_KINDS = ("caption", "related", "intro", "other")
_WORD = re.compile(r"\w+")
_CAPTION = re.compile(
    r"\b(photo(graph)?|pic|image( caption| source)?|getty images|ap photo|afp|reuters|epa|efe"
    r"|shutterstock|credit)\b\s*[:/]|[\[(][^\])]{0,80}/[^\])]{0,80}[\])]|\(AP Photo", re.I)
_INTRO = re.compile(
    r"\b(here (is|are|'s|’s)|welcome to|as the war enters|live (coverage|page|blog|updates|reporting)"
    r"|liveblog(ged)?|follow (our|all|the|us)|we('ll|’ll| will)? (take a look|close|pause|be back)"
    r"|thank(s| you) for (reading|joining)|now closed|these updates)\b", re.I)


@dataclass(frozen=True)
class Score:
    doc: str
    gold: int
    predicted: int
    found: float
    real: float
    phantoms: Mapping[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.found >= TARGET and self.real >= TARGET

    def phantom_note(self) -> str:
        """"caption 2, related 1" or "-"."""
        parts = [f"{kind} {self.phantoms[kind]}" for kind in PHANTOM_KINDS if self.phantoms.get(kind)]
        return ", ".join(parts) or "-"


def tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def phantom_kind(text: str) -> str:
    """What a phantom entry most likely is, judged by its shape."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if any(_CAPTION.search(ln) for ln in lines):
        return "caption"
    if _INTRO.search(text):
        return "intro"
    # A headline with little or nothing under it: a related-article link or teaser,
    # or the tail of an entry that such a line cut off.
    if lines and len(lines[0].split()) <= 20 and not lines[0].rstrip().endswith((".", ":")):
        return "related"
    return "other"


def score(doc: str, gold: Sequence[Mapping[str, object]], predicted: Sequence[str]) -> Score:
    """Found and real for one page; found is 1.0 on a page with no gold update to find."""
    pred = [tokens(t) for t in predicted]
    gold_updates = [tokens(str(g["text"])) for g in gold if g["kind"] == "update"]
    gold_all = [tokens(str(g["text"])) for g in gold]
    found = sum(any(jaccard(g, p) >= THRESHOLD for p in pred) for g in gold_updates)
    matched = [any(jaccard(p, g) >= THRESHOLD for g in gold_all) for p in pred]
    phantoms = Counter(phantom_kind(text) for text, ok in zip(predicted, matched, strict=True) if not ok)
    return Score(doc, len(gold_updates), len(pred),
                 found / len(gold_updates) if gold_updates else 1.0,
                 sum(matched) / len(pred) if pred else float(not gold_updates),
                 dict(phantoms))
