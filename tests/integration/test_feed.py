"""The console's feed store: newest first, filters, revisions replace, stories group, pruning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.models import ClassifiedUpdate, Label, Severity, Update
from services.notify.feed import FeedStore

pytestmark = pytest.mark.integration
T = datetime(2025, 4, 1, tzinfo=UTC)


def cu(uid: str, minute: int, labels=(), source="blog", severity=Severity.LOW, revision=1,
       body="Shelling hit the market") -> ClassifiedUpdate:
    upd = Update(id=uid, source=source, body=body, first_seen_at=T, content_hash="h", revision=revision)
    return ClassifiedUpdate(update=upd, labels=list(labels), scores={lb: 0.9 for lb in labels},
                            severity=severity, classifier_version="t",
                            classified_at=T + timedelta(minutes=minute))


def test_feed_lists_newest_first_with_filters(engine):
    store = FeedStore(engine)
    store.add(cu("a", 1, [Label.AID], source="x"), "a")
    store.add(cu("b", 2, [Label.CIVILIAN_HARM, Label.AID], severity=Severity.HIGH), "b")
    store.add(cu("c", 3, body="Talks resumed in Geneva"))
    assert [i.classified.update.id for i in store.latest()] == ["c", "b", "a"]
    assert [i.classified.update.id for i in store.latest(label="aid")] == ["b", "a"]
    assert [i.classified.update.id for i in store.latest(source="x")] == ["a"]
    assert [i.classified.update.id for i in store.latest(min_severity=Severity.MEDIUM)] == ["b"]
    assert [i.classified.update.id for i in store.latest(text="geneva")] == ["c"]


def test_a_revision_replaces_its_update_and_an_older_replay_does_not(engine):
    store = FeedStore(engine)
    store.add(cu("a", 1, revision=1, body="first"))
    store.add(cu("a", 5, revision=2, body="second"))
    store.add(cu("a", 6, revision=1, body="first"))
    [item] = store.latest()
    assert item.classified.update.body == "second"


def test_story_members_and_pruning(engine):
    store = FeedStore(engine, keep=2)
    store.add(cu("a", 1, [Label.AID]), "a")
    store.add(cu("b", 2, [Label.AID], source="other"), "a")
    store.add(cu("c", 3))
    assert [i.classified.update.source for i in store.story("a")] == ["blog", "other"]
    assert store.prune() == 1
    assert [i.classified.update.id for i in store.latest()] == ["c", "b"]
