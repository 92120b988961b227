"""The ingest service: one polling task per source, publishing with kafka-python.

Sources come from the sources file (upserted at start) and from the API (read
from SQL every few seconds, so added and deleted sources take effect live).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from kafka import KafkaProducer
from kafka.errors import KafkaError
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from schemas.envelope import encode
from schemas.models import Update
from schemas.topics import UPDATES
from services.ingest.fetch import Fetcher
from services.ingest.metrics import IngestMetrics, ingest_metrics
from services.ingest.poller import Poller, PollOutcome, next_delay
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState, SourceHealth
from services.runtime.timeutil import utcnow

log = logging.getLogger("frontwire.ingest")


class UpdatePublisher:
    """Sends Updates as CloudEvents keyed by update id; returns once the broker acked all."""

    def __init__(self, producer: KafkaProducer, source: str = "frontwire/ingest") -> None:
        self.producer = producer
        self.source = source

    def __call__(self, updates: list[Update]) -> None:
        try:
            self._send(updates)
        except KafkaError as exc:
            # The idempotent producer enters a fatal state it never leaves when the broker
            # forgets its producer id (a restarted embedded broker): start a fresh one and
            # try once more (a record sent twice is deduplicated downstream by id).
            log.warning("publishing failed (%s); retrying with a new producer", exc)
            config = {k: v for k, v in self.producer.config.items() if k in KafkaProducer.DEFAULT_CONFIG}
            old, self.producer = self.producer, KafkaProducer(**config)
            old.close(timeout=0)
            self._send(updates)

    def _send(self, updates: list[Update]) -> None:
        futures = [self.producer.send(UPDATES.name, key=u.id.encode(), value=encode(
            u, type=UPDATES.event_type, source=self.source, subject=u.id,
            event_id=f"{u.id}.r{u.revision}")) for u in updates]
        self.producer.flush(timeout=30)
        for future in futures:
            future.get(timeout=30)  # raises if any record was not acknowledged


@dataclass
class IngestService:
    state: IngestState
    poller: Poller
    client: httpx.AsyncClient
    config_sources: list[SourceSpec]
    reconcile_every: float = 2.0
    grace: float = 15.0  # seconds a poll in flight may take to finish at shutdown
    rng: random.Random = field(default_factory=random.Random)
    _tasks: dict[str, tuple[SourceSpec, asyncio.Event, asyncio.Task[None]]] = field(default_factory=dict)
    _leaving: set[asyncio.Task[None]] = field(default_factory=set)

    async def run(self, stop: asyncio.Event) -> None:
        now = utcnow()
        for spec in self.config_sources:
            await asyncio.to_thread(self.state.upsert_source, spec, "config", now)
        declared = {spec.id for spec in self.config_sources}
        for health in await asyncio.to_thread(self.state.sources):
            if health.origin == "config" and health.spec.id not in declared:
                # The sources file is the truth for its sources: taken out there, gone here.
                await asyncio.to_thread(self.state.remove_source, health.spec.id)
                log.info("source %s is no longer in the sources file: not polled", health.spec.id)
        log.info("ingest started with %d configured sources", len(self.config_sources))
        try:
            while not stop.is_set():
                await self._reconcile()
                await _sleep_unless(stop, self.reconcile_every)
        finally:
            await self._halt_all()
            await self.client.aclose()

    async def _halt_all(self) -> None:
        # Let each poll in flight finish: cancelling one between "published" and
        # "remembered" would publish its updates again after the restart.
        for _spec, halt, task in self._tasks.values():
            halt.set()
            self._leaving.add(task)
        self._tasks.clear()
        if not self._leaving:
            return
        _done, pending = await asyncio.wait(self._leaving, timeout=self.grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    async def _reconcile(self) -> None:
        try:
            wanted = {h.spec.id: h for h in await asyncio.to_thread(self.state.sources)}
        except Exception as exc:  # noqa: BLE001 - database down: keep polling what we have
            log.warning("cannot read sources (%s); keeping the current set", exc)
            return
        for source_id in list(self._tasks):
            spec, halt, task = self._tasks[source_id]
            if source_id not in wanted or wanted[source_id].spec != spec or task.done():
                halt.set()  # it ends after its current poll, if any
                self._leaving.add(task)
                task.add_done_callback(self._leaving.discard)
                del self._tasks[source_id]
                if source_id not in wanted:
                    log.info("source %s removed", source_id)
        for source_id, health in wanted.items():
            if source_id not in self._tasks:
                spec = health.spec
                log.info("polling %s (%s, every %gs): %s", spec.id, spec.kind, spec.interval, spec.url)
                halt = asyncio.Event()
                task = asyncio.create_task(self._loop(spec, halt, health.consecutive_failures,
                                                      self._first_delay(health)))
                self._tasks[source_id] = (spec, halt, task)

    def _first_delay(self, health: SourceHealth) -> float:
        """A source that was failing before a restart keeps its backoff: no burst of retries."""
        failures = health.consecutive_failures
        if not failures or health.last_attempt_at is None:
            return 0.0
        waited = (utcnow() - health.last_attempt_at).total_seconds()
        return max(0.0, next_delay(health.spec, PollOutcome(ok=False), failures, self.rng) - waited)

    async def _loop(self, spec: SourceSpec, halt: asyncio.Event, failures: int, delay: float) -> None:
        while not await _sleep_unless(halt, delay):
            try:
                outcome = await self.poller.poll(spec)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - broker or DB trouble: back off, retry
                log.exception("source %s: poll failed: %s", spec.id, exc)
                outcome = PollOutcome(ok=False)
            failures = 0 if outcome.ok else failures + 1
            delay = next_delay(spec, outcome, failures, self.rng)


async def _sleep_unless(halt: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` or until ``halt`` is set; True when halted."""
    if seconds <= 0:
        return halt.is_set()
    try:
        await asyncio.wait_for(halt.wait(), seconds)
    except TimeoutError:
        return False
    return True


def build(engine: Engine, producer: KafkaProducer, registry: CollectorRegistry,
          config_sources: list[SourceSpec], *, clock: Callable[[], datetime] = utcnow
          ) -> tuple[IngestService, IngestMetrics]:
    metrics = ingest_metrics(registry)
    client = httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=10.0), follow_redirects=True,
                               limits=httpx.Limits(max_connections=20))
    state = IngestState(engine)
    poller = Poller(Fetcher(client), state, UpdatePublisher(producer), metrics, clock)
    return IngestService(state, poller, client, config_sources), metrics
