"""Facts extraction: counts as reported, aid amounts with currency, places."""

from __future__ import annotations

import pytest

from schemas.models import Facts
from services.classify.facts.extract import extract_facts
from services.classify.facts.numbers import to_int
from services.classify.facts.places import find_places
from services.classify.text.segment import Segments


def facts(text: str) -> Facts:
    return extract_facts(text, Segments(text))


def test_reads_word_numbers_and_qualifiers() -> None:
    result = facts("Four civilians were killed and at least 20 injured when shells hit a market in Velm overnight.")
    assert result.killed is not None and (result.killed.value, result.killed.qualifier) == (4, None)
    assert result.injured is not None and (result.injured.value, result.injured.qualifier) == (20, "at least")
    assert result.killed.text == "Four civilians were killed"


def test_reads_counts_after_the_verb() -> None:
    result = facts("A glide bomb hit Kharkiv, killing more than 12 and wounding 40 people.")
    assert result.killed is not None and (result.killed.value, result.killed.qualifier) == (12, "more than")
    assert result.injured is not None and result.injured.value == 40


def test_soldiers_background_and_negated_counts_are_not_tolls() -> None:
    assert facts("Ukraine said it killed 30 Russian soldiers near Bakhmut.").killed is None
    assert facts("More than 10,000 civilians have been killed since the invasion began.").killed is None
    assert facts("No one was killed, though 3 people were injured.").killed is None


def test_exchange_repatriation_and_displacement_counts() -> None:
    result = facts("Ukraine and Russia exchanged 190 prisoners of war. Russia also returned the bodies of "
                   "501 soldiers. More than 55,000 people had fled their homes in Sennar this week.")
    assert result.prisoners_exchanged is not None and result.prisoners_exchanged.value == 190
    assert result.bodies_repatriated is not None and result.bodies_repatriated.value == 501
    assert result.displaced is not None and (result.displaced.value, result.displaced.qualifier) == (55_000, "more than")


@pytest.mark.parametrize(("text", "amount", "currency"), [
    ("The US announced $425m in military aid for Ukraine.", 425_000_000, "USD"),
    ("The UK will loan £2.26 billion to Ukraine.", 2_260_000_000, "GBP"),
    ("The EU approved a €1.5bn aid tranche.", 1_500_000_000, "EUR"),
    ("Japan pledged 400 million dollars in humanitarian aid.", 400_000_000, "USD"),
    ("Canada sends drones as part of a C$136 million package.", 136_000_000, "CAD"),
    ("Sweden announced a SEK 6 billion support package.", 6_000_000_000, "SEK"),
])
def test_aid_amounts_carry_their_currency(text: str, amount: float, currency: str) -> None:
    assert [(m.amount, m.currency) for m in facts(text).aid_amounts] == [(amount, currency)]


def test_converted_amounts_in_brackets_are_not_counted_twice() -> None:
    result = facts("Its share of a $50 billion (£38.39 billion) loan package agreed by the G7.")
    assert [(m.amount, m.currency, m.text) for m in result.aid_amounts] == [(50e9, "USD", "$50 billion")]


def test_money_outside_aid_context_is_not_an_aid_amount() -> None:
    assert facts("Shares rose 3% and the company is valued at $4 billion.").aid_amounts == []


def test_places_from_gazetteer_aliases_and_region_phrases() -> None:
    text = "Drones hit Kiev and Russia’s Tula region; the governor of the Nizhny Novgorod region said Kyiv was hit."
    assert find_places(text) == ["Kyiv", "Russia", "Tula", "Nizhny Novgorod"]


@pytest.mark.parametrize(("words", "scale", "value"), [
    ("four", None, 4), ("73,000", None, 73_000), ("1.5", "million", 1_500_000), ("a dozen", None, 12),
])
def test_number_words(words: str, scale: str | None, value: int) -> None:
    assert to_int(words, scale) == value


def test_counts_found_verb_first_keep_their_qualifier_and_whole_phrase() -> None:
    result = facts("Overnight shelling hit Karlow. More than 40 old-town residents were wounded.")
    assert result.injured is not None
    assert (result.injured.value, result.injured.qualifier) == (40, "more than")
    assert result.injured.text == "More than 40 old-town residents were wounded"
    swap = facts("Some 95 Ovellan detainees were released on Friday, and 12 bodies were handed over.")
    assert swap.prisoners_exchanged is not None and swap.prisoners_exchanged.value == 95
    assert swap.bodies_repatriated is not None and swap.bodies_repatriated.value == 12


def test_power_is_not_a_prisoner_of_war() -> None:
    assert facts("Powerful blasts cut power to 4,000 homes; 30 power lines were repaired.").prisoners_exchanged is None


def test_a_toll_stands_when_the_accused_only_denies_its_part() -> None:
    toll = facts("Shelling hit the camp near Karlow, killing 12 people; the militia denied any involvement.").killed
    assert toll is not None and toll.value == 12
    assert facts("Tarsk denied reports that its shelling killed 12 people in Karlow.").killed is None
