"""Update identity and revisions: stable ids, content hashes, and the diff against what was seen."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

from services.ingest.identity import (
    KnownEntry,
    content_hash,
    diff,
    normalise,
    to_update,
    update_id,
)
from services.ingest.parsers import Entry

NOW = datetime(2025, 3, 12, 9, 30, tzinfo=UTC)
SOURCE = "example-live"


def entry(headline: str | None = "Shelling damages Hallen school",
          body: str = "A school in Hallen was damaged by shelling overnight. No one was inside.\n"
                      "The mayor said classes would move online.", **kw: object) -> Entry:
    return Entry(headline=headline, body=body, **kw)  # type: ignore[arg-type]


def test_normalise_folds_case_space_quotes_and_dashes() -> None:
    assert normalise("  Kyiv’s  “Victory\tPlan” — LATEST ") == 'kyiv\'s "victory plan" - latest'


def test_content_hash_ignores_typography_but_not_words() -> None:
    base = entry(body="The mayor said: “classes move online.”")
    assert content_hash(base) == content_hash(replace(base, body="the  mayor said: \"classes move online.\""))
    assert content_hash(base) != content_hash(replace(base, body="The mayor said: “classes resume.”"))
    assert len(content_hash(base)) == 32


def test_update_id_is_stable_when_later_paragraphs_are_edited() -> None:
    original = entry()
    edited = replace(original, body=original.body + "\nParents were told on Wednesday evening.")
    assert update_id(SOURCE, original) == update_id(SOURCE, edited)
    assert update_id(SOURCE, original) != update_id(SOURCE, replace(original, headline="Other news"))


def test_headless_entries_are_identified_by_their_first_sentence() -> None:
    first = entry(headline=None, body="U.S. officials confirmed the delivery of 20 generators to "
                                      "Marenko. They arrived on Monday.")
    edited = replace(first, body=first.body.replace("on Monday", "on Sunday night"))
    other = replace(first, body="U.S. officials confirmed the delivery of 40 tents to Marenko.")
    assert update_id(SOURCE, first) == update_id(SOURCE, edited)
    assert update_id(SOURCE, first) != update_id(SOURCE, other)


def test_the_pages_own_id_wins_and_is_kept_short_and_url_safe() -> None:
    plain = entry(entry_id="post-1002")
    assert update_id(SOURCE, plain) == "example-live:post-1002"
    assert update_id(SOURCE, replace(plain, headline="Rewritten headline")) == "example-live:post-1002"
    url_id = update_id(SOURCE, entry(entry_id="https://news.example.org/live/tolvar#post-1003?x=1 y"))
    assert re.fullmatch(r"example-live:[A-Za-z0-9._~-]{1,40}", url_id)


def test_the_same_entry_from_two_sources_gets_two_ids() -> None:
    assert update_id("a", entry()) != update_id("b", entry())


def test_a_very_long_source_still_gives_a_valid_update() -> None:
    upd = to_update("s" * 200, entry(), first_seen_at=NOW)
    assert len(upd.id) <= 200


def test_to_update_fills_every_field_from_the_entry() -> None:
    published = datetime(2025, 3, 12, 8, tzinfo=UTC)
    e = entry(kind="summary", section="What you need to know", url="https://x.example/#1",
              published_at=published)
    upd = to_update(SOURCE, e, first_seen_at=NOW, revision=3, previous_hash="abc",
                    page_url="https://x.example/")
    assert (upd.source, upd.kind, upd.section, upd.headline) == (
        SOURCE, "summary", "What you need to know", e.headline)
    assert (upd.revision, upd.previous_hash, upd.page_url) == (3, "abc", "https://x.example/")
    assert upd.published_at == published and upd.first_seen_at == NOW
    assert upd.content_hash == content_hash(e) and upd.id == update_id(SOURCE, e)


def test_diff_publishes_new_entries_as_revision_one() -> None:
    change = diff(SOURCE, [entry()], {}, NOW)
    assert [(u.revision, u.previous_hash) for u in change.new] == [(1, None)]
    assert change.revised == [] and change.unchanged == 0 and change.vanished == []


def test_diff_publishes_changed_text_as_the_next_revision() -> None:
    before, after = entry(), entry(body=entry().body + "\nA second school was also hit.")
    known = {update_id(SOURCE, before): KnownEntry(content_hash(before), 2)}
    change = diff(SOURCE, [after], known, NOW)
    assert change.new == []
    [rev] = change.revised
    assert (rev.id, rev.revision, rev.previous_hash) == (
        update_id(SOURCE, before), 3, content_hash(before))
    assert rev.content_hash == content_hash(after)


def test_diff_counts_unchanged_entries_and_notes_vanished_ones() -> None:
    kept = entry()
    known = {update_id(SOURCE, kept): KnownEntry(content_hash(kept), 1),
             "example-live:gone": KnownEntry("0" * 32, 1)}
    change = diff(SOURCE, [kept], known, NOW)
    assert (change.new, change.revised, change.unchanged) == ([], [], 1)
    assert change.vanished == ["example-live:gone"]


def test_two_entries_with_one_id_publish_only_the_first() -> None:
    first = entry(entry_id="post-9")
    second = entry(headline="Another headline", entry_id="post-9")
    change = diff(SOURCE, [first, second], {}, NOW)
    assert [u.headline for u in change.new] == [first.headline]
    assert change.duplicates == ["example-live:post-9"]


def test_a_revision_keeps_the_time_the_entry_was_first_seen() -> None:
    before, after = entry(), entry(body=entry().body + "\nA second school was also hit.")
    first_seen = datetime(2025, 3, 12, 7, tzinfo=UTC)
    known = {update_id(SOURCE, before): KnownEntry(content_hash(before), 1, first_seen)}
    [rev] = diff(SOURCE, [after], known, NOW).revised
    assert rev.first_seen_at == first_seen
    # ...and says when this revision was seen: its alert's latency starts there.
    assert rev.revised_at == NOW and rev.seen_at == NOW
    [new] = diff(SOURCE, [before], {}, NOW).new
    assert new.revised_at is None and new.seen_at == new.first_seen_at


def test_an_entry_that_vanished_and_comes_back_unchanged_is_not_new_again() -> None:
    kept = entry()
    known = {update_id(SOURCE, kept): KnownEntry(content_hash(kept), 1, NOW, vanished=True)}
    change = diff(SOURCE, [kept], known, NOW)
    assert (change.new, change.revised, change.unchanged) == ([], [], 1)
    assert change.returned == [update_id(SOURCE, kept)] and change.vanished == []


def test_an_entry_already_noted_as_vanished_is_not_noted_again() -> None:
    known = {"example-live:gone": KnownEntry("0" * 32, 1, NOW, vanished=True)}
    assert diff(SOURCE, [entry()], known, NOW).vanished == []
