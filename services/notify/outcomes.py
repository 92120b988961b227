"""Writing delivery outcomes: one background task, everything that piled up in one transaction.

Sends finish one by one; the database sees batches. An outcome (with its attempt
for the attempt log) is recorded in memory and written with all the others that
piled up while the previous write ran. A crash before the write leaves the delivery
pending under its lease: it is sent again when the lease ends, and the receiver
drops it by its id.
"""

from __future__ import annotations

import asyncio
import logging

from services.notify.store import DeliveryStore, Outcome
from services.runtime.db import SqlThreads

log = logging.getLogger("frontwire.notify.dispatch")


class OutcomeWriter:
    def __init__(self, deliveries: DeliveryStore, sql: SqlThreads) -> None:
        self.deliveries = deliveries
        self.sql = sql
        self._outcomes: list[Outcome] = []
        self._added = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flushing = asyncio.Lock()  # a flush waits for the write already under way

    def record(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        self._added.set()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # Forget it now: a cancelled task is not done() until it runs again, and a
            # start() in between must not take it for a running writer.
            self._task = None

    async def _run(self) -> None:
        """Write what piled up, as long as there is something to write."""
        while True:
            await self._added.wait()
            try:
                await self.flush()
            except Exception as exc:  # noqa: BLE001 - keep the outcomes until the DB is back
                log.warning("cannot record %d delivery outcomes (%s); retrying in 2s",
                            len(self._outcomes), exc)
                await asyncio.sleep(2)

    async def flush(self) -> None:
        """Write every outcome recorded so far (after any write already under way)."""
        async with self._flushing:
            self._added.clear()
            batch, self._outcomes = self._outcomes, []
            if not batch:
                return
            try:
                await self.sql(self.deliveries.record_many, batch)
            except BaseException:
                self._outcomes[:0] = batch
                self._added.set()
                raise
