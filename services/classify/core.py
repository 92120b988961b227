"""The pure classifier core: Update -> ClassifiedUpdate, rules and a learned model combined.

How a label is decided:
1. the rule pass (``rules.engine``) finds trigger phrases and judges each in its sentence
   (negation, denial, hypotheticals, background): a score of the triggers that survive
   and a score of those it blocked;
2. the learned model (``model.linear``), trained on real annotated reports, reads the
   whole text and gives a logit per label;
3. per label, a stacker fitted on held-in data combines the three into one calibrated
   probability; the label is decided when it reaches the label's threshold.

Evidence is the sentences that drove the decision: those holding surviving triggers, and
the sentences the model leans on most (its strongest sentence at least). Facts, places and
severity come from ``facts``. The update's language is detected first; a text in a
language the classifier does not read is marked so, never silently given "no label".

No I/O, clock or environment: the caller passes ``classified_at``; the model artefact is
read once when the first Classifier is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

from schemas.models import ClassifiedUpdate, Label, Span, Update
from services.classify.facts.extract import extract_facts
from services.classify.facts.severity import severity
from services.classify.language import SUPPORTED, detect
from services.classify.model.linear import LinearModel, Reading, load
from services.classify.rules import guards
from services.classify.rules.engine import RuleVerdict, run_rules
from services.classify.rules.marks import NO_HARM, sentence_marks
from services.classify.text.segment import Segments

_LABELS = tuple(Label)
_MAX_MODEL_SENTENCES = 2  # model-picked evidence sentences per label, strongest first
_LOGIT_CLIP = 12.0
_SHORT_SENTENCES = 3
_VETOED = 0.3


class Classifier:
    """Labels updates with rules and a learned model; safe to share between threads.

    ``version`` names both parts, e.g. ``rules-1.4+model-1``; ``thresholds`` default to
    the ones the artefact was trained with."""

    RULES_VERSION = "rules-1.4"

    def __init__(self, thresholds: Mapping[Label, float] | None = None,
                 model: LinearModel | None = None) -> None:
        self.model = model or load()
        merged = {label: stacker.threshold for label, stacker in self.model.stackers.items()}
        for label, value in (thresholds or {}).items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"threshold for {label} must be in [0, 1], got {value}")
            merged[Label(label)] = value
        self.thresholds: Mapping[Label, float] = MappingProxyType(merged)
        self.version = f"{self.RULES_VERSION}+{self.model.version}"

    def classify(self, update: Update, *, classified_at: datetime) -> ClassifiedUpdate:
        """Score every label, decide, collect evidence, facts and severity."""
        text = update.text
        language = detect(text)
        seg = Segments(text)
        facts = extract_facts(text, seg)
        if language not in SUPPORTED:
            return ClassifiedUpdate(
                update=update, labels=[], scores=dict.fromkeys(_LABELS, 0.0), evidence={},
                facts=facts, severity=severity([], facts), classifier_version=self.version,
                classified_at=classified_at, language=language, language_supported=False)
        rules = run_rules(seg, update.first_seen_at.year)
        reading = self.model.read(sentence_texts(seg), sentence_marks(seg, update.first_seen_at.year))
        scores: dict[Label, float] = {}
        for i, label in enumerate(_LABELS):
            inputs = stack_inputs(self.model, reading, rules, i)
            score = self.model.stackers[label].probability(inputs)
            if rules.scores[label] == 0.0 and _vetoed(label, seg, reading, i):
                score = min(score, _VETOED)  # below any threshold, never above it
            scores[label] = round(score, 4)
        labels = [label for label in _LABELS if scores[label] >= self.thresholds[label]]
        evidence = {label: _evidence(seg, reading, rules.sentences[label], _LABELS.index(label))
                    for label in labels}
        return ClassifiedUpdate(
            update=update, labels=labels, scores=scores, evidence=evidence, facts=facts,
            severity=severity(labels, facts), classifier_version=self.version,
            classified_at=classified_at, language=language, language_supported=True)


def _vetoed(label: Label, seg: Segments, reading: Reading, index: int) -> bool:
    """Where no rule trigger of ``label`` survived, whether what the model read is not the
    label's news: "there were no injuries" after a strike, harm with nothing that harms, aid
    with no one it is for, an escalation put as a warning or a possibility (``rules.guards``)."""
    low = seg.lowered
    if guards.lacks_context(label, low):
        return True
    if label is Label.CIVILIAN_HARM:
        return NO_HARM.search(low) is not None
        return True
    best, _ = reading.best_sentence(index)
    return best >= 0 and guards.hypothetical(label, low[seg.starts[best]:seg.ends[best]])


def sentence_texts(seg: Segments) -> list[str]:
    """The text of each sentence, in order (empty ones kept, so indices match ``seg``)."""
    text = seg.text
    return [text[start:end] for start, end in zip(seg.starts, seg.ends, strict=True)]


def stack_inputs(model: LinearModel, reading: Reading, rules: RuleVerdict, index: int
                 ) -> tuple[float, float, float, float, float]:
    """What the stacker of label ``index`` reads:
    - the model's logit for the whole text, and for its most label-like sentence alone (a
      long post that reports one piece of news among others is not diluted by the rest);
    - the rules' score, and the same again for a short text (up to three sentences: a
      headline, a bullet, a wire lead), where a surviving trigger is mostly the news
      itself, unlike in a long post that recalls earlier events;
    - the trap flag. Where the rules found the label's words only negated, denied,
      hypothetical or background in some sentences, the model reads the text without them:
      the rules know that trap, the bag of words does not.
    Logits are clipped to +-12. Training calls this function too."""
    label = _LABELS[index]
    trapped = rules.trapped[label]
    logit = model.logit_without(reading, trapped, index) if trapped else reading.logits[index]
    _, sentence_logit = reading.best_sentence(index, trapped)
    if sentence_logit == -math.inf:
        sentence_logit = model.bias[index]
    short = sum(1 for feats in reading.features if feats) <= _SHORT_SENTENCES
    score = rules.scores[label]
    return (_clip(logit), _clip(sentence_logit), score, score if short else 0.0,
            1.0 if trapped else 0.0)


def _clip(logit: float) -> float:
    return max(-_LOGIT_CLIP, min(_LOGIT_CLIP, logit))


def _evidence(seg: Segments, reading: Reading, rule_sentences: frozenset[int], index: int) -> list[Span]:
    """The rules' sentences, plus the sentences that alone read most like the label: the
    best one always, a second one when it alone would be read as the label too."""
    chosen = set(rule_sentences)
    ranked = sorted(((logits[index], i) for i, logits in enumerate(reading.sentence_logits)
                     if reading.features[i]), reverse=True)
    for rank, (logit, i) in enumerate(ranked[:_MAX_MODEL_SENTENCES]):
        if rank == 0 or logit > 0:
            chosen.add(i)
    return _spans(seg, chosen)


def _spans(seg: Segments, indices: set[int]) -> list[Span]:
    spans = []
    for index in sorted(indices):
        start, end = seg.sentence(index)
        if end > start:
            spans.append(Span(start=start, end=end, text=seg.text[start:end]))
    return spans
