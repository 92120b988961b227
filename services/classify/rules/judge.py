"""Judging one trigger match: does it report the news its label is about?

A match proposes its label; ``Judge.weight`` then checks the rest of its phrase
(``before``, ``after``, ``forbid``, ``near``) and the cues around it: a denial of
the sentence, a negation in its clause, a verb that undoes the news, a sentence- or
update-wide cue (a flood, a jailbreak), a hypothetical, background. Per-sentence
work (clauses, denials, background markers, cue scans) is done once and cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemas.models import Label
from services.classify.rules import background, cues, denial
from services.classify.rules.base import (
    AFTER_REACH,
    BEFORE_REACH,
    NEAR_AFTER,
    NEAR_BEFORE,
    PHRASE_STOP,
    Trigger,
)
from services.classify.text.segment import Segments

_CueFinder = Callable[[Label, str, int, int], list[tuple[int, int]]]
# the gates of the cues a finder looks for (see ``cues.GATES``)
_CUE_GATES = {(id(find), label): cues.GATES[id(patterns[label])]
              for find, patterns in ((cues.hypotheticals, cues.HYPOTHETICAL), (cues.blocking_verbs, cues.EXTRA_NEGATION))
              for label in patterns if id(patterns[label]) in cues.GATES}
# How far (in characters) each cue may sit from its trigger.
_HYPO_BEFORE, _HYPO_AFTER, _NEG_BEFORE, _EXTRA_AFTER = 120, 40, 60, 100
# why the last match judged was blocked or weakened (``Judge.blocked_by``)
NEGATED, HYPOTHETICAL, BACKGROUND = "negated", "hypothetical", "background"


class Judge:
    """Decides how much one trigger match counts, caching per-sentence cues."""

    __slots__ = ("text", "seg", "year", "blocked_by", "_may", "_context", "_sentence", "_denied", "_background", "_cues")

    def __init__(self, text: str, seg: Segments, year: int) -> None:
        self.text, self.seg, self.year = text, seg, year
        self.blocked_by = ""  # NEGATED, HYPOTHETICAL or BACKGROUND after a blocked or weakened match
        self._may = "may" in seg.lowered
        self._context: dict[int, bool] = {}
        self._sentence: dict[tuple[int, int], bool] = {}  # (id of a test, sentence) -> it holds
        self._denied: dict[int, int | None] = {}  # sentence -> where its denials begin to deny
        self._background: dict[int, list[tuple[int, int]]] = {}
        self._cues: dict[tuple[int, Label, int], list[tuple[int, int]]] = {}  # (finder, label, sentence) -> spans

    def weight(self, rule: Trigger, index: int, start: int, end: int) -> float | None:
        """The weight this match adds: None when it is not the phrase at all (its other
        part or a nearby word is missing), 0 when a cue blocks it, less when it is
        background. The caller has checked the rule's context and ``sentence_fits``."""
        seg = self.seg
        low = seg.lowered
        s_start, s_end = seg.starts[index], seg.ends[index]
        if rule.before is not None:
            head = rule.before.search(low, max(s_start, start - BEFORE_REACH), start)
            if head is None:
                return None
            start = head.start()
        if rule.after is not None:
            # the word list is searched from word starts on (its leading \b rejects the
            # rest at once), which is far cheaper than a lazy gap trying it everywhere
            tail = rule.after.search(low, end, s_end)
            if tail is None or tail.start() - end > AFTER_REACH or PHRASE_STOP.search(low, end, tail.start()):
                return None
            end = tail.end()
        if rule.forbid is not None and rule.forbid.search(low, start, end):
            return None
        if rule.near is not None and not rule.near.search(
                low, max(s_start, start - NEAR_BEFORE), min(s_end, end + NEAR_AFTER)):
            return None
        if self._is_denied(index, start):
            self.blocked_by = NEGATED
            return 0.0
        clause = seg.clause_start(start, s_start)
        neg_to = start if rule.self_negating else end
        hit = self._hit
        if hit(cues.NEGATION, max(clause, start - _NEG_BEFORE), neg_to) or \
                hit(cues.NEAR_NEGATION, max(clause, start - cues.NEAR_NEGATION_REACH), neg_to):
            self.blocked_by = NEGATED
            return 0.0
        if rule.label in cues.EXTRA_NEGATION and self._cue_in(
                cues.blocking_verbs, rule.label, index, clause, min(s_end, end + _EXTRA_AFTER)):
            self.blocked_by = NEGATED
            return 0.0
        sentence_cue = cues.SENTENCE_NEGATION.get(rule.label)
        if sentence_cue is not None and self._sentence_has(sentence_cue, index):
            self.blocked_by = NEGATED
            return 0.0
        update_cue = cues.UPDATE_NEGATION.get(rule.label)
        if update_cue is not None and self._update_has(update_cue):
            self.blocked_by = NEGATED
            return 0.0
        if not rule.hypo_ok:
            hypo_from, hypo_to = max(s_start, start - _HYPO_BEFORE), min(s_end, end + _HYPO_AFTER)
            if self._hypothetical(rule.label, index, start, end, hypo_from, hypo_to) or \
                    (self._may and cues.MAY.search(self.text, hypo_from, hypo_to)):
                self.blocked_by = HYPOTHETICAL
                return 0.0
        if rule.label is Label.ESCALATION and self._hit(cues.REFERENCE, max(clause, start - 60), start):
            self.blocked_by = HYPOTHETICAL
            return 0.0  # "in response to North Korea's troop deployment": cited, not reported
        if self._is_background(index, start, end) and not self._is_fresh(clause, s_start, start, s_end):
            self.blocked_by = BACKGROUND
            return rule.weight * background.BACKGROUND_FACTOR[rule.label]
        return rule.weight

    def _hypothetical(self, label: Label, index: int, start: int, end: int, hypo_from: int, hypo_to: int) -> bool:
        """Whether a hypothetical cue of ``label`` governs the match at [start, end): one in
        [hypo_from, hypo_to), leaving out one after the match in a coordinate clause of its
        own (``cues.COORDINATE``) unless it is a condition."""
        spans = self._cue_spans(cues.hypotheticals, label, index)
        low = self.seg.lowered
        for m_start, m_end in spans:
            if m_start >= hypo_to or m_end <= hypo_from:
                continue
            if m_start >= end and not cues.CONDITION_WORD.match(low, m_start):
                coord = cues.COORDINATE.search(low, end, m_end)
                if coord is not None and coord.start() < m_start and \
                        self._hit(cues.FINITE, max(self.seg.starts[index], start - 80), coord.start()):
                    continue
            return True
        return False

    def _cue_in(self, find: _CueFinder, label: Label, index: int, start: int, end: int) -> bool:
        """Whether a cue that ``find`` reports for the sentence overlaps [start, end); the
        sentence is scanned once per cue and label."""
        spans = self._cue_spans(find, label, index)
        return bool(spans) and any(m_start < end and m_end > start for m_start, m_end in spans)

    def _cue_spans(self, find: _CueFinder, label: Label, index: int) -> list[tuple[int, int]]:
        """The spans of the cues ``find`` reports for sentence ``index``, found once."""
        key = (id(find), label, index)
        spans = self._cues.get(key)
        if spans is None:
            seg = self.seg
            gate = _CUE_GATES.get((id(find), label))
            spans = self._cues[key] = find(label, seg.lowered, seg.starts[index], seg.ends[index]) \
                if gate is None or gate.may_hold(seg, index) else []
        return spans

    def _hit(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """Whether a match of ``pattern`` lies inside [start, end) of the lower-cased text."""
        return pattern.search(self.seg.lowered, start, end) is not None

    def sentence_fits(self, rule: Trigger, index: int) -> bool:
        """Whether sentence ``index`` holds what ``rule`` needs besides its phrase
        (``needs`` patterns, the ``check`` predicate); cached per sentence."""
        for pattern in rule.needs:
            if not self._sentence_has(pattern, index):
                return False
        if rule.check is not None:
            key = (id(rule.check), index)
            found = self._sentence.get(key)
            if found is None:
                seg = self.seg
                found = self._sentence[key] = rule.check(self.text, seg.lowered, seg.starts[index], seg.ends[index])
            return found
        return True

    def update_has(self, pattern: re.Pattern[str], first: int | None = None) -> bool:
        """Whether the whole update holds a match of ``pattern`` (a rule's context); cached.
        Sentence ``first``, where a trigger sits, is tried first: the attack a toll needs
        is mostly in its own sentence, and a long update need not be read to its end."""
        key = id(pattern)
        found = self._context.get(key)
        if found is None:
            seg = self.seg
            found = first is not None and pattern.search(seg.lowered, seg.starts[first], seg.ends[first]) is not None \
                or pattern.search(seg.lowered) is not None
            self._context[key] = found
        return found

    def _update_has(self, pattern: re.Pattern[str]) -> bool:
        return self.update_has(pattern)

    def _sentence_has(self, pattern: re.Pattern[str], index: int) -> bool:
        key = (id(pattern), index)
        found = self._sentence.get(key)
        if found is None:
            seg = self.seg
            gate = cues.GATES.get(id(pattern))
            found = (gate is None or gate.may_hold(seg, index)) and \
                pattern.search(seg.lowered, seg.starts[index], seg.ends[index]) is not None
            self._sentence[key] = found
        return found

    def _is_fresh(self, clause: int, s_start: int, start: int, s_end: int) -> bool:
        """A fresh date in the trigger's clause or after it, or leading the sentence
        ("Overnight, ...", "Since 24 October, ...")."""
        low = self.seg.lowered
        if background.FRESH.search(low, clause, s_end):
            return True
        lead = background.FRESH.search(low, s_start, start)
        return lead is not None and lead.start() - s_start <= 3

    def _is_denied(self, index: int, start: int) -> bool:
        if index not in self._denied:
            seg = self.seg
            self._denied[index] = denial.denied_from(seg.lowered, seg.starts[index], seg.ends[index]) \
                if seg.holds(denial.DENIAL_KEYS, index) else None
        reach = self._denied[index]
        return reach is not None and start >= reach

    def _is_background(self, index: int, start: int, end: int) -> bool:
        """Whether a background marker governs the trigger at [start, end): one in its
        clause or before it ("Since 2022, ..."). A marker set off after the trigger by a
        comma or dash ("..., the first attack since the war began") describes it, and is
        no background."""
        markers = self._background.get(index)
        if markers is None:
            seg = self.seg
            markers = background.background_markers(seg.lowered, seg.starts[index], seg.ends[index], self.year) \
                if seg.holds(background.BACKGROUND_KEYS, index) else []
            self._background[index] = markers
        if not markers:
            return False
        low = self.seg.lowered
        for m_start, _m_end in markers:
            if m_start >= end and background.HARD_SEP.search(low, end, m_start):
                continue
            return True
        return False
