"""The dispatcher over a real SQLite store: retries on schedule, closes, disables, counts."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from datetime import timedelta

import pytest
from prometheus_client import CollectorRegistry

from schemas.models import Alert, ClassifiedUpdate, Label, Subscription, Update, WebhookTarget
from services.notify.channels.base import SendResult
from services.notify.dispatch import Dispatcher
from services.notify.metrics import notify_metrics
from services.notify.retry import RetryPolicy
from services.notify.store import DeliveryStore, SubscriptionStore
from services.runtime.db import connect
from tests.helpers.dispatching import T0, Clock, run_until

pytestmark = pytest.mark.integration


class ScriptedNotifier:
    """Answers each send with the next scripted result (records what it was asked)."""

    channel = "webhook"

    def __init__(self, results: list[SendResult]) -> None:
        self.results = results
        self.sent: list[str] = []

    async def send(self, alert, subscription, *, secret):
        self.sent.append(alert.id)
        return self.results.pop(0)

    async def aclose(self) -> None:
        pass


def setup(tmp_path, results, policy=None):
    engine = connect(f"sqlite:///{tmp_path / 'd.db'}")
    subs, deliveries = SubscriptionStore(engine), DeliveryStore(engine)
    subs.add(Subscription(id="sub_1", name="n", labels=[Label.AID], created_at=T0,
                          webhook=WebhookTarget(url="https://hooks.example.org/x")), "o", "whsec_x")
    upd = Update(id="u", source="s", body="b", first_seen_at=T0, content_hash="h")
    cu = ClassifiedUpdate(update=upd, labels=[Label.AID], scores={Label.AID: 0.9},
                          classifier_version="t", classified_at=T0)
    alert = Alert(id="alrt_1", subscription_id="sub_1", channel="webhook", story_id="u",
                  matched_labels=[Label.AID], classified=cu, created_at=T0)
    deliveries.add_pending(alert, T0, T0)
    clock = Clock()
    registry = CollectorRegistry()
    notifier = ScriptedNotifier(results)
    dispatcher = Dispatcher(deliveries, subs, {"webhook": notifier},
                            policy or RetryPolicy(schedule=(5, 60), jitter=0.0),
                            notify_metrics(registry), clock=clock, rng=random.Random(1), idle_poll=0.01)
    return dispatcher, deliveries, subs, clock, notifier, registry


async def test_failed_attempts_are_retried_on_schedule_until_delivered(tmp_path):
    d, deliveries, _, clock, notifier, registry = setup(tmp_path, [
        SendResult(ok=False, retryable=True, status_code=503, error="HTTP 503"),
        SendResult(ok=True, retryable=False, status_code=200)])
    await run_until(d, lambda: len(notifier.sent) == 1)
    [first] = deliveries.for_subscription("sub_1")
    assert first.status == "pending" and first.attempts == 1 and first.last_status_code == 503
    assert first.next_attempt_at == T0 + timedelta(seconds=5)
    clock.now = T0 + timedelta(seconds=6)
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].status == "delivered")
    [done] = deliveries.for_subscription("sub_1")
    assert done.attempts == 2 and notifier.sent == ["alrt_1", "alrt_1"]
    assert registry.get_sample_value("frontwire_deliveries_total",
                                     {"channel": "webhook", "outcome": "delivered"}) == 1


async def test_drain_waits_for_an_outcome_write_already_under_way(tmp_path):
    d, deliveries, _, _, notifier, _ = setup(tmp_path, [
        SendResult(ok=False, retryable=True, status_code=503, error="HTTP 503")])
    real_record = deliveries.record_many
    started = threading.Event()

    def slow_record(batch):
        started.set()
        time.sleep(0.3)  # the background writer is mid-transaction when drain() is called
        return real_record(batch)

    deliveries.record_many = slow_record  # type: ignore[method-assign]
    task = asyncio.create_task(d.run())
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while not started.is_set():
            assert asyncio.get_running_loop().time() < deadline, "no outcome was written"
            await asyncio.sleep(0.005)
        await d.drain()
        [first] = deliveries.for_subscription("sub_1")
        assert first.attempts == 1 and first.last_status_code == 503
    finally:
        task.cancel()
    assert notifier.sent == ["alrt_1"]


async def test_retry_after_is_honoured_as_a_lower_bound(tmp_path):
    d, deliveries, _, _, notifier, _ = setup(tmp_path, [
        SendResult(ok=False, retryable=True, status_code=429, retry_after=42)])
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].attempts == 1)
    assert deliveries.for_subscription("sub_1")[0].next_attempt_at == T0 + timedelta(seconds=42)


async def test_gone_endpoint_fails_the_delivery_and_disables_the_subscription(tmp_path):
    d, deliveries, subs, _, _, _ = setup(tmp_path, [
        SendResult(ok=False, retryable=False, status_code=410, disable=True, error="HTTP 410")])
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].status == "failed")
    assert subs.get("sub_1").subscription.status == "disabled"


async def test_endpoint_failing_past_the_schedule_is_disabled(tmp_path):
    failing = SendResult(ok=False, retryable=True, status_code=500, error="HTTP 500")
    d, deliveries, subs, clock, _, _ = setup(tmp_path, [failing, failing, failing])
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].attempts == 1)
    clock.now = T0 + timedelta(seconds=10)
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].attempts == 2)
    clock.now = T0 + timedelta(seconds=100)
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].status == "failed")
    assert subs.get("sub_1").subscription.status == "disabled"
    assert "failing" in (subs.get("sub_1").subscription.disabled_reason or "")


async def test_permanent_failure_is_not_retried(tmp_path):
    d, deliveries, subs, _, notifier, _ = setup(tmp_path, [
        SendResult(ok=False, retryable=False, status_code=400, error="HTTP 400")])
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].status == "failed")
    assert notifier.sent == ["alrt_1"] and subs.get("sub_1").subscription.status == "active"


def test_the_subscription_cache_serves_primed_subscriptions_until_the_table_changes(tmp_path):
    from services.notify.store import NotFound
    from services.notify.subscription_cache import SubscriptionCache

    _, _, subs, _, _, _ = setup(tmp_path, [])
    reads: list[str] = []
    real_get = subs.get
    subs.get = lambda sub_id, owner=None: reads.append(sub_id) or real_get(sub_id, owner)  # type: ignore[method-assign]
    cache = SubscriptionCache(subs)
    cache.prime(subs.version(), subs.active())
    cache.refresh()
    assert cache.get("sub_1").secret == "whsec_x" and reads == []  # primed: no query
    subs.delete("sub_1")
    assert cache.get("sub_1").subscription.id == "sub_1"  # until the next refresh...
    cache.refresh()
    with pytest.raises(NotFound):                         # ...which sees the change
        cache.get("sub_1")
    assert reads == ["sub_1"]


async def test_every_attempt_is_on_record_with_its_code_latency_and_response(tmp_path):
    from services.notify.attempts import AttemptLog

    d, deliveries, _, clock, _, _ = setup(tmp_path, [
        SendResult(ok=False, retryable=True, status_code=503, error="receiver answered 503",
                   latency_s=0.012, response="upstream down"),
        SendResult(ok=False, retryable=True, error="timed out after 10s", error_class="timeout",
                   latency_s=10.0),
        SendResult(ok=True, retryable=False, status_code=200, latency_s=0.004, response="ok")])
    for step, at in enumerate((T0, T0 + timedelta(seconds=6), T0 + timedelta(seconds=70))):
        clock.now = at
        await run_until(d, lambda n=step + 1: deliveries.for_subscription("sub_1")[0].attempts == n)
    [delivery] = AttemptLog(deliveries.engine).attach(deliveries.for_subscription("sub_1"))
    log = [(a.attempt, a.at, a.outcome, a.status_code, a.error_class, a.latency_ms, a.response)
           for a in delivery.attempt_log]
    assert log == [(1, T0, "retry", 503, None, 12.0, "upstream down"),
                   (2, T0 + timedelta(seconds=6), "retry", None, "timeout", 10000.0, None),
                   (3, T0 + timedelta(seconds=70), "delivered", 200, None, 4.0, "ok")]
    assert delivery.status == "delivered" and delivery.attempts == 3


async def test_a_disabled_destination_is_counted_and_its_owner_told_once(tmp_path):
    told: list[tuple[str, str]] = []
    gone = SendResult(ok=False, retryable=False, status_code=410, disable=True, error="gone")
    d, deliveries, subs, _, _, registry = setup(tmp_path, [gone, gone])
    d.on_disabled = lambda stored, reason, _now: told.append((stored.subscription.id, reason))
    await run_until(d, lambda: deliveries.for_subscription("sub_1")[0].status == "failed")
    subs.replace(subs.get("sub_1").subscription.model_copy(update={"status": "active"}), T0)
    subs.disable("sub_1", "again, by hand", T0)  # already disabled: no second notice
    assert told == [("sub_1", "gone")]
    assert registry.get_sample_value("frontwire_subscriptions_disabled_total",
                                     {"channel": "webhook", "reason": "gone"}) == 1


async def test_a_busy_destination_puts_the_delivery_back_without_counting_an_attempt(tmp_path):
    from schemas.models import TelegramTarget

    d, deliveries, subs, _, notifier, registry = setup(tmp_path, [
        SendResult(ok=True, retryable=False, status_code=200)] * 2)
    group = TelegramTarget(chat_id="-100200300", bot_token="…wxyz", api_url="https://api.telegram.org")
    subs.replace(subs.get("sub_1").subscription.model_copy(update={"webhook": None, "telegram": group}),
                 T0, secret="123:token")
    d.notifiers = {"webhook": notifier, "telegram": notifier}
    d.max_rate_wait = 0.0
    first = deliveries.for_subscription("sub_1")[0]
    other = Alert.model_validate({**(await_alert(deliveries, first.id)).model_dump(),
                                  "id": "alrt_2", "channel": "telegram"})
    deliveries.add_pending(other, T0, T0)
    await run_until(d, lambda: sorted(x.status for x in deliveries.for_subscription("sub_1"))
                    == ["delivered", "pending"])
    waiting = next(x for x in deliveries.for_subscription("sub_1") if x.status == "pending")
    assert waiting.attempts == 0 and waiting.next_attempt_at == T0 + timedelta(seconds=3)
    assert notifier.sent == [notifier.sent[0]]  # one message, then the group's 20 a minute
    assert registry.get_sample_value("frontwire_deliveries_rate_limited_total",
                                     {"channel": "telegram"}) == 1


def await_alert(deliveries: DeliveryStore, delivery_id: str) -> Alert:
    from sqlalchemy import select

    from services.runtime.db import deliveries as table

    with deliveries.engine.connect() as conn:
        return Alert.model_validate_json(conn.execute(
            select(table.c.payload).where(table.c.id == delivery_id)).scalar_one())
