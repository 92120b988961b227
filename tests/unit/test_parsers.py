"""The pure parsing core of ingest: every way of publishing, furniture, times, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ingest.parsers import KINDS, ParseError, detect, parse_page
from services.ingest.parsers.dates import parse_marker, resolve
from services.ingest.parsers.furniture import is_caption, is_furniture, split_dateline
from services.ingest.parsers.lines import heading_shaped

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(name: str, **kwargs: object) -> object:
    return parse_page(load(name), url=name, **kwargs)  # type: ignore[arg-type]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("name", "kind"), [
    ("jsonld_liveblog.html", "jsonld"), ("microdata_liveblog.html", "microdata"),
    ("feed_rss.xml", "feed"), ("feed_atom.xml", "feed"), ("text_markers.txt", "text"),
    ("text_headlines.txt", "text"), ("generic.html", "html"), ("not_liveblog.html", "html"),
])
def test_detect_picks_the_parser_for_each_way_of_publishing(name: str, kind: str) -> None:
    assert detect(load(name), None, None) == kind


def test_detect_trusts_a_feed_content_type_over_the_body() -> None:
    assert detect(b"<rss version='2.0'><channel/></rss>", "application/rss+xml", None) == "feed"
    assert detect(b"plain words", "text/plain", "https://x.example/live.txt") == "text"


def test_jsonld_entries_carry_headline_body_id_and_utc_time() -> None:
    result = parse("jsonld_liveblog.html")
    assert result.kind == "jsonld"
    assert result.page_date == date(2025, 3, 7)
    first, second, third = result.entries
    assert first.headline == "Drone strike damages Marenko hospital"
    assert first.body.split("\n")[1].startswith("No patients were hurt")
    assert first.entry_id == "https://news.example.org/live/tolvar#post-1003"
    assert first.url == "https://news.example.org/live/tolvar#post-1003"
    assert first.published_at == utc(2025, 3, 7, 12, 12)  # +02:00 converted
    # articleBody given as HTML: paragraphs kept, entities decoded, photo credit dropped
    assert second.body == ("Ostria's parliament approved a 30 million euro package of humanitarian aid.\n"
                           "The money will pay for food, medicine and shelter materials.")
    assert second.entry_id == "post-1002"
    assert third.entry_id is None and third.published_at == utc(2025, 3, 7, 6, 5)


def test_malformed_jsonld_is_a_warning_and_the_page_text_is_used() -> None:
    result = parse("malformed_jsonld.html")
    assert any(w.startswith("malformed JSON-LD block") for w in result.warnings)
    assert result.kind == "html"
    assert [e.headline for e in result.entries] == ["Curfew extended in Marenko",
                                                    "Grain ship leaves southern port"]


def test_microdata_updates_with_ids_times_and_no_captions() -> None:
    result = parse("microdata_liveblog.html")
    assert result.kind == "microdata"
    assert [e.entry_id for e in result.entries] == ["update-77", "update-76"]
    evac = result.entries[0]
    assert evac.headline == "Evacuation ordered in three villages near Dross"
    assert evac.published_at == utc(2025, 3, 8, 12, 30)
    assert "Residents wait for buses" not in evac.body
    assert evac.body.count("\n") == 1


def test_rss_items_become_entries_with_guid_link_and_utc_time() -> None:
    result = parse("feed_rss.xml")
    assert result.kind == "feed"
    power, mediator = result.entries
    assert power.entry_id == "tolvar-live-p-5"
    assert power.url == "https://news.example.org/live/tolvar#p-5"
    assert power.body == ("Engineers restored the Marenko power station, the energy ministry said.\n"
                          "About 40,000 homes had been without electricity since Monday.")
    assert mediator.published_at == utc(2025, 3, 9, 9, 0)  # +0200 converted


def test_atom_entries_use_id_and_content_or_summary() -> None:
    school, generators = parse("feed_atom.xml").entries
    assert school.entry_id == "urn:example:tolvar-live:entry-9"
    assert school.published_at == utc(2025, 3, 10, 11, 20)
    assert school.body.startswith("A school in Hallen was damaged")
    assert generators.body == "Ostria delivered 200 generators to hospitals in the border region."


def test_unreadable_feed_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="feed"):
        parse_page(b"<?xml version='1.0'?><rss><channel><item><title>x</ti", kind="feed")


def test_timestamp_markers_cut_entries_and_resolve_against_the_page_date() -> None:
    result = parse("text_markers.txt")
    assert result.page_date == date(2025, 3, 3)  # from the dated caption
    times = [e.published_at for e in result.entries]
    assert times == [utc(2025, 3, 3, 17, 42), utc(2025, 3, 3, 11, 5), utc(2025, 3, 3, 9, 15), None]
    text = "\n".join(e.text for e in result.entries)
    for furniture in ("Rescue workers clear rubble", "Yesterday's Coverage", "Map:"):
        assert furniture not in text
    convoy = result.entries[1]
    assert "A Note on the Convoy" in convoy.body  # a sub-heading inside an entry stays in it
    original = result.entries[3]
    assert original.body.startswith("The two armies exchanged 64 prisoners of war")
    assert "posted a statement about the exchange on its website:" in original.body


def test_marker_times_use_the_page_date_argument_when_the_page_has_none() -> None:
    page = (b"UPDATE 0830 GMT: Sirens sounded across the capital for the third night running.\n\n"
            b"UPDATE 0700 GMT: Officials reported damage to a bridge on the northern highway.\n")
    result = parse_page(page, page_date=date(2025, 1, 2))
    assert [e.published_at for e in result.entries] == [utc(2025, 1, 2, 8, 30), utc(2025, 1, 2, 7)]
    undated = parse_page(page)
    assert [e.published_at for e in undated.entries] == [None, None]
    assert any("no page date" in w for w in undated.warnings)


def test_headline_led_text_with_digest_title_and_furniture() -> None:
    result = parse("text_headlines.txt")
    summary, *updates = result.entries
    assert summary.kind == "summary" and summary.section == "What you need to know"
    assert summary.body.count("\n") == 2
    assert [e.headline for e in updates] == [
        "Marenko water station hit by overnight shelling", "Velm talks end third day without deal",
        "Ostria pledges field hospital for border region", "Museum reopens in Velm after two years"]
    # a sentence wrapped over two lines is one entry, not a headline
    assert updates[1].body.endswith("including the withdrawal of heavy weapons from the front line.")
    text = "\n".join(e.text for e in result.entries)
    for furniture in ("Tolvar war live", "Published", "now closed", "Telegram", "ab/cd"):
        assert furniture not in text


def test_key_developments_list_gives_one_update_per_bullet_with_its_section() -> None:
    result = parse("text_key_developments.txt")
    assert [e.section for e in result.entries] == ["Fighting", "Fighting", "Aid", "Aid",
                                                   "Politics and diplomacy", "Politics and diplomacy"]
    assert all(e.kind == "update" and e.headline is None for e in result.entries)
    assert result.entries[2].body.startswith("Ostria announced a package of 30 million euros")


def test_generic_html_uses_headings_and_drops_page_furniture() -> None:
    result = parse("generic.html")
    assert result.kind == "html"
    assert [e.headline for e in result.entries] == [
        "Shelling hits Marenko rail yard", "Ostria to send second aid convoy",
        "Velm mediator proposes new talks schedule"]
    rail, convoy, talks = result.entries
    assert rail.body.count("\n") == 1 and "Photo" not in rail.body
    assert convoy.body.endswith("the ministry's spokesperson said.")
    assert talks.body == ("The mediator in Velm proposed that delegations meet every Tuesday until a "
                          "ceasefire text is agreed.\nNeither side has publicly responded to the proposal.")
    text = "\n".join(e.text for e in result.entries)
    for furniture in ("Smoke rises", "Read more", "newsletter", "Telegram", "Click here", "ab/cd",
                      "Related", "World", "By Ana", "©"):
        assert furniture not in text


def test_html_entries_take_the_id_of_their_article() -> None:
    page = b"""<html><body><main>
      <article id="e-2"><h2>Second bridge reopens in Hallen</h2>
        <time datetime="2025-03-11T10:00:00Z">10:00</time>
        <p>Traffic resumed over the second bridge in Hallen after three weeks of repairs.</p></article>
      <article id="e-1"><h2>Trains to the border suspended</h2>
        <p>The rail operator suspended services to the border after damage to the line.</p></article>
    </main></body></html>"""
    result = parse_page(page)
    assert [e.entry_id for e in result.entries] == ["e-2", "e-1"]
    assert result.entries[0].published_at == utc(2025, 3, 11, 10)


@pytest.mark.parametrize(("name", "message"), [
    ("not_liveblog.html", "not a live blog"), ("empty.html", "empty page"),
    ("binary.bin", "binary content"),
])
def test_bad_pages_raise_a_parse_error_naming_the_problem(name: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(name)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ParseError, match="unknown parser kind"):
        parse_page(load("text_markers.txt"), kind="pdf")
    assert "text" in KINDS


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_result_or_a_parse_error(content: bytes) -> None:
    try:
        result = parse_page(content)
    except ParseError:
        return
    assert all(e.body.strip() for e in result.entries)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "UPDATE 1200 GMT:", "Breaking news from the front", "<h2>Heading here</h2>", "<p>", "",
    "- a bullet point about shelling in the north of the region", "{\"@type\": \"LiveBlogPosting\"",
    "Officials said three people were injured in the attack on Tuesday.", "ORIGINAL ENTRY:",
    "<script type=\"application/ld+json\">", "</script>", "What you need to know", "Fighting",
]), max_size=40))
def test_any_mix_of_page_shapes_gives_a_result_or_a_parse_error(parts: list[str]) -> None:
    try:
        result = parse_page("\n".join(parts).encode())
    except ParseError:
        return
    assert all(e.body.strip() for e in result.entries)


def _big_text_page(size: int) -> bytes:
    block = ("Shelling reported near village {n}\n"
             "Officials said shells landed near the school in village {n} overnight, damaging roofs.\n"
             "No casualties were reported, the district administration said in a statement.\n")
    parts, total, n = [], 0, 0
    while total < size:
        piece = block.format(n=n)
        parts.append(piece)
        total += len(piece)
        n += 1
    return "".join(parts).encode()


def test_a_ten_megabyte_page_parses_whole() -> None:
    # how fast: bench/bench_parse.py (make bench), not a timed test
    page = _big_text_page(10 * 1024 * 1024)
    result = parse_page(page)
    assert len(result.entries) > 10_000


def test_a_ten_megabyte_html_page_parses_whole() -> None:
    body = "".join(f"<h2>Drone attack on depot {n} repelled</h2><p>Air defence units shot down "
                   f"drones approaching depot {n}, the military said on Monday.</p>"
                   for n in range(70_000))
    result = parse_page(f"<html><body><main>{body}</main></body></html>".encode())
    assert len(result.entries) == 70_000


def test_a_ten_megabyte_wall_of_unstructured_text_is_not_a_live_blog() -> None:
    with pytest.raises(ParseError, match="not a live blog"):
        parse_page(b"lorem ipsum dolor " * 600_000)


@pytest.mark.parametrize(("line", "shaped"), [
    ("Ukraine-style headline about talks in Velm", True),
    ("Mediator says 'progress' made in Velm talks", True),
    ("Three hurt as drones hit fuel depot — mayor", True),
    ("Officials said the depot was hit.", False),
    ("The talks continued into the night,", False),
    ("He said he would not comment", False),
    ("Spokesperson said:", False),
    ("“Why would we stop now?”", False),
])
def test_headings_are_recognised_by_shape(line: str, shaped: bool) -> None:
    assert heading_shaped(line) is shaped


@pytest.mark.parametrize(("line", "instant"), [
    ("UPDATE 1519 GMT:", utc(2025, 6, 1, 15, 19)),
    ("15:19", utc(2025, 6, 1, 15, 19)),  # no zone printed: read as UTC
    ("3.19pm BST", utc(2025, 6, 1, 14, 19)),
    ("Update 09:05 CET - Sirens in the capital", utc(2025, 6, 1, 8, 5)),
    ("UPDATE 0130 CEST:", utc(2025, 5, 31, 23, 30)),
    ("2:05 p.m. ET, October 22, 2024", utc(2024, 10, 22, 18, 5)),  # its own date, US summer time
    ("1h ago 16.05 GMT", utc(2025, 6, 1, 16, 5)),
])
def test_timestamp_markers_resolve_to_utc(line: str, instant: datetime) -> None:
    marker = parse_marker(line)
    assert marker is not None
    assert resolve(marker, date(2025, 6, 1)) == instant


@pytest.mark.parametrize("line", ["2024 was a hard year", "1939-45 archive records were opened",
                                  "12.50 percent of homes lost power", "25:61 GMT:"])
def test_ordinary_lines_are_not_markers(line: str) -> None:
    assert parse_marker(line) is None


def test_html_posts_without_headlines_are_cut_at_their_time_stamps() -> None:
    result = parse("generic_timestamps.html")
    assert result.kind == "html" and result.page_date == date(2025, 3, 12)
    assert [e.published_at for e in result.entries] == [
        utc(2025, 3, 12, 16, 5), utc(2025, 3, 12, 15, 40), utc(2025, 3, 12, 14, 58)]
    assert result.entries[0].body.endswith("a new package would be announced next week.")
    assert all(e.headline is None for e in result.entries)


def test_dated_clock_lines_open_entries_and_the_page_digest_is_a_summary() -> None:
    result = parse("text_clock_dates.txt")
    summary, aid, shelling = result.entries
    assert summary.kind == "summary" and summary.section == "The latest"
    assert (aid.headline, aid.published_at) == ("Ostria pledges to keep sending aid",
                                                 utc(2025, 3, 12, 20, 5))
    assert "Example Staff" not in aid.body  # byline dropped
    assert shelling.published_at == utc(2025, 3, 12, 19, 40)


def test_a_list_intro_over_bullets_gives_one_update_per_bullet() -> None:
    page = ("Key developments on Tuesday:\n"
            "* Shelling damaged a power line near Hallen, cutting electricity to 2,000 homes.\n"
            "* The mediator said the next round of talks would begin on Monday in Velm.\n"
            "Hallen power line repaired\n"
            "Engineers restored the power line near Hallen on Tuesday evening, the utility said.\n")
    result = parse_page(page.encode())
    assert [(e.section, e.headline) for e in result.entries] == [
        ("Key developments on Tuesday", None), ("Key developments on Tuesday", None),
        (None, "Hallen power line repaired")]


def test_html_with_entries_in_bare_divs_is_read_as_lines_of_text() -> None:
    result = parse("generic_divs.html")
    assert [e.headline for e in result.entries] == [
        "Ferry service to the islands resumes", "Border crossing at Hallen reopens",
        "Marenko schools to reopen next week"]
    ferry, crossing, _ = result.entries
    assert ferry.body.split("\n")[1] == "The operator said it would run two crossings a day."  # <br>
    assert "reopened for civilian traffic" in crossing.body  # inline markup not split
    assert all(e.section is None for e in result.entries)


@pytest.mark.parametrize("line", [
    "Photo: Example Agency", "Map: Example Conflict Monitor", "Image credit: J. Doe/Example",
    "Read more: How the convoy crossed the river", "Related: Who leads the Velm talks?",
    "Join us on Telegram for the latest news", "Sign up for our morning briefing newsletter",
    "Click here to read the full explainer.", "This live blog is now closed.",
    "We are pausing our live coverage for today.", "xy/zz (AFP, dpa)", "(Reuters, AP)",
    "By Jane Placeholder", "Advertisement", "Your support keeps our reporters in the field",
    "Please support independent journalism today",
])
def test_page_furniture_is_recognised(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", [
    "Three civilians were killed when shells hit the market, officials said.",
    "The countries that support our position will meet in Velm.",
    "Map makers in the capital were asked to redraw the border region.",
    "Officials said the strike hit a depot used by the army.",
])
def test_entry_text_is_not_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_a_dated_caption_is_furniture_but_a_dated_sentence_is_not() -> None:
    assert is_caption("Firefighters at the depot in Lask, May 4, 2025")
    assert not is_caption("Firefighters reached the depot in Lask on May 4, 2025.")


@pytest.mark.parametrize(("line", "dateline", "rest"), [
    ("Published June 2, 2025last updated June 2, 2025What we know", True, "What we know"),
    ("Updated 14:05 GMT, 3 June 2025", True, ""),
    ("date 2025-06-02 Share this page", True, "Share this page"),
    ("On June 2, 2025, shelling hit the port.", False, "On June 2, 2025, shelling hit the port."),
])
def test_datelines_are_split_from_what_is_glued_to_them(line: str, dateline: bool, rest: str) -> None:
    assert split_dateline(line) == (dateline, rest)


def test_a_declared_text_or_html_live_blog_may_have_one_entry_so_far() -> None:
    # A growing blog starts with one entry; declaring the kind says it is a live blog.
    text = (b"Coast live, 6 March 2025\n\nUPDATE 0905 GMT:\n\n"
            b"Artillery fire struck the rail yard in Marenko on Thursday morning, killing one worker.\n")
    html = (b"<html><body><main><h1>Coast live</h1><article id='post-1'><h2>Shelling hits Marenko rail"
            b" yard</h2><p>Artillery fire struck the rail yard in Marenko on Thursday morning.</p>"
            b"</article></main></body></html>")
    [one] = parse_page(text, kind="text").entries
    assert one.published_at == utc(2025, 3, 6, 9, 5)
    assert [e.entry_id for e in parse_page(html, kind="html").entries] == ["post-1"]
    for page in (text, html):
        with pytest.raises(ParseError, match="need at least 2.*declare kind"):
            parse_page(page)


def test_a_declared_kind_still_refuses_a_page_with_no_entries() -> None:
    with pytest.raises(ParseError, match="not a live blog: found 0 entries"):
        parse_page(b"<html><body><main><h1>Coast live</h1></main></body></html>", kind="html")


def test_json_ld_that_cannot_be_read_and_no_page_text_says_why() -> None:
    with pytest.raises(ParseError, match="not a live blog.*malformed JSON-LD"):
        parse("malformed_jsonld_only.html")
