"""The classifier's regex rewrites match exactly what the written patterns match, and the
gates read off the patterns (word prefixes, first characters) never turn a match away."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.classify.facts.numbers import MONEY
from services.classify.rules import aid as rules_aid
from services.classify.text import lexicon
from services.classify.text.anchors import needed_heads
from services.classify.text.leads import first_guard, word_gate, word_starts
from services.classify.text.regex import factor, literal_first

DATA = Path(__file__).resolve().parents[1] / "data" / "classify"
TEXTS = [json.loads(line)["text"].lower() for name in ("own-set.jsonl", "decoys.jsonl")
         for line in (DATA / name).read_text().splitlines() if line.strip()]
SOURCES = {
    "victim": rf"\b{lexicon.VICTIM}\b", "harmed": rf"\b{lexicon.HARMED}\b", "infra": rf"\b{lexicon.INFRA}\b",
    "attack": rf"\b{lexicon.ATTACK}\b", "mil": rf"\b{lexicon.MIL}\b", "aid kind": rf"\b{lexicon.AID_KIND}\b",
    "weapons": rf"\b{lexicon.WEAPONS}\b", "agencies": rf"\b{lexicon.AGENCIES}\b", "num": rf"\b{lexicon.NUM}\b",
    "give": rf"\b(?<!-){rules_aid._GIVE}\b", "money": rules_aid.MONEY,
    "phrases": r"\b(?:killed|kills?|killing)\s+(?:at\s+least\s+)?\d+\s+(?:people|civilians)|\bno(?!\s+fewer)\b",
}


def _spans(pattern: re.Pattern[str], text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, start, len(text) if end is None else end)]


def _assert_same(written: str, rewritten: str) -> None:
    a, b = re.compile(written.lower()), re.compile(rewritten)
    rng = random.Random(7)
    for text in TEXTS:
        start, end = sorted((rng.randint(0, len(text)), rng.randint(0, len(text))))
        assert _spans(a, text) == _spans(b, text), text
        assert _spans(a, text, start, end) == _spans(b, text, start, end), text


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_factored_and_letter_first_patterns_match_what_the_written_ones_match(name: str) -> None:
    written = SOURCES[name].lower()
    _assert_same(written, factor(written))
    _assert_same(written, literal_first(factor(written)))


def test_a_first_character_guard_matches_what_the_pattern_matches() -> None:
    assert first_guard(rules_aid.MONEY.lower()) != rules_aid.MONEY.lower()
    _assert_same(rules_aid.MONEY, first_guard(rules_aid.MONEY.lower()))
    assert MONEY.pattern.startswith("(?=[")


_WORDS = st.text(alphabet="abcde", min_size=1, max_size=4)
_ALTERNATIVE = st.builds(lambda w, tail, opt: w + ("s?" if opt else "") + tail,
                         _WORDS, st.sampled_from(["", r"\s+ab", r"\w*", "(?:ed|ing)"]), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(_ALTERNATIVE, min_size=2, max_size=8), st.text(alphabet="abcde ,.-", max_size=80))
def test_regrouping_random_word_lists_keeps_every_match(alternatives: list[str], text: str) -> None:
    written = rf"\b(?:{'|'.join(alternatives)})\b"
    for rewritten in (factor(written), literal_first(factor(written))):
        assert _spans(re.compile(written), text) == _spans(re.compile(rewritten), text)


_WORD = re.compile(r"\w+")


@pytest.mark.parametrize("name", ["victim", "harmed", "weapons", "give", "infra"])
def test_every_match_starts_with_a_word_head_the_gate_knows(name: str) -> None:
    written = SOURCES[name].lower()
    for pattern in (written, literal_first(factor(written))):
        heads = word_gate(pattern)
        assert heads is not None
        compiled = re.compile(pattern)
        for text in TEXTS:
            for m in compiled.finditer(text):
                word = _WORD.match(text, m.start())
                assert word is not None and {word.group(), word.group()[:4], word.group()[:3]} & heads, text


def test_word_starts_refuse_patterns_whose_first_word_cannot_be_read() -> None:
    assert word_starts(r"\b(?:no|not)\b") is None  # words of two letters: no gate
    assert word_starts(r"[\w-]+\s+killed") is None
    assert word_starts(r"\bsen[dt]\b|\bgave\b") == {"send", "sent", "gave"}


@pytest.mark.parametrize(("anchor", "heads"), [
    ("into force", ("forc",)), ("from custody", ("cust",)), ("has ", ("has",)), ("ed by", ()), ("km", ()),
])
def test_a_short_anchor_is_looked_for_only_where_its_telling_word_is(anchor: str, heads: tuple[str, ...]) -> None:
    assert needed_heads(anchor) == heads
