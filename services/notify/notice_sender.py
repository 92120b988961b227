"""Sends queued owner notices over SMTP, on the delivery retry schedule (see notices.py)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from services.notify.channels.email import EmailNotifier
from services.notify.metrics import NotifyMetrics
from services.notify.notices import Notice, NoticeStore, as_email
from services.notify.retry import RetryPolicy
from services.runtime.db import SqlThreads

log = logging.getLogger("frontwire.notify.notices")
LEASE = timedelta(minutes=2)


class NoticeSender:
    def __init__(self, store: NoticeStore, mail: EmailNotifier, mail_from: str, policy: RetryPolicy,
                 metrics: NotifyMetrics, sql: SqlThreads, clock: Callable[[], datetime],
                 rng: random.Random | None = None) -> None:
        self.store, self.mail, self.mail_from, self.policy = store, mail, mail_from, policy
        self.metrics, self.sql, self.clock = metrics, sql, clock
        self.rng = rng or random.Random()

    async def send_due(self) -> int:
        """Send the notices that are due; how many went out."""
        sent = 0
        for notice in await self.sql(self.store.claim_due, self.clock(), LEASE):
            sent += await self._send(notice)
        return sent

    async def _send(self, notice: Notice) -> int:
        result = await self.mail.send_message(as_email(notice, self.mail_from))
        now, attempts = self.clock(), notice.attempts + 1
        if result.ok:
            self.metrics.owner_notices.labels("sent").inc()
            log.info("told %s that subscription %s was disabled", notice.address,
                     notice.subscription_id, extra={"subscription_id": notice.subscription_id})
            await self.sql(lambda: self.store.done(notice.id, status="sent", attempts=attempts,
                                                   error=None, next_attempt_at=None, now=now))
            return 1
        delay = self.policy.next_delay(attempts, None, self.rng) if result.retryable else None
        status = "pending" if delay is not None else "failed"
        self.metrics.owner_notices.labels("retry" if delay is not None else "failed").inc()
        log.warning("cannot tell %s that subscription %s was disabled (%s)", notice.address,
                    notice.subscription_id, result.error,
                    extra={"subscription_id": notice.subscription_id})
        when = now + timedelta(seconds=delay) if delay is not None else None
        await self.sql(lambda: self.store.done(notice.id, status=status, attempts=attempts,
                                               error=result.error, next_attempt_at=when, now=now))
        return 0
