"""Subscriptions and deliveries in SQL, against SQLite and the PostgreSQL server alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.models import Alert, ClassifiedUpdate, Label, Subscription, Update, WebhookTarget
from services.notify.store import DeliveryStore, NotFound, SubscriptionStore

pytestmark = pytest.mark.integration
T = datetime(2025, 1, 1, tzinfo=UTC)


def a_subscription(sid: str = "sub_1") -> Subscription:
    return Subscription(id=sid, name="n", labels=[Label.AID], created_at=T,
                        webhook=WebhookTarget(url="https://hooks.example.org/a"))


def an_alert(aid: str = "alrt_1", sub_id: str = "sub_1") -> Alert:
    upd = Update(id="u", source="s", body="b", first_seen_at=T, content_hash="h")
    cu = ClassifiedUpdate(update=upd, labels=[Label.AID], scores={Label.AID: 0.9},
                          classifier_version="t", classified_at=T)
    return Alert(id=aid, subscription_id=sub_id, channel="webhook", story_id="u",
                 matched_labels=[Label.AID], classified=cu, created_at=T)


def test_subscriptions_round_trip_scoped_by_owner(engine):
    store = SubscriptionStore(engine)
    store.add(a_subscription("sub_1"), "alice", "whsec_x")
    store.add(a_subscription("sub_2"), "bob", None)
    got = store.get("sub_1", "alice")
    assert got.secret == "whsec_x" and got.subscription.labels == [Label.AID]
    assert [s.subscription.id for s in store.list("alice")] == ["sub_1"]
    with pytest.raises(NotFound):
        store.get("sub_1", "bob")
    with pytest.raises(NotFound):
        store.delete("sub_1", "bob")
    store.delete("sub_1", "alice")
    assert [s.subscription.id for s in store.list()] == ["sub_2"]


def test_version_changes_when_subscriptions_change(engine):
    store = SubscriptionStore(engine)
    before = store.version()
    store.add(a_subscription(), "o", None)
    after_add = store.version()
    store.disable("sub_1", "410 Gone", T + timedelta(minutes=1))
    assert len({before, after_add, store.version()}) == 3
    assert store.active() == []
    assert store.get("sub_1").subscription.disabled_reason == "410 Gone"


def test_an_alert_is_recorded_once_however_often_it_is_replayed(engine):
    store = DeliveryStore(engine)
    assert store.add_pending(an_alert(), T, T) is True
    assert store.add_pending(an_alert(), T, T) is False
    assert store.counts() == {"pending": 1}


def test_due_deliveries_are_claimed_by_one_worker_until_the_lease_ends(engine):
    store = DeliveryStore(engine)
    store.add_pending(an_alert("alrt_1"), T, T)
    store.add_pending(an_alert("alrt_2"), T + timedelta(minutes=5), T)
    first = store.claim_due(T + timedelta(seconds=1), 10, timedelta(seconds=30))
    assert [a.id for _, a in first] == ["alrt_1"]
    assert store.claim_due(T + timedelta(seconds=2), 10, timedelta(seconds=30)) == []
    again = store.claim_due(T + timedelta(seconds=40), 10, timedelta(seconds=30))
    assert [a.id for _, a in again] == ["alrt_1"]


def test_recorded_outcomes_and_replay(engine):
    store = DeliveryStore(engine)
    store.add_pending(an_alert(), T, T)
    [(delivery, _)] = store.claim_due(T, 10, timedelta(seconds=30))
    store.record(delivery.id, status="delivered", attempts=2, status_code=200, error=None,
                 latency_ms=12.5, next_attempt_at=None, delivered_at=T + timedelta(seconds=3))
    [got] = store.for_subscription("sub_1")
    assert (got.status, got.attempts, got.last_status_code) == ("delivered", 2, 200)
    assert got.delivered_at == T + timedelta(seconds=3)
    store.replay(delivery.id, T + timedelta(hours=1))
    assert [a.id for _, a in store.claim_due(T + timedelta(hours=1), 10, timedelta(seconds=5))] == ["alrt_1"]


def test_held_alerts_become_one_digest_once(engine):
    store = DeliveryStore(engine)
    store.add_pending(an_alert("alrt_1"), T, T, send_at=T + timedelta(minutes=30), held=True)
    store.add_pending(an_alert("alrt_2"), T, T, send_at=T + timedelta(minutes=30), held=True)
    assert store.due_held(T + timedelta(minutes=10)) == {}
    assert store.claim_due(T + timedelta(hours=1), 10, timedelta(seconds=5)) == []  # held: not sent alone
    due = store.due_held(T + timedelta(minutes=31))
    [(sub_id, items)] = due.items()
    assert sub_id == "sub_1" and [a.id for _, a in items] == ["alrt_1", "alrt_2"]
    digest = an_alert("alrt_digest").model_copy(update={"kind": "digest", "digest": [a for _, a in items]})
    assert store.compose_digest([i for i, _ in items], digest, T + timedelta(minutes=31)) is True
    assert store.compose_digest([i for i, _ in items], digest, T + timedelta(minutes=32)) is False
    assert store.due_held(T + timedelta(hours=2)) == {}
    assert store.counts() == {"digested": 2, "pending": 1}
