"""One poll of one source, and the schedule between polls.

fetch → parse → diff against what was seen → publish new entries and revisions →
remember them. State is written only after the broker acknowledged the records,
so a crash in between republishes (at least once; downstream dedupes by id)
rather than losing an update.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from schemas.models import Update
from services.ingest.fetch import Fetcher
from services.ingest.health import flags
from services.ingest.identity import diff
from services.ingest.metrics import IngestMetrics
from services.ingest.parsers import ParseError, parse_page
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState

log = logging.getLogger("frontwire.ingest")

MAX_BACKOFF = 1800.0  # half an hour: a broken source is retried at least twice an hour
MAX_RETRY_AFTER = 6 * 3600.0


@dataclass(frozen=True)
class PollOutcome:
    ok: bool
    new: int = 0
    revised: int = 0
    retry_after: float | None = None


class Poller:
    def __init__(self, fetcher: Fetcher, state: IngestState, publish: Callable[[list[Update]], None],
                 metrics: IngestMetrics, clock: Callable[[], datetime]) -> None:
        self.fetcher = fetcher
        self.state = state
        self.publish = publish
        self.metrics = metrics
        self.clock = clock

    async def poll(self, spec: SourceSpec) -> PollOutcome:
        started = time.perf_counter()
        try:
            return await self._poll(spec)
        finally:
            self.metrics.poll_duration.labels(spec.id).observe(time.perf_counter() - started)

    async def _poll(self, spec: SourceSpec) -> PollOutcome:
        health = await asyncio.to_thread(self.state.source, spec.id)
        etag = health.etag if health else None
        modified = health.last_modified if health else None
        result = await self.fetcher.fetch(spec, etag, modified)
        now = self.clock()
        if result.status == "not_modified":
            self.metrics.polls.labels(spec.id, "not_modified").inc()
            # The page is the one parsed last time: its parser warning, if any, still holds.
            note = health.last_error if health and (health.last_error or "").startswith("warning:") else None
            await self._record(spec, now, ok=True, error=note)
            return PollOutcome(ok=True)
        if result.status == "error":
            status = "rate_limited" if result.http_status == 429 else "fetch_error"
            return await self._failed(spec, now, status, result.error or "fetch failed",
                                      result.retry_after)
        try:
            # A 10 MB page takes seconds to parse: off the loop, so other sources keep polling.
            parsed = await asyncio.to_thread(parse_page, result.content, content_type=result.content_type,
                                             url=spec.url, kind=None if spec.kind == "auto" else spec.kind)
        except ParseError as exc:
            self.metrics.parse_failures.labels(spec.id).inc()
            return await self._failed(spec, now, "parse_error", f"cannot parse: {exc}", None)
        note = f"warning: {parsed.warnings[0]}" if parsed.warnings else None
        # Say it once: the same page without validators would repeat it every poll.
        level = logging.DEBUG if note and health and health.last_error == note else logging.WARNING
        for warning in parsed.warnings:
            self.metrics.parse_warnings.labels(spec.id).inc()
            log.log(level, "source %s: %s", spec.id, warning, extra={"source": spec.id})
        known = await asyncio.to_thread(self.state.known, spec.id)
        change = diff(spec.id, parsed.entries, known, now)
        page_url = None if spec.is_local else spec.url
        fresh = [u.model_copy(update={"page_url": u.page_url or page_url}) for u in change.new]
        revised = [u.model_copy(update={"page_url": u.page_url or page_url}) for u in change.revised]
        if fresh or revised:
            await asyncio.to_thread(self.publish, fresh + revised)
        await asyncio.to_thread(self.state.remember, spec.id, fresh + revised, change.vanished, now,
                                change.returned)
        for upd in fresh:
            self.metrics.ingested.labels(spec.id, parsed.kind).inc()
            log.info("new update %s from %s: %s", upd.id, spec.id, (upd.headline or upd.body)[:80],
                     extra={"update_id": upd.id, "source": spec.id})
        for upd in revised:
            self.metrics.revisions.labels(spec.id).inc()
            log.info("revision %d of %s from %s", upd.revision, upd.id, spec.id,
                     extra={"update_id": upd.id, "source": spec.id})
        if change.vanished:
            log.info("source %s: %d entries no longer on the page (noted, not alerted): %s",
                     spec.id, len(change.vanished), ", ".join(change.vanished[:5]))
        self.metrics.polls.labels(spec.id, "ok").inc()
        await self._record(spec, now, ok=True, etag=result.etag, modified=result.last_modified,
                           found=len(fresh), error=note)
        return PollOutcome(ok=True, new=len(fresh), revised=len(revised))

    async def _failed(self, spec: SourceSpec, now: datetime, status: str, error: str,
                      retry_after: float | None) -> PollOutcome:
        self.metrics.polls.labels(spec.id, status).inc()
        failures = await self._record(spec, now, ok=False, error=error)
        log.warning("source %s: poll failed: %s (%d in a row)", spec.id, error, failures,
                    extra={"source": spec.id})
        return PollOutcome(ok=False, retry_after=retry_after)

    async def _record(self, spec: SourceSpec, now: datetime, *, ok: bool, error: str | None = None,
                      etag: str | None = None, modified: str | None = None, found: int = 0) -> int:
        """Store the poll's outcome and mirror the source's health in the metrics;
        returns its failures in a row."""
        await asyncio.to_thread(self.state.record_poll, spec.id, now=now, ok=ok, error=error,
                                etag=etag, last_modified=modified, found=found)
        health = await asyncio.to_thread(self.state.source, spec.id)
        if health is None:  # deleted while we polled
            return 0
        self.metrics.consecutive_failures.labels(spec.id).set(health.consecutive_failures)
        if health.last_success_at:
            self.metrics.last_success.labels(spec.id).set(health.last_success_at.timestamp())
        flagged = flags(health, now)
        self.metrics.flagged.labels(spec.id, "failing").set(int(flagged.failing))
        self.metrics.flagged.labels(spec.id, "silent").set(int(flagged.silent))
        return health.consecutive_failures


def next_delay(spec: SourceSpec, outcome: PollOutcome, failures: int, rng: random.Random) -> float:
    """Seconds until the next poll.

    After a success: the interval ±10 % (jitter keeps many sources from polling in step).
    After ``failures`` failed polls in a row: interval × 2^failures ±10 %, at most
    ``MAX_BACKOFF`` (or the interval, if longer); and never sooner than the server's Retry-After (honoured up to
    ``MAX_RETRY_AFTER``, so a bogus header cannot park a source for a year).
    """
    if outcome.ok:
        return spec.interval * rng.uniform(0.9, 1.1)
    cap = max(MAX_BACKOFF, spec.interval)  # a slow source never retries sooner than it polls
    delay = min(cap, spec.interval * 2.0 ** min(max(failures, 1), 20) * rng.uniform(0.9, 1.1))
    if outcome.retry_after is not None:
        delay = max(delay, min(outcome.retry_after, MAX_RETRY_AFTER))
    return delay
