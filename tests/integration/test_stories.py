"""One alert per story: near-duplicates from other outlets join the story; fact changes update it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.models import (
    ClassifiedUpdate,
    Count,
    Facts,
    Label,
    Subscription,
    Update,
    WebhookTarget,
)
from services.notify.alerts import make_alert
from services.notify.matching import Match
from services.notify.stories import StoryStore, fact_changes, signature, similarity

pytestmark = pytest.mark.integration
T = datetime(2025, 6, 1, 12, tzinfo=UTC)

WIRE = ("Russia and Ukraine exchanged 150 prisoners of war on Tuesday in a swap mediated by the "
        "United Arab Emirates, the defence ministries of both countries said.")
PAPER = ("Ukraine and Russia have exchanged 150 prisoners of war in a swap mediated by the United "
         "Arab Emirates, both defence ministries said on Tuesday, the first such exchange in weeks.")
OTHER = ("A drone strike on an apartment block in the port city killed four civilians overnight, "
         "the regional governor said, and damaged a school nearby.")


def cu(uid: str, text: str, source: str, revision: int = 1, killed: int | None = None) -> ClassifiedUpdate:
    facts = Facts(killed=Count(value=killed, text=str(killed)) if killed is not None else None)
    upd = Update(id=uid, source=source, body=text, first_seen_at=T, content_hash=f"h{revision}",
                 revision=revision)
    return ClassifiedUpdate(update=upd, labels=[Label.PRISONER_EXCHANGE], scores={Label.PRISONER_EXCHANGE: 0.9},
                            facts=facts, classifier_version="t", classified_at=T)


def test_minhash_estimates_similarity_of_rewordings_above_unrelated_text():
    assert similarity(signature(WIRE), signature(PAPER)) >= 0.5
    assert similarity(signature(WIRE), signature(OTHER)) < 0.2
    assert signature(WIRE).tolist() == signature(WIRE).tolist()


def test_fact_changes_name_what_changed():
    before = Facts(killed=Count(value=4, text="four"))
    after = Facts(killed=Count(value=6, text="six"), injured=Count(value=10, text="10"))
    assert fact_changes(before, after) == ["killed: 4 -> 6", "injured: none -> 10"]
    assert fact_changes(before, before) == []


def test_reports_of_one_event_from_two_outlets_form_one_story(engine):
    stories = StoryStore(engine)
    first = stories.assign(cu("wire:1", WIRE, "wire"), T)
    second = stories.assign(cu("paper:7", PAPER, "paper"), T + timedelta(minutes=20))
    third = stories.assign(cu("wire:2", OTHER, "wire"), T + timedelta(minutes=30))
    assert first.new_story and first.story_id == "wire:1"
    assert not second.new_story and second.story_id == "wire:1" and second.new_member
    assert [c.source for c in second.others] == ["wire"]
    assert third.new_story and third.story_id == "wire:2"


def test_stories_older_than_the_window_are_not_joined(engine):
    stories = StoryStore(engine, window=timedelta(hours=1))
    stories.assign(cu("wire:1", WIRE, "wire"), T)
    late = stories.assign(cu("paper:7", PAPER, "paper"), T + timedelta(hours=3))
    assert late.new_story


def test_same_subscription_gets_one_alert_per_story_and_an_update_when_a_fact_changes(engine):
    stories = StoryStore(engine)
    sub = Subscription(id="sub_1", name="s", labels=[Label.PRISONER_EXCHANGE], created_at=T,
                       webhook=WebhookTarget(url="https://hooks.example.org/x"))
    match = Match(sub, (Label.PRISONER_EXCHANGE,))
    a = make_alert(match, c1 := cu("wire:1", WIRE, "wire", killed=4), T, stories.assign(c1, T))
    b = make_alert(match, c2 := cu("paper:7", PAPER, "paper"), T, stories.assign(c2, T))
    assert a is not None and b is not None and a.id == b.id  # same id: receivers see one alert
    assert [c.update_id for c in b.corroboration] == ["wire:1"]
    same = make_alert(match, c3 := cu("wire:1", WIRE + " More.", "wire", revision=2, killed=4), T,
                      stories.assign(c3, T))
    assert same is None  # a revision that changes no fact sends nothing
    changed = make_alert(match, c4 := cu("wire:1", WIRE + " More.", "wire", revision=3, killed=6), T,
                         stories.assign(c4, T))
    assert changed is not None and changed.kind == "update" and changed.id != a.id
    assert changed.changes == ["killed: 4 -> 6"]


def test_near_duplicates_in_one_batch_form_one_story(engine):
    stories = StoryStore(engine)
    first, second, third = stories.assign_many(
        [cu("wire:1", WIRE, "wire"), cu("paper:7", PAPER, "paper"), cu("wire:2", OTHER, "wire")], T)
    assert first.new_story and third.new_story
    assert second.story_id == "wire:1" and not second.new_story
    assert [c.update_id for c in second.others] == ["wire:1"]


def test_another_worker_sees_the_stories_this_one_made(engine):
    StoryStore(engine).assign(cu("wire:1", WIRE, "wire"), T)
    other_worker = StoryStore(engine)
    joined = other_worker.assign(cu("paper:7", PAPER, "paper"), T + timedelta(minutes=5))
    assert joined.story_id == "wire:1" and not joined.new_story
    later = StoryStore(engine)
    later.assign(cu("x:1", OTHER, "x"), T)           # loaded once, then only what is new
    StoryStore(engine).assign(cu("y:1", OTHER + " Officials confirmed it.", "y"), T)
    assert later.assign(cu("z:1", OTHER + " More details.", "z"), T).story_id == "x:1"


def test_a_batch_that_fails_to_commit_leaves_no_story_behind(engine):
    from sqlalchemy import event

    def fail_story_insert(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO stories"):
            raise RuntimeError("database went away")

    stories = StoryStore(engine)
    event.listen(engine, "before_cursor_execute", fail_story_insert)
    try:
        with pytest.raises(RuntimeError):
            stories.assign(cu("wire:1", WIRE, "wire"), T)
    finally:
        event.remove(engine, "before_cursor_execute", fail_story_insert)
    # Nothing of wire:1 was kept, in SQL or in the worker's memory: the reworded report
    # starts its own story, and wire:1 itself is assigned afresh when it comes again.
    assert stories.assign(cu("paper:7", PAPER, "paper"), T).new_story
    again = stories.assign(cu("wire:1", WIRE, "wire"), T)
    assert again.story_id == "paper:7" and again.new_member


def test_an_update_and_its_revision_in_one_batch_give_a_story_and_an_update(engine):
    stories = StoryStore(engine)
    first, revised = stories.assign_many([cu("wire:1", WIRE, "wire", killed=4),
                                          cu("wire:1", WIRE + " More.", "wire", revision=2, killed=6)], T)
    assert first.new_story and first.new_member
    assert not revised.new_member and revised.changes == ["killed: 4 -> 6"]
    again = StoryStore(engine).assign(cu("wire:1", WIRE + " More.", "wire", revision=2, killed=6), T)
    # a redelivery of revision 2 answers as the first time: the same update alert
    assert not again.new_member and again.changes == ["killed: 4 -> 6"] and again.story_id == "wire:1"
