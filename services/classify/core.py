"""The pure classifier core: Update -> ClassifiedUpdate, by transparent sentence rules.

How a label is decided: every trigger phrase of the label (``rules`` and the
``rules_*`` modules) found in the text is checked in its clause and sentence for
negation, denial, hypotheticals and background (``judge``, ``cues``). Each trigger that
survives adds its weight; weights combine by noisy-OR into the label's score
(1 - prod(1 - w)). A blocked trigger adds a fifth of its weight, so the score
still says "the words are there" without reaching a threshold. A label is
decided when its score reaches its threshold; its evidence is the sentences
holding the surviving triggers, as offsets into ``update.text``.

Severity: see ``severity``.

No I/O, clock or environment: the caller passes ``classified_at``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from schemas.models import ClassifiedUpdate, Label, Span, Update
from services.classify.facts.extract import extract_facts
from services.classify.facts.severity import severity
from services.classify.rules.aid import AID_RULES
from services.classify.rules.arms import ARMS_RULES
from services.classify.rules.base import Trigger
from services.classify.rules.displacement import DISPLACEMENT_RULES
from services.classify.rules.escalation import ESCALATION_RULES
from services.classify.rules.exchange import EXCHANGE_RULES
from services.classify.rules.fronts import FRONT_RULES
from services.classify.rules.harm import HARM_RULES
from services.classify.rules.judge import Judge
from services.classify.rules.pacts import PACT_RULES
from services.classify.rules.relief import RELIEF_RULES
from services.classify.rules.weapons import WEAPON_RULES
from services.classify.text.anchors import indices
from services.classify.text.segment import Segments

_LABELS = tuple(Label)
DEFAULT_THRESHOLDS: Mapping[Label, float] = MappingProxyType({label: 0.5 for label in _LABELS})
_RULES: tuple[Trigger, ...] = (HARM_RULES + DISPLACEMENT_RULES + ESCALATION_RULES + FRONT_RULES + PACT_RULES +
                               WEAPON_RULES +
                               AID_RULES + ARMS_RULES + RELIEF_RULES + EXCHANGE_RULES)
# each rule with what the loop reads of it, looked up once
_PLAN = tuple((rule, rule.keys.slot, -1 if rule.leads is None else rule.leads.slot, rule.context, rule.pattern.search,
               bool(rule.needs or rule.check)) for rule in _RULES)
_BLOCKED_SHARE = 0.2  # what a blocked trigger still adds to its label's score


class Classifier:
    """Labels updates with sentence-level rules; safe to share between threads."""

    VERSION = "rules-1.3"

    def __init__(self, thresholds: Mapping[Label, float] | None = None) -> None:
        merged = dict(DEFAULT_THRESHOLDS)
        for label, value in (thresholds or {}).items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"threshold for {label} must be in [0, 1], got {value}")
            merged[Label(label)] = value
        self.thresholds: Mapping[Label, float] = MappingProxyType(merged)

    def classify(self, update: Update, *, classified_at: datetime) -> ClassifiedUpdate:
        """Score every label, decide, collect evidence, facts and severity."""
        text = update.text
        seg = Segments(text)
        low, starts, ends = seg.lowered, seg.starts, seg.ends
        misses = dict.fromkeys(_LABELS, 1.0)  # product of (1 - w) per label
        sentences: dict[Label, set[int]] = {label: set() for label in _LABELS}
        judge = Judge(text, seg, update.first_seen_at.year)
        masks = seg.masks()
        for rule, slot, lead, context, search, fits in _PLAN:
            mask = masks[slot] if lead < 0 else masks[slot] & masks[lead]
            if not mask or context is not None and not judge.update_has(context, (mask & -mask).bit_length() - 1):
                continue
            for index in indices(mask):
                end = ends[index]
                m = search(low, starts[index], end)
                if m is None:
                    continue
                if fits and not judge.sentence_fits(rule, index):
                    continue  # the sentence lacks a word the rule needs (cached per sentence)
                weight = None
                while m is not None:
                    found = judge.weight(rule, index, m.start(), m.end())
                    if found is not None and (weight is None or found > weight):
                        weight = found
                    if weight == rule.weight:
                        break
                    m = search(low, m.end(), end)  # what finditer would find next: matches are never empty
                if weight is None:
                    continue
                if weight > 0:
                    misses[rule.label] *= 1.0 - weight
                    sentences[rule.label].add(index)
                else:
                    misses[rule.label] *= 1.0 - rule.weight * _BLOCKED_SHARE
        scores = {label: round(1.0 - misses[label], 4) for label in _LABELS}
        labels = [label for label in _LABELS if scores[label] >= self.thresholds[label]]
        evidence = {label: _spans(text, seg, sentences[label]) for label in labels}
        facts = extract_facts(text, seg)
        return ClassifiedUpdate(
            update=update, labels=labels, scores=scores, evidence=evidence, facts=facts,
            severity=severity(labels, facts), classifier_version=self.VERSION,
            classified_at=classified_at)


def _spans(text: str, seg: Segments, indices: set[int]) -> list[Span]:
    spans = []
    for index in sorted(indices):
        start, end = seg.sentence(index)
        spans.append(Span(start=start, end=end, text=text[start:end]))
    return spans
