"""Sentences of the kinds the rules alone missed in real reports (issue 12), and others of
their kinds written for this test: each gets its label, with the sentence as evidence."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Label, Update
from services.classify.core import Classifier

T = datetime(2025, 3, 1, tzinfo=UTC)
H, E, A, P = Label.CIVILIAN_HARM, Label.ESCALATION, Label.AID, Label.PRISONER_EXCHANGE


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


@pytest.mark.parametrize(("text", "label"), [
    # the four
    ("The enemy killed four civilians in the Kharkiv region over the past day, the regional "
     "administration said.", H),
    ("Occupiers shelled the Nikopol district; there are wounded.", H),
    ("Hundreds of families have left their homes in the border villages as the shelling intensified.", H),
    ("Hezbollah fired rockets at northern Israel and Israel launched its first ground raid into "
     "southern Lebanon.", E),
    # others of their kinds
    ("The aggressor struck a residential quarter of Kupiansk overnight, wounding two women.", H),
    ("Invaders dropped explosives from a drone on a bus stop in Beryslav; one man died.", H),
    ("Residents of three villages near the border have been evacuated after heavy shelling.", H),
    ("Thousands of people fled El Fasher on foot as the fighting reached the city's last camp.", H),
    ("The Netherlands will deliver 24 F-16 jets to Ukraine by the end of the year, the defence "
     "ministry announced.", A),
    ("The European Union approved a EUR 50bn support facility for Ukraine.", A),
    ("Ukraine and Russia swapped 150 prisoners of war in a deal brokered by the UAE.", P),
    ("Four hostages were freed on Saturday and handed to the Red Cross.", P),
    ("North Korea has sent 10,000 troops to Russia to fight against Ukraine, the Pentagon said.", E),
])
def test_real_report_kinds_get_their_label_with_the_sentence_as_evidence(
        classifier: Classifier, text: str, label: Label) -> None:
    update = Update(id="u", source="s", body=text, first_seen_at=T, content_hash="h")
    result = classifier.classify(update, classified_at=T)
    assert label in result.labels, result.scores
    assert result.evidence[label] and result.evidence[label][0].text in text
    assert result.language == "en" and result.language_supported


@pytest.mark.parametrize("text", [
    "Russia denied that its strike on Kharkiv killed any civilians.",
    "No civilians were hurt in the attack, officials said.",
    "Germany is considering sending more Patriot systems to Ukraine, a government spokesperson said.",
    "A court in Moscow sentenced a Ukrainian prisoner of war to 20 years.",
    "Two Ukrainian soldiers were killed in shelling near Avdiivka.",
    "Stocks rose on hopes of a ceasefire in Ukraine.",
])
def test_traps_of_the_same_words_stay_silent(classifier: Classifier, text: str) -> None:
    update = Update(id="u", source="s", body=text, first_seen_at=T, content_hash="h")
    assert classifier.classify(update, classified_at=T).labels == []
