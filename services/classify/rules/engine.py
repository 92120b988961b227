"""The rule pass: every trigger phrase of every label, judged in its sentence.

Each trigger found in the text is checked in its clause and sentence for negation,
denial, hypotheticals and background (``judge``, ``cues``). A trigger that survives adds
its weight to its label by noisy-OR (1 - prod(1 - w)) and marks its sentence as
evidence; a blocked one adds its weight to the label's *blocked* score instead, which
tells the combining core "the words are there, but the rules found a trap".
Pure: text in, scores and sentence indices out.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.models import LABELS, Label
from services.classify.rules.aid import AID_RULES
from services.classify.rules.arms import ARMS_RULES
from services.classify.rules.base import Trigger
from services.classify.rules.displacement import DISPLACEMENT_RULES
from services.classify.rules.escalation import ESCALATION_RULES
from services.classify.rules.exchange import EXCHANGE_RULES
from services.classify.rules.fronts import FRONT_RULES
from services.classify.rules.harm import HARM_RULES
from services.classify.rules.judge import NEGATED, Judge
from services.classify.rules.pacts import PACT_RULES
from services.classify.rules.relief import RELIEF_RULES
from services.classify.rules.weapons import WEAPON_RULES
from services.classify.text.anchors import indices
from services.classify.text.segment import Segments

RULES: tuple[Trigger, ...] = (HARM_RULES + DISPLACEMENT_RULES + ESCALATION_RULES + FRONT_RULES +
                              PACT_RULES + WEAPON_RULES + AID_RULES + ARMS_RULES + RELIEF_RULES +
                              EXCHANGE_RULES)
# each rule with what the loop reads of it, looked up once
_PLAN = tuple((rule, rule.keys.slot, -1 if rule.leads is None else rule.leads.slot, rule.context,
               rule.pattern.search, bool(rule.needs or rule.check)) for rule in RULES)


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    """What the rules found: per label, the score of surviving triggers, the score of
    blocked ones, the sentences (indices into ``Segments``) holding survivors, and the
    sentences holding blocked triggers only."""

    scores: dict[Label, float]
    blocked: dict[Label, float]
    sentences: dict[Label, frozenset[int]]
    trapped: dict[Label, frozenset[int]]
    negated: dict[Label, bool]  # a trigger was negated or denied, and none held at full weight


def run_rules(seg: Segments, year: int) -> RuleVerdict:
    """Run every rule over the segmented text; ``year`` dates "a year ago" and anniversaries."""
    low, starts, ends = seg.lowered, seg.starts, seg.ends
    misses = dict.fromkeys(LABELS, 1.0)  # product of (1 - w) of surviving triggers
    blocked = dict.fromkeys(LABELS, 1.0)  # the same for triggers the judge blocked
    sentences: dict[Label, set[int]] = {label: set() for label in LABELS}
    trapped: dict[Label, set[int]] = {label: set() for label in LABELS}
    full: dict[Label, set[int]] = {label: set() for label in LABELS}  # sentences of full-weight triggers
    negated = dict.fromkeys(LABELS, False)
    judge = Judge(seg.text, seg, year)
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
            reason = ""
            while m is not None:
                found = judge.weight(rule, index, m.start(), m.end())
                if found is not None and (weight is None or found > weight):
                    weight = found
                    reason = judge.blocked_by if found < rule.weight else ""
                if weight == rule.weight:
                    break
                m = search(low, m.end(), end)  # what finditer would find next: matches are never empty
            if weight is None:
                continue
            label = rule.label
            if weight > 0:
                misses[label] *= 1.0 - weight
                sentences[label].add(index)
                if weight == rule.weight:
                    full[label].add(index)
                else:
                    trapped[label].add(index)  # background: reported, but not as news
            else:
                blocked[label] *= 1.0 - rule.weight
                trapped[label].add(index)
                negated[label] = negated[label] or reason == NEGATED
    return RuleVerdict(
        scores={label: 1.0 - misses[label] for label in LABELS},
        blocked={label: 1.0 - blocked[label] for label in LABELS},
        sentences={label: frozenset(sentences[label]) for label in LABELS},
        trapped={label: frozenset(trapped[label] - full[label]) for label in LABELS},
        negated={label: negated[label] and not full[label] for label in LABELS})
