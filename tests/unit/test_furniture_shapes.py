"""Page furniture and framing told by shape: captions, credits, introductions, teasers."""

from __future__ import annotations

import pytest

from services.ingest.parsers.framing import (
    continues,
    drop_alt_text,
    drop_teaser_runs,
    is_intro,
    title_cased,
)
from services.ingest.parsers.furniture import is_caption, is_furniture
from services.ingest.parsers.lines import Line, heading_shaped, is_dateline


@pytest.mark.parametrize("line", [
    "Firefighters work at the site of a strike on a block of flats in Lask [Ana Placeholder / Example Agency]",
    "The mediator arrives in Velm on February 10, 2025. (Ana Placeholder/Example Agency via Example Wire)",
    "Workers inspect the water station on Saturday. Photograph: Kim Example/Example Wire",
    "Refugees board a train in Hallen, Friday, March 7, 2025. - AP Photo/J. Doe",
    "Smoke rises over the port after the strike Getty Images",
    "(Example Photo/J. Doe)",
])
def test_captions_that_end_with_their_credit_are_recognised(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize("line", [
    "Officials said the port was hit overnight, according to AP",
    "The ministry said it was working with the Reuters news agency.",
    "Three civilians were killed in Dross (the regional governor said).",
])
def test_sentences_that_name_an_agency_are_not_captions(line: str) -> None:
    assert not is_caption(line)


@pytest.mark.parametrize("line", [
    "Live", "Live Updates", "Live updates (closed)", "Recommended Videos", "Full Screen", "1 / 20",
    "Watch", "Get involved", "Why you can trust The Example Post", "Sort by:",
    "Blog is now closed", "This page of live coverage has now closed.",
    "Thank you for joining our live coverage of the talks.", "— Jane Placeholder",
    "(EXAMPLE 24 with AFP, AP and REUTERS)", "Follow all Example Wire stories on the conflict at",
    "Go to https://news.example.org/hub for more coverage",
    "Copyright 2025 The Example Wire. All rights reserved.", "Image caption: Crews at the yard",
    "Pic: Example Agency", "Edited by Sam Placeholder", "Live reporting by Kim Example",
    "Tolvar war: Latest updates | World News | Example News",
    "Talks in Velm to resume on Tuesday View post", "example sponsor",
    "Find an interactive map of the front line here.",
])
def test_page_chrome_prompts_and_sign_offs_are_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "— Velm talks to resume on Tuesday, mediator says",
    "Watch officials in Velm sign the deal",
    "Shelling killed three civilians in Dross.",
])
def test_news_lines_are_not_furniture(line: str) -> None:
    assert not is_furniture(line)


@pytest.mark.parametrize("line", [
    "As the Tolvar conflict enters its 415th day, here are the main developments.",
    "As the war enters its 1,000th day, we take a look at the main developments.",
    "The Example Times liveblogged Sunday's events as they unfolded.",
    "Welcome to our continuing coverage of the Tolvar conflict. Here's an overview of the latest news.",
    "Here is the situation on Wednesday, March 5, 2025.",
    "Below, you will find the latest major developments, updated every few hours.",
    "Ostria pledges aid. Listen to the latest episode of our podcast while you scroll.",
    "Follow our live page for all the latest developments.",
])
def test_page_introductions_are_told_from_news(line: str) -> None:
    assert is_intro(line)


@pytest.mark.parametrize("line", [
    "Here is what the mediator proposed: a ceasefire along the river.",
    "Shelling killed three civilians as the talks entered their third day.",
])
def test_news_is_not_an_introduction(line: str) -> None:
    assert not is_intro(line)


def test_alt_text_repeated_by_its_caption_and_lines_printed_twice_are_dropped() -> None:
    lines = [Line("Workers inspect the water station."),
             Line("Workers inspect the water station. Photograph: Kim Example/Example Wire"),
             Line("Medics load supplies in the capital"), Line("Medics load supplies in the capital"),
             Line("Volunteers carry boxes to a truck in t..."),
             Line("Volunteers carry boxes to a truck in the capital (Example Photo/J. Doe)"),
             Line("The city council said residents would receive bottled water.")]
    assert [ln.text for ln in drop_alt_text(lines)] == [
        "Workers inspect the water station. Photograph: Kim Example/Example Wire",
        "Volunteers carry boxes to a truck in the capital (Example Photo/J. Doe)",
        "The city council said residents would receive bottled water."]


def test_runs_of_bare_headlines_go_unless_they_are_a_digest_or_part_of_a_list() -> None:
    related = [Line("Velm talks to resume on Tuesday", "li"), Line("Marenko rail yard reopens"),
               Line("Ostria sends generators to hospitals", "li")]
    body = [Line("The mediator said the talks would resume.")]
    assert drop_teaser_runs([*body, *related, *body]) == [*body, *body]
    digest = [Line("Key points"), *related]
    assert drop_teaser_runs(digest) == digest
    developments = [Line("Shelling killed three civilians in Dross.", "li"), *related]
    assert drop_teaser_runs(developments) == developments


@pytest.mark.parametrize(("text", "expected"), [
    ("How The Velm Talks Collapsed In Three Days", True),
    ("Ostria to fund repairs of Marenko water station", False),
    ("US, UK", False),
])
def test_title_cased_link_text(text: str, expected: bool) -> None:
    assert title_cased(text) is expected


def test_paragraphs_that_carry_on_and_datelines_that_open() -> None:
    assert continues("He said rescuers were still searching the rubble.")
    assert continues("but the talks did not resume.")
    assert not continues("The mediator said the talks would resume.")
    assert is_dateline("KYIV, Ukraine — President said on Thursday ...")
    assert is_dateline("VELM — The mediator said ...")
    assert is_dateline("KYIV, Oct 24 (Reuters) - Officials said ...")
    assert not is_dateline("The mediator — a veteran diplomat — said ...")
    assert not heading_shaped("HALLEN, Tolvar — A school in Hallen was damaged")


def test_a_short_quoted_phrase_is_a_headline_but_reported_speech_is_not() -> None:
    assert heading_shaped("'We need heat now'")
    assert not heading_shaped("“Why would we stop now?”")
