"""The notify service: faust agents that match classified updates and deliver alerts.

``match_updates`` reads ``frontwire.classified.v1``, finds the subscriptions an
update matches and sends one Alert per (subscription, story) to
``frontwire.alerts.v1``. ``accept_alerts`` records each alert as a pending
delivery in SQL (idempotent by alert id) and wakes the dispatcher, which sends it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from schemas.envelope import encode
from schemas.models import Alert, ClassifiedUpdate, Delivery
from schemas.topics import ALERTS, CLASSIFIED, DEADLETTER
from services.notify.alerts import make_alert
from services.notify.attempts import AttemptLog
from services.notify.channels.email import EmailNotifier
from services.notify.dispatch import Dispatcher
from services.notify.feed import FeedStore
from services.notify.guard import NetworkGuard
from services.notify.matching import SubscriptionIndex
from services.notify.metrics import NotifyMetrics, notify_metrics
from services.notify.notice_sender import NoticeSender
from services.notify.notices import NoticeStore, owner_teller
from services.notify.notifiers import http_notifiers
from services.notify.retry import RetryPolicy
from services.notify.schedule import digest_due, digest_of, quiet_until
from services.notify.store import DeliveryStore, NotFound, Pending, SubscriptionStore
from services.notify.stories import StoryStore
from services.notify.subscription_cache import SubscriptionCache
from services.runtime.config import Settings
from services.runtime.db import SqlThreads
from services.runtime.lag import install_lag_metrics
from services.runtime.streams import FrontwireApp, decoded_batches, make_app, raw_topic
from services.runtime.timeutil import utcnow

log = logging.getLogger("frontwire.notify")


class LiveIndex:
    """The subscription index, rebuilt when the subscriptions table changes."""

    def __init__(self, store: SubscriptionStore, cache: SubscriptionCache | None = None) -> None:
        self.store = store
        self.cache = cache  # handed every active subscription at each rebuild
        self._version: int | None = None
        self.index = SubscriptionIndex(())

    def current(self) -> SubscriptionIndex:
        """The index as of now: one counter read, and a rebuild if subscriptions changed."""
        version = self.store.version()
        if version != self._version:
            active = self.store.active()
            self.index = SubscriptionIndex(s.subscription for s in active)
            if self.cache is not None:
                self.cache.prime(version, active)
            self._version = version
            # Keep the collector off the (large, long-lived) index: without this a
            # full collection walks every subscription and stalls matching.
            gc.collect()
            gc.freeze()
            log.info("subscription index rebuilt: %d active", self.index.size)
        return self.index


@dataclass
class NotifyService:
    app: FrontwireApp
    dispatcher: Dispatcher
    metrics: NotifyMetrics
    engine: Engine


async def _retrying(sql: SqlThreads, what: str, fn: Callable[[], Any]) -> Any:
    """Run a blocking DB call until it succeeds: the database may be down for a while."""
    delay = 0.5
    while True:
        try:
            return await sql(fn)
        except Exception as exc:  # noqa: BLE001
            log.warning("%s failed (%s); retrying in %.0fs", what, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 10)


def build(settings: Settings, bootstrap: str, engine: Engine, registry: CollectorRegistry,
          *, app_overrides: dict[str, Any] | None = None) -> NotifyService:
    app = make_app("notify", settings, bootstrap, **(app_overrides or {}))
    metrics = notify_metrics(registry)
    install_lag_metrics(app, registry)
    subs = SubscriptionStore(engine)
    deliveries = DeliveryStore(engine)
    stories = StoryStore(engine)
    feed = FeedStore(engine)
    attempts = AttemptLog(engine)
    notices = NoticeStore(engine)
    guard = NetworkGuard(settings.allowed_networks)
    mail = EmailNotifier(settings.smtp_url, settings.mail_from, settings.public_url,
                         settings.signing_key)
    notifiers = {**http_notifiers(guard), "email": mail}
    policy = RetryPolicy(schedule=settings.retry_delays) if settings.retry_delays else RetryPolicy()
    sql = SqlThreads(engine)  # every database call of this worker, in one place

    dispatcher = Dispatcher(deliveries, subs, notifiers, policy, metrics,
                            lease=timedelta(seconds=settings.delivery_lease), sql=sql,
                            on_disabled=owner_teller(notices, settings.public_url))
    sender = NoticeSender(notices, mail, settings.mail_from, policy, metrics, sql, utcnow)
    index = LiveIndex(subs, dispatcher.cache)

    classified_topic = raw_topic(app, CLASSIFIED)
    alerts_topic = raw_topic(app, ALERTS)
    dead_topic = raw_topic(app, DEADLETTER)

    def on_dead(topic: str, reason: str) -> None:
        metrics.deadletter.labels(topic, reason).inc()

    def place(batch: list[ClassifiedUpdate], now: datetime) -> tuple[SubscriptionIndex, list[Any]]:
        """Stories and feed rows of a batch, in one thread hop; the index as of now."""
        labelled = [c for c in batch if c.update.kind != "summary" and c.labels]
        # a page's own digest repeats its entries; unlabelled updates match nobody
        assigned = dict(zip((id(c) for c in labelled), stories.assign_many(labelled, now), strict=True))
        feed.add_many([(c, a.story_id if (a := assigned.get(id(c))) else None) for c in batch])
        return index.current(), [(c, assigned[id(c)]) for c in labelled]

    @app.agent(classified_topic)
    async def match_updates(stream: Any) -> None:
        async for batch in decoded_batches(stream, ClassifiedUpdate, CLASSIFIED, dead_topic,
                                           "notify", on_dead):
            metrics.classified_seen.inc(len(batch))
            now = utcnow()
            current, labelled = await _retrying(sql, "placing updates in stories",
                                                partial(place, [ce.data for ce in batch], now))
            for classified, story in labelled:
                for match in current.match(classified):
                    alert = make_alert(match, classified, now, story)
                    if alert is None:
                        continue
                    await alerts_topic.send(key=alert.subscription_id.encode(), value=encode(
                        alert, type=ALERTS.event_type, source="frontwire/notify", event_id=alert.id,
                        subject=alert.subscription_id))
                    for label in match.labels:
                        metrics.alerts_matched.labels(label.value, alert.channel).inc()

    @app.agent(alerts_topic)
    async def accept_alerts(stream: Any) -> None:
        async for batch in decoded_batches(stream, Alert, ALERTS, dead_topic, "notify", on_dead):
            added = await _retrying(sql, "recording deliveries",
                                    partial(_record, [ce.data for ce in batch]))
            for alert, _delivery in added:
                metrics.alerts.labels(alert.channel).inc()
            # Due now: this worker holds their lease already and sends them at once.
            await dispatcher.submit((d, alert) for alert, d in added if d is not None)

    def _record(alerts: list[Alert]) -> list[tuple[Alert, Delivery | None]]:
        """Store the alerts: due now, after the quiet hours, or held for the next digest.

        The new ones come back, with their delivery when this worker is to send it now.
        """
        now = utcnow()
        dispatcher.cache.refresh()
        items: list[Pending] = []
        for alert in alerts:
            try:
                sub = dispatcher.cache.get(alert.subscription_id).subscription
            except NotFound:
                continue  # deleted since it matched
            seen = alert.classified.update.seen_at
            if sub.mode == "digest" and alert.kind != "test":
                items.append(Pending(alert, seen, digest_due(sub, now), held=True))
            else:
                items.append(Pending(alert, seen, quiet_until(sub, alert.classified.severity, now) or now))
        new = deliveries.add_pending_many(items, now, claim_for=dispatcher.lease)
        by_id = {a.id: a for a in alerts}
        return [(by_id[alert_id], d if d.next_attempt_at is not None and d.next_attempt_at <= now
                 and d.status == "pending" else None) for alert_id, d in new.items()]

    async def send_digests() -> None:
        try:
            await _send_digests()
        except Exception as exc:  # noqa: BLE001 - database down: a timer that raises stops the worker
            log.warning("cannot send digests (%s); trying again in 10s", exc)

    async def _send_digests() -> None:
        now = utcnow()
        due = await sql(deliveries.due_held, now)
        for sub_id, items in due.items():
            try:
                sub = (await sql(subs.get, sub_id)).subscription
            except NotFound:
                continue
            digest = digest_of(sub, [a for _, a in items], max(a.created_at for _, a in items))
            if await sql(deliveries.compose_digest, [i for i, _ in items], digest, now):
                log.info("digest of %d alerts queued for %s", len(digest.digest), sub_id,
                         extra={"subscription_id": sub_id, "alert_id": digest.id})
                dispatcher.wake()

    async def run_dispatcher() -> None:
        await dispatcher.run()

    async def prune() -> None:
        """The live feed to its size, the attempt log to its retention period."""
        try:
            await sql(feed.prune)
            before = utcnow() - timedelta(days=settings.delivery_log_days)
            metrics.attempts_pruned.inc(await sql(attempts.prune, before))
        except Exception as exc:  # noqa: BLE001 - as above
            log.warning("cannot prune the feed or the attempt log (%s)", exc)

    async def send_notices() -> None:
        try:
            await sender.send_due()
        except Exception as exc:  # noqa: BLE001 - as above
            log.warning("cannot send owner notices (%s); trying again in 10s", exc)

    async def count_pending() -> None:
        try:
            counts = await sql(deliveries.counts)
        except Exception:  # noqa: BLE001 - as above; the dispatcher already says the DB is down
            return
        metrics.retries_pending.set(counts.get("pending", 0))

    async def close_clients(app: Any, **_: Any) -> None:
        await dispatcher.drain()
        for notifier in notifiers.values():
            await notifier.aclose()
        sql.close()

    # faust's decorators are untyped: called plainly so the functions keep their types
    app.timer(interval=10.0)(send_digests)
    app.task(run_dispatcher)
    app.timer(interval=300.0)(prune)
    app.timer(interval=10.0)(send_notices)
    app.timer(interval=5.0)(count_pending)
    app.on_before_shutdown.connect(close_clients)  # type: ignore[arg-type]

    return NotifyService(app, dispatcher, metrics, engine)
