"""Sending due deliveries: claims them from SQL, sends through a channel, records the outcome.

Every send goes through the same steps whatever the channel (the retry wrapper
of STYLE.md item 5): claim, look up the subscription, send, classify the result,
schedule the next attempt or close the delivery, count it. A slow or dead endpoint
only holds its own slots (per-endpoint concurrency), never other subscribers'.

The database sees batches, not single deliveries: due rows are claimed many at a
time, fresh alerts are handed over already claimed (``submit``), subscriptions are
read once per change of the subscriptions table (``SubscriptionCache``), and
outcomes are written by one writer task, all that piled up while the previous
write ran in one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from frontwire.db import SqlThreads
from frontwire.timeutil import utcnow
from schemas.models import Alert, Delivery
from services.notify.channels.base import Notifier, SendResult
from services.notify.metrics import NotifyMetrics
from services.notify.retry import RetryPolicy, classify_outcome
from services.notify.store import (
    DeliveryStore,
    NotFound,
    Outcome,
    StoredSubscription,
    SubscriptionStore,
)

log = logging.getLogger("frontwire.notify.dispatch")


class SubscriptionCache:
    """Subscriptions by id, as stored, forgotten whenever the subscriptions table changes.

    ``refresh`` reads the table's change counter (one row); call it once per batch.
    Blocking: call both methods from a worker thread.
    """

    def __init__(self, store: SubscriptionStore) -> None:
        self.store = store
        self._version: int | None = None
        self._items: dict[str, StoredSubscription] = {}

    def refresh(self) -> None:
        version = self.store.version()
        if version != self._version:
            self._items.clear()
            self._version = version

    def prime(self, version: int, active: Iterable[StoredSubscription]) -> None:
        """Take every active subscription as of ``version`` at once (read for the index)."""
        self._items = {s.subscription.id: s for s in active}
        self._version = version

    def get(self, sub_id: str) -> StoredSubscription:
        """The subscription (NotFound if it was deleted)."""
        found = self._items.get(sub_id)
        if found is None:
            found = self._items[sub_id] = self.store.get(sub_id)
        return found

    def cached(self, sub_id: str) -> StoredSubscription | None:
        return self._items.get(sub_id)


class Dispatcher:
    def __init__(self, deliveries: DeliveryStore, subscriptions: SubscriptionStore,
                 notifiers: Mapping[str, Notifier], policy: RetryPolicy, metrics: NotifyMetrics,
                 *, per_endpoint: int = 8, max_in_flight: int = 256, batch: int = 128,
                 lease: timedelta = timedelta(seconds=90), idle_poll: float = 1.0,
                 clock: Callable[[], datetime] = utcnow, rng: random.Random | None = None,
                 sql: SqlThreads | None = None) -> None:
        self.deliveries = deliveries
        self.sql = sql or SqlThreads(deliveries.engine)
        self.subscriptions = subscriptions
        self.cache = SubscriptionCache(subscriptions)
        self.notifiers = notifiers
        self.policy = policy
        self.metrics = metrics
        self.batch = batch
        self.lease = lease
        self.idle_poll = idle_poll
        self.clock = clock
        self.rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(max_in_flight)
        self._per_endpoint = per_endpoint
        self._endpoint_slots: dict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._per_endpoint))
        self._tasks: set[asyncio.Task[None]] = set()
        self._outcomes: list[Outcome] = []
        self._outcome_added = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()  # a flush waits for the write already under way

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Claim and send due deliveries until cancelled (retries, replays, restarts)."""
        self._start_writer()
        try:
            while True:
                try:
                    claimed = await self.sql(self._claim)
                except Exception as exc:  # noqa: BLE001 - database down: wait and resume
                    log.warning("cannot read deliveries (%s); retrying in 2s", exc)
                    await asyncio.sleep(2)
                    continue
                await self.submit(claimed)
                if len(claimed) < self.batch:
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.idle_poll)
        finally:
            # drain() still writes what is left; the background writer ends with the loop
            if self._writer is not None:
                self._writer.cancel()

    def _claim(self) -> list[tuple[Delivery, Alert]]:
        claimed = self.deliveries.claim_due(self.clock(), self.batch, self.lease)
        if claimed:
            self.cache.refresh()
        return claimed

    async def submit(self, claimed: Iterable[tuple[Delivery, Alert]]) -> None:
        """Send deliveries this worker holds the lease of (waits for a free slot each)."""
        self._start_writer()
        for delivery, alert in claimed:
            await self._slots.acquire()
            task = asyncio.create_task(self._deliver(delivery, alert))
            self._tasks.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()
        if not task.cancelled() and task.exception() is not None:
            log.error("delivery task failed", exc_info=task.exception())

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for the sends under way and write their outcomes."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._flush(), timeout)

    async def _deliver(self, delivery: Delivery, alert: Alert) -> None:
        try:
            stored = self.cache.cached(alert.subscription_id)
            if stored is None:
                stored = await self.sql(self.cache.get, alert.subscription_id)
        except NotFound:
            await self._close(delivery, "failed", None, "subscription deleted", None)
            return
        sub = stored.subscription
        if sub.status != "active" and alert.kind != "test":
            await self._close(delivery, "failed", None, f"subscription disabled: {sub.disabled_reason}", None)
            return
        notifier = self.notifiers[alert.channel]
        endpoint = urlsplit(sub.webhook.url).netloc if sub.webhook else "smtp"
        async with self._endpoint_slots[endpoint]:
            result = await notifier.send(alert, sub, secret=stored.signing_secrets(self.clock()))
        self.metrics.attempt_latency.labels(alert.channel).observe(result.latency_s)
        await self._after_send(delivery, alert, result)

    async def _after_send(self, delivery: Delivery, alert: Alert, result: SendResult) -> None:
        attempts = delivery.attempts + 1
        now = self.clock()
        outcome = classify_outcome(result)
        latency_ms = result.latency_s * 1000
        error = result.error
        if outcome == "retry":
            age = (now - delivery.created_at).total_seconds()
            delay = self.policy.next_delay(attempts, result.retry_after, self.rng, elapsed=age)
            if delay is None:
                outcome = "disabled"
                error = f"endpoint failing for {age / 3600:.1f} h: {result.error}"
            else:
                self.metrics.deliveries.labels(alert.channel, "retry").inc()
                log.info("delivery %s attempt %d failed (%s); next in %.0fs",
                         delivery.id, attempts, result.error or result.status_code, delay,
                         extra={"alert_id": alert.id, "subscription_id": alert.subscription_id})
                self._record(Outcome(delivery.id, "pending", attempts, result.status_code, error,
                                     latency_ms, now + timedelta(seconds=delay), None))
                return
        if outcome == "delivered":
            self.metrics.deliveries.labels(alert.channel, "delivered").inc()
            if alert.kind in ("new", "update"):  # digests and tests are held or synthetic
                seen = alert.classified.update.seen_at
                self.metrics.end_to_end.labels(alert.channel).observe(
                    max(0.0, (now - seen).total_seconds()))
            self._record(Outcome(delivery.id, "delivered", attempts, result.status_code, None,
                                 latency_ms, None, now))
            return
        self.metrics.deliveries.labels(alert.channel, "failed").inc()
        log.warning("delivery %s for %s failed for good: %s", delivery.id,
                    alert.subscription_id, error or result.status_code,
                    extra={"alert_id": alert.id, "subscription_id": alert.subscription_id})
        self._record(Outcome(delivery.id, "failed", attempts, result.status_code, error, latency_ms,
                             None, None))
        if outcome == "disabled":
            reason = error or f"endpoint answered {result.status_code}"
            await self._flush()  # the failed attempt is on record before the subscription changes
            await self.sql(self.subscriptions.disable, alert.subscription_id, reason, now)
            log.warning("subscription %s disabled: %s", alert.subscription_id, reason)

    async def _close(self, delivery: Delivery, status: str, code: int | None, error: str,
                     latency_ms: float | None) -> None:
        self.metrics.deliveries.labels(delivery.channel, status).inc()
        self._record(Outcome(delivery.id, status, delivery.attempts, code, error, latency_ms,
                             None, None))

    # Writing outcomes ------------------------------------------------------------------

    def _record(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        self._outcome_added.set()

    def _start_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_outcomes())

    async def _write_outcomes(self) -> None:
        """Write what piled up, in one transaction, as long as there is something to write.

        A crash before the write leaves the delivery pending under its lease: it is
        sent again when the lease ends, and the receiver drops it by webhook-id.
        """
        while True:
            await self._outcome_added.wait()
            try:
                await self._flush()
            except Exception as exc:  # noqa: BLE001 - keep the outcomes until the DB is back
                log.warning("cannot record %d delivery outcomes (%s); retrying in 2s",
                            len(self._outcomes), exc)
                await asyncio.sleep(2)

    async def _flush(self) -> None:
        async with self._flushing:
            self._outcome_added.clear()
            batch, self._outcomes = self._outcomes, []
            if not batch:
                return
            try:
                await self.sql(self.deliveries.record_many, batch)
            except BaseException:
                self._outcomes[:0] = batch
                self._outcome_added.set()
                raise
