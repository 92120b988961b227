"""Pages built like the live blogs of other outlets: every entry found, no phantom entry.

The fixtures in tests/fixtures/ingest/realistic/ are our own text, written in the
structures met on real pages (see tests/data/ingest/pages.json): captions with credits,
related headlines inside and between entries, page introductions and sign-offs, numbered
posts, wire datelines, key points that link to posts, stamps signed by their author.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from services.ingest.parsers import parse_page
from services.ingest.parsers.model import Entry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "realistic"


def entries(name: str) -> list[Entry]:
    return parse_page((FIXTURES / name).read_bytes(), url=name).entries


def all_text(found: list[Entry]) -> str:
    return "\n".join(e.text for e in found)


def assert_absent(found: list[Entry], *pieces: str) -> None:
    """None of ``pieces`` (furniture) is left in any entry's text."""
    text = all_text(found)
    assert [p for p in pieces if p in text] == []


def test_related_headline_captions_and_introduction_leave_exactly_the_entries() -> None:
    found = entries("key_events_photos.txt")
    assert [(e.kind, e.headline) for e in found] == [
        ("update", "Shelling kills three in Dross"),
        ("update", "Ostria pledges 40 million euros in aid"),
        ("update", "Talks to resume in Velm on Tuesday")]
    dross, aid, _ = found
    # the related headline neither splits the entry nor stays in it
    assert dross.body == ("Shelling killed three civilians and wounded seven in the village of Dross "
                          "overnight, the regional governor said.\nHe said rescuers were still "
                          "searching the rubble of two houses on Saturday morning.")
    assert aid.body.endswith("the foreign ministry said.") and aid.body.count("\n") == 1
    assert_absent(found, "How The Velm Talks", "Firefighters", "Residents queue", "Example Agency",
                      "enters its 415th day", "List of key events")


def test_numbered_posts_open_entries_without_bylines_alt_text_or_page_chrome() -> None:
    found = entries("numbered_posts.txt")
    assert [(e.kind, e.headline) for e in found] == [
        ("summary", None), ("update", "That's all from us today"),
        ("update", "Second aid convoy to leave on Friday"),
        ("update", "Rail yard in Marenko hit by shelling")]
    convoy = found[2]
    assert convoy.body.startswith("The Ostrian foreign ministry said")
    assert convoy.body.endswith("through the northern crossing.")
    assert_absent(found, "published at", "Kim Example", "Reporting from", "Trucks at a depot",
                      "Loading the trucks", "Image caption", "Smoke over", "subscription",
                      "Edited by", "pausing", "writers of today")


def test_wire_datelines_cut_headless_entries_and_related_links_between_them_vanish() -> None:
    school, talks = entries("wire_datelines.txt")
    assert school.headline is None and school.body.startswith("HALLEN, Tolvar — A school")
    # "Recommended Videos" sits inside the entry: dropped, the entry stays whole
    assert school.body.endswith("damaged its roof.") and school.body.count("\n") == 2
    assert talks.body.startswith("VELM — The mediator") and talks.body.count("\n") == 1
    assert_absent([school, talks], "Velm talks to resume", "generators", "rail yard", "Example Photo",
                  "two-week pause", "Analysts",
                      "Full Screen", "Copyright", "Follow all", "https://")


def test_stamped_posts_under_key_points_and_signed_clock_times() -> None:
    found = entries("stamped_key_points.txt")
    assert [e.headline for e in found] == [
        "Ostria pledges field hospital for border region",
        "Talks in Velm to resume on Tuesday, mediator says",
        "Power restored in Marenko after three days"]
    hospital = found[0]
    assert hospital.body.count("\n") == 2  # the sponsor line and the twice-printed caption go
    assert_absent(found, "View post", "sponsor", "Medics load", "Pic:", "Jane Placeholder",
                      "podcast", "Live reporting", "Sort by", "Watch", "Why you can trust")


def test_headline_blocks_keep_their_text_and_drop_teaser_captions_and_sign_offs() -> None:
    water, curfew = entries("headline_blocks_captions.txt")
    assert water.headline == "Ostria to fund repairs of Marenko water station"
    assert water.body.split("\n") == [
        "MARENKO — The Ostrian government said on Sunday it would pay for repairs to the water "
        "station in Marenko, damaged by shelling last week.",
        "Engineers said the work would take three weeks and cost about 2 million euros.",
        "The city council said residents would receive bottled water until the repairs are finished."]
    assert curfew.headline == "Curfew in Hallen extended by a week"
    assert_absent([water, curfew], "mediator met", "new channel", "arrives for talks", "liveblogged",
                      "now closed", "Photograph", "Workers inspect", "Jane Placeholder")


def test_a_facts_digest_with_quoted_and_short_headlines() -> None:
    found = entries("facts_digest.txt")
    assert [(e.kind, e.headline) for e in found] == [
        ("summary", None), ("update", None), ("update", "'We need heat now'"),
        ("update", "Crossing retaken"), ("update", "Talks to resume")]
    assert found[0].section == "What you need to know"
    crossing = found[3]
    assert crossing.body.count("\n") == 2  # a quote and a follow-up stay in their entry
    assert "key developments from the past" not in all_text(found)


def test_a_developments_list_gives_one_update_per_bullet_and_drops_the_introduction() -> None:
    found = entries("developments_list.txt")
    assert [e.body.split(":")[0] for e in found] == ["Aid arrives", "Curfew extended",
                                                     "Talks planned"]
    assert all(e.section == "Latest major developments in Tolvar and Ostria" for e in found)
    assert_absent(found, "Below, you will find", "interactive map", "©", "Skip to")


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_every_realistic_fixture_is_read_as_a_live_blog(name: str) -> None:
    assert len([e for e in entries(name) if e.kind == "update"]) >= 2


def test_html_links_to_related_articles_and_captions_in_paragraphs_never_cut_an_entry() -> None:
    found = entries("html_related_captions.html")
    assert [(e.entry_id, e.headline) for e in found] == [
        ("post-3", "Drone strike damages school in Hallen"),
        ("post-2", "Ostria pledges generators for border hospitals"),
        ("post-1", "Curfew in Hallen extended by a week")]
    school, generators, curfew = found
    assert school.body.count("\n") == 1 and generators.body.count("\n") == 1
    assert curfew.body == "The military administration in Hallen extended the night curfew by another week."
    assert_absent(found, "How The Velm Talks", "Photo:", "Hospital staff", "Sign up", "enters its",
                      "Firefighters", "now closed")


def test_a_page_that_opens_with_its_introduction_keeps_its_first_headline() -> None:
    found = entries("intro_first_headlines.txt")
    assert [e.headline for e in found] == [
        "Drone strike damages school in Hallen, officials say",
        "'We will rebuild': Marenko residents clear rubble after strike"]
    assert_absent(found, "liveblogged")
