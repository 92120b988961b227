"""Triggers: the sentence shapes that report the news a label is about (the rules
themselves are in ``rules_harm``, ``rules_displacement``, ``rules_escalation``,
``rules_pacts``, ``rules_weapons``, ``rules_aid``, ``rules_arms``, ``rules_relief`` and
``rules_exchange``).

A trigger only *proposes* a label. ``cues`` then asks whether its clause is
negated, denied, hypothetical or background before it counts (see ``core``).
Weights are the confidence one unblocked trigger gives; triggers combine by noisy-OR.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from schemas.models import Label
from services.classify.text.anchors import AnchorKeys, anchor_keys
from services.classify.text.leads import word_starts
from services.classify.text.regex import factor, literal_first

GAP = r"[^.;!?\n]"
NEAR_BEFORE, NEAR_AFTER = 40, 60  # characters allowed between the parts of one phrase


BEFORE_REACH = 90  # characters a ``before`` part may start ahead of the match
AFTER_REACH = 60  # characters an ``after`` part may start past the match
# What may not lie between the parts of one phrase (``GAP`` excludes the same).
PHRASE_STOP = re.compile(r"[;!?\n]|\.(?!\w)")  # a point inside a number or name ("0.25", "U.S") is no stop


def compile_rule(pattern: str) -> re.Pattern[str]:
    """Compile a rule to run on the lower-cased text, its word lists grouped by first
    letter and, where that pays, led by the letter (``regex``: same matches, fewer checks).

    Python's ``re`` skips its first-character prefilter for IGNORECASE patterns,
    which makes the long word alternations here about four times slower.
    """
    return re.compile(literal_first(factor(pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P="))))


@dataclass(frozen=True)
class Trigger:
    """One phrase shape that proposes ``label``.

    ``needs``: patterns the whole sentence must also contain (e.g. an outside
    power for a troop deployment). ``self_negating``: the phrase itself holds a
    negator ("without power"), so only the words before it are checked for negation.
    ``context``: a pattern the whole update must contain (an attack for harm).
    ``anchors``: cheap literals that gate the regex to the sentences holding them.
    ``forbid``: checked inside the matched phrase ("civilians and soldiers were killed"
    is not a civilian toll by that phrase alone); cheaper than a tempered regex gap.
    ``near``: must occur close to the match (an aid word next to an amount).
    ``check``: a predicate over (text, lowered text, sentence start, sentence end) the
    sentence must satisfy, for tests a pattern cannot express (a capitalised recipient).
    ``hypo_ok``: the phrase is itself conditional ("would mean direct war"), so the
    hypothetical cues do not apply.
    ``before`` / ``after``: the rest of a two-part phrase ("civilians ... killed"), tried
    only where the rare part (``pattern``) matched: a long word list is cheap to try at a
    few places and costly at every position of a sentence. ``before`` ends right at the
    match (it is compiled with a final "$"); ``after`` starts within ``AFTER_REACH``
    characters past it, with no sentence or clause stop between. The phrase spans both.
    ``keys``: derived from ``anchors`` (see ``segment.anchor_keys``); ``leads``: the word
    prefixes a match can start with, read off ``pattern`` where it can be
    (``regex.word_starts``), a second gate.
    """

    label: Label
    name: str
    pattern: re.Pattern[str]
    weight: float
    needs: tuple[re.Pattern[str], ...] = ()
    self_negating: bool = False
    context: re.Pattern[str] | None = field(default=None)
    anchors: tuple[str, ...] = ()  # lower-case literals, one of which every match holds
    forbid: re.Pattern[str] | None = None  # a word that must not sit inside the match
    near: re.Pattern[str] | None = None  # a word that must sit within NEAR chars of the match
    check: Callable[[str, str, int, int], bool] | None = None
    hypo_ok: bool = False
    before: re.Pattern[str] | None = None  # must end right at the match (compiled with a final "$")
    after: re.Pattern[str] | None = None  # must start within AFTER_REACH of the match end, same clause
    keys: AnchorKeys = field(init=False, compare=False)
    leads: AnchorKeys | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", anchor_keys(self.anchors))
        leads = word_starts(self.pattern.pattern)
        object.__setattr__(self, "leads", None if leads is None else anchor_keys(tuple(sorted(leads))))
