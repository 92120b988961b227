"""Story identity from what reports say: place, actors, counts and event type decide."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import ClassifiedUpdate, Count, Facts, Label, Money, Update
from services.notify import geo
from services.notify.identity import compare, from_json, profile, to_json, tolls
from services.notify.minhash import signature

T = datetime(2025, 3, 1, 8, tzinfo=UTC)
H, A, P = Label.CIVILIAN_HARM, Label.AID, Label.PRISONER_EXCHANGE


def report(text: str, *labels: Label, killed: int | None = None, prisoners: int | None = None,
           usd: float | None = None):  # type: ignore[no-untyped-def]
    facts = Facts(killed=Count(value=killed, text=str(killed)) if killed else None,
                  prisoners_exchanged=Count(value=prisoners, text=str(prisoners)) if prisoners else None,
                  aid_amounts=[Money(amount=usd, currency="USD", text=f"${usd}")] if usd else [])
    update = Update(id=text[:20], source="s", body=text, first_seen_at=T, content_hash="h")
    classified = ClassifiedUpdate(update=update, labels=list(labels), scores=dict.fromkeys(labels, 0.9),
                                  facts=facts, classifier_version="t", classified_at=T)
    return profile(classified, signature(text), T)


def test_the_same_sentence_about_another_town_is_another_event() -> None:
    kherson = report("Russian shelling killed two civilians in Kherson on Tuesday, the governor said.", H, killed=2)
    nikopol = report("Russian shelling killed two civilians in Nikopol on Tuesday, the governor said.", H, killed=2)
    verdict = compare(nikopol, kherson)
    assert not verdict.same and verdict.apart.startswith("different places")


def test_one_strike_in_other_words_is_one_event_and_says_why() -> None:
    first = report("Five people were killed and 18 wounded when a missile hit a residential building in Dnipro.",
                   H, killed=5)
    second = report("A Russian missile struck an apartment block in Dnipro on Friday, killing five civilians "
                    "and injuring 18, officials said.", H, killed=5)
    verdict = compare(second, first)
    assert verdict.same
    assert "same place: Dnipro" in verdict.reasons and any(r.startswith("same count") for r in verdict.reasons)


def test_a_town_joins_a_report_that_names_only_its_region() -> None:
    region = report("Russian shelling wounded three people in the Dnipropetrovsk region overnight.", H)
    town = report("Three residents of Marhanets were wounded by artillery fire overnight.", H)
    assert compare(town, region).same


def test_another_donor_is_another_aid_package() -> None:
    denmark = report("Denmark announced a new military aid package for Ukraine on Monday.", A)
    germany = report("Germany announced a new military aid package for Ukraine on Monday.", A)
    verdict = compare(germany, denmark)
    assert not verdict.same and verdict.apart == "different parties"


def test_a_swap_of_95_is_not_a_swap_of_32() -> None:
    first = report("Russia and Ukraine exchanged 95 prisoners of war each, mediated by the UAE.", P, prisoners=95)
    second = report("Russia and Ukraine exchanged 32 prisoners of war each, mediated by the UAE.", P, prisoners=32)
    assert compare(second, first).apart == "different prisoners exchanged"


def test_a_rising_toll_of_one_strike_stays_in_its_story_and_says_so() -> None:
    first = report("A missile strike on a market in Kostiantynivka killed 16 people.", H, killed=16)
    later = report("The death toll from the strike on the Kostiantynivka market rose to 17.", H, killed=17)
    verdict = compare(later, first)
    assert verdict.same and "rising toll: killed 16 -> 17" in verdict.reasons


def test_a_falling_toll_is_not_read_as_the_same_strike() -> None:
    first = report("A drone strike in Kharkiv killed 6 people.", H, killed=6)
    later = report("A drone strike in Kharkiv killed 2 people.", H, killed=2)
    assert not compare(later, first).same


@pytest.mark.parametrize(("a", "b"), [
    ("An Israeli airstrike on a school in Khan Younis killed 12 people.",
     "An Israeli airstrike on a school in Gaza City killed 12 people."),
    ("A UN convoy with food reached El Fasher on Sunday.", "A UN convoy with food reached Kadugli on Sunday."),
])
def test_shared_wording_never_joins_reports_of_different_places(a: str, b: str) -> None:
    assert not compare(report(b, H, A), report(a, H, A)).same


def test_unknown_towns_after_a_locative_still_tell_events_apart() -> None:
    names = {p.name for p in geo.places("Shelling hit the village of Tsukuryne and houses near Zarichne.")}
    assert {"Tsukuryne", "Zarichne"} <= names
    assert not compare(report("Shelling killed a man in the village of Tsukuryne.", H),
                       report("Shelling killed a man in the village of Zarichne.", H)).same


def test_a_stored_profile_reads_back_the_same() -> None:
    p = report("Ukraine and Russia exchanged 95 prisoners in Sumy region.", P, prisoners=95, usd=1e6)
    back = from_json(to_json(p))
    assert back is not None and back.places == p.places and back.counts == p.counts
    assert back.amounts == p.amounts and (back.signature == p.signature).all()


@pytest.mark.parametrize(("text", "expected"), [
    ("An air strike flattened the town hall, killing the mayor and five others, officials said.", {"killed": 6}),
    ("Gunmen killed a teacher and two others on the road to Maiduguri.", {"killed": 3}),
    ("The drone wounded a child and three others in the market.", {"injured": 4}),
    ("13, including two children, killed in clashes in the rebel-held city", {"killed": 13}),
    ("Twelve people, among them a baby, were wounded by the shelling.", {"injured": 12}),
    ("Five civilians, including a child, were killed and 12 others, including two medics, injured.",
     {"killed": 5, "injured": 12}),
])
def test_tolls_read_a_named_victim_and_n_others_and_counts_with_an_aside(text: str, expected: dict[str, int]) -> None:
    assert tolls(text) == expected


def test_one_strike_told_as_a_toll_and_as_the_mayor_and_five_others_is_one_event() -> None:
    ministry = report("The strike on the municipality building in Nabatieh killed six people, including the "
                      "head of the municipality, and wounded 43.", H, killed=6)
    wire = report("An air strike levelled the town hall of Nabatieh in south Lebanon, killing the mayor and "
                  "five others, Lebanese authorities said.", H)
    verdict = compare(wire, ministry)
    assert verdict.same and "same count: killed 6" in verdict.reasons


def test_two_packages_of_one_amount_but_other_arms_are_two_packages() -> None:
    drones = report("UK announces £150 million drone package for Ukraine. The Defence Secretary today announced "
                    "£150 million for long-range and maritime drones for Ukraine.", A)
    air = report("UK announces £150 million air defence package for Ukraine. The Defence Secretary today "
                 "announced £150 million for air-defence missiles and radars for Ukraine.", A)
    verdict = compare(air, drones)
    assert not verdict.same and verdict.apart.startswith("different supplies")
    again = report("Britain pledges £150m of drones to Ukraine, to be built in British factories.", A)
    assert not compare(again, drones).apart.startswith("different supplies")


def test_one_permission_for_one_weapon_in_two_wordings_is_one_event() -> None:
    wire = report("UK allows Ukraine to fire Storm Shadow missiles into Russia. Britain has given Ukraine "
                  "permission to use its cruise missiles against military targets, officials said.",
                  Label.ESCALATION)
    statement = report("UK lifts restrictions on long-range missiles. Ukraine will be able to use British-supplied "
                       "long-range missiles against targets on Russian territory, the government confirmed.",
                       Label.ESCALATION)
    verdict = compare(statement, wire)
    assert verdict.same and "same arms: long-range missiles" in verdict.reasons


def test_a_release_reported_from_ramallah_and_from_gaza_has_the_same_parties() -> None:
    ramallah = report("Buses carrying Palestinian prisoners freed from Ofer prison arrived in Ramallah.", P)
    deal = report("Israel released 110 Palestinian prisoners from Ofer prison under the Gaza ceasefire.", P)
    assert compare(deal, ramallah).apart != "different parties"
