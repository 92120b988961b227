"""Sending due deliveries: claims them from SQL, sends through a channel, records the outcome.

Every send goes through the same steps whatever the channel (the retry wrapper
of STYLE.md item 5): claim, look up the subscription, wait for the destination's
rate limit, send, classify the result, put the attempt on record, schedule the next
attempt or close the delivery, count it, and tell the owner when the destination is
disabled. A slow or dead endpoint only holds its own slots (per-destination
concurrency), never other subscribers'.

The database sees batches, not single deliveries: due rows are claimed many at a
time, fresh alerts are handed over already claimed (``submit``), subscriptions are
read once per change of the subscriptions table (``SubscriptionCache``), and
outcomes are written by one writer task (``services.notify.outcomes``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

from schemas.models import Alert, Delivery, DeliveryAttempt
from services.notify.channels.base import Notifier, SendResult
from services.notify.metrics import NotifyMetrics
from services.notify.outcomes import OutcomeWriter
from services.notify.ratelimit import RateLimiter, destination
from services.notify.retry import RetryPolicy, classify_outcome
from services.notify.store import (
    DeliveryStore,
    NotFound,
    Outcome,
    StoredSubscription,
    SubscriptionStore,
)
from services.notify.subscription_cache import SubscriptionCache
from services.runtime.db import SqlThreads
from services.runtime.timeutil import utcnow

# Called (in a database thread) when a destination was disabled, with the reason.
OnDisabled = Callable[[StoredSubscription, str, datetime], None]

log = logging.getLogger("frontwire.notify.dispatch")


class Dispatcher:
    def __init__(self, deliveries: DeliveryStore, subscriptions: SubscriptionStore,
                 notifiers: Mapping[str, Notifier], policy: RetryPolicy, metrics: NotifyMetrics,
                 *, per_endpoint: int = 8, max_in_flight: int = 256, batch: int = 128,
                 lease: timedelta = timedelta(seconds=90), idle_poll: float = 1.0,
                 clock: Callable[[], datetime] = utcnow, rng: random.Random | None = None,
                 sql: SqlThreads | None = None, on_disabled: OnDisabled | None = None,
                 max_rate_wait: float = 10.0) -> None:
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
        self.writer = OutcomeWriter(deliveries, self.sql)
        self.limiter = RateLimiter()
        self.max_rate_wait = max_rate_wait  # longer waits go back to the schedule, slot freed
        self.on_disabled = on_disabled

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Claim and send due deliveries until cancelled (retries, replays, restarts)."""
        self.writer.start()
        try:
            while True:
                try:
                    claimed = await self.sql(self._claim, self.clock())
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
            self.writer.stop()

    def _claim(self, now: datetime) -> list[tuple[Delivery, Alert]]:
        claimed = self.deliveries.claim_due(now, self.batch, self.lease)
        if claimed:
            self.cache.refresh()
        return claimed

    async def submit(self, claimed: Iterable[tuple[Delivery, Alert]]) -> None:
        """Send deliveries this worker holds the lease of (waits for a free slot each)."""
        self.writer.start()
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
            await asyncio.wait_for(self.writer.flush(), timeout)

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
        notifier = self.notifiers.get(alert.channel)
        if notifier is None:  # a channel this worker does not know (an older version)
            await self._close(delivery, "failed", None, f"no {alert.channel} channel here", None)
            return
        secrets = stored.signing_secrets(self.clock())
        dest = destination(sub, secrets[0] if secrets else None)
        async with self._endpoint_slots[dest.key]:
            # The schedule's clock, so that a 429's pause and the retry it set agree.
            now = self.clock().timestamp()
            wait = self.limiter.reserve(dest.key, dest.rate, now, self.max_rate_wait)
            if wait is None:  # its destination is busy for long: back to the schedule, untried
                later = self.limiter.wait_for(dest.key, dest.rate, now)
                self.metrics.rate_limited.labels(alert.channel).inc()
                self._record(Outcome(delivery.id, "pending", delivery.attempts,
                                     delivery.last_status_code, delivery.last_error,
                                     delivery.latency_ms, self.clock() + timedelta(seconds=later),
                                     None))
                return
            if wait:
                await asyncio.sleep(wait)
            started = self.clock()
            result = await notifier.send(alert, sub, secret=secrets)
        if result.status_code == 429 and result.retry_after:
            self.limiter.pause(dest.key, dest.rate, result.retry_after, self.clock().timestamp())
        self.metrics.attempt_latency.labels(alert.channel).observe(result.latency_s)
        await self._after_send(delivery, alert, result, started)

    async def _after_send(self, delivery: Delivery, alert: Alert, result: SendResult,
                          started: datetime) -> None:
        attempts = delivery.attempts + 1
        now = self.clock()
        outcome = classify_outcome(result)
        latency_ms = result.latency_s * 1000
        error = result.error

        def tried(verdict: Literal["delivered", "retry", "failed"]) -> DeliveryAttempt:
            return DeliveryAttempt(
                attempt=attempts, at=started, channel=alert.channel, outcome=verdict,
                status_code=result.status_code,
                error_class=None if result.status_code else result.error_class or "error",
                error=error, latency_ms=round(latency_ms, 3), response=result.response)

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
                                     latency_ms, now + timedelta(seconds=delay), None,
                                     tried("retry")))
                return
        if outcome == "delivered":
            self.metrics.deliveries.labels(alert.channel, "delivered").inc()
            if alert.kind in ("new", "update"):  # digests and tests are held or synthetic
                seen = alert.classified.update.seen_at
                self.metrics.end_to_end.labels(alert.channel).observe(
                    max(0.0, (now - seen).total_seconds()))
            self._record(Outcome(delivery.id, "delivered", attempts, result.status_code, None,
                                 latency_ms, None, now, tried("delivered")))
            return
        self.metrics.deliveries.labels(alert.channel, "failed").inc()
        log.warning("delivery %s for %s failed for good: %s", delivery.id,
                    alert.subscription_id, error or result.status_code,
                    extra={"alert_id": alert.id, "subscription_id": alert.subscription_id})
        self._record(Outcome(delivery.id, "failed", attempts, result.status_code, error, latency_ms,
                             None, None, tried("failed")))
        if outcome == "disabled":
            reason = error or f"endpoint answered {result.status_code}"
            await self.writer.flush()  # the failed attempt is on record before the subscription changes
            await self.sql(self._disable, alert.subscription_id, reason, now,
                           "gone" if result.disable else "failing")

    def _disable(self, sub_id: str, reason: str, now: datetime, why: str) -> None:
        """Disable the subscription; the first time, count it and tell its owner (blocking)."""
        if not self.subscriptions.disable(sub_id, reason, now):
            return
        log.warning("subscription %s disabled: %s", sub_id, reason, extra={"subscription_id": sub_id})
        stored = self.subscriptions.get(sub_id)
        self.metrics.subscriptions_disabled.labels(stored.subscription.channel, why).inc()
        if self.on_disabled is not None:
            self.on_disabled(stored, reason, now)

    async def _close(self, delivery: Delivery, status: str, code: int | None, error: str,
                     latency_ms: float | None) -> None:
        self.metrics.deliveries.labels(delivery.channel, status).inc()
        self._record(Outcome(delivery.id, status, delivery.attempts, code, error, latency_ms,
                             None, None))

    def _record(self, outcome: Outcome) -> None:
        self.writer.record(outcome)
