"""Running the real dispatcher in a test: a clock the test moves, and a poll with a deadline."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

T0 = datetime(2025, 1, 1, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def run_until(dispatcher: Any, check: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the dispatcher until ``check()`` holds (polled), then write what it did."""
    task = asyncio.create_task(dispatcher.run())
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while not check():
            assert asyncio.get_running_loop().time() < deadline, "condition not reached"
            await asyncio.sleep(0.01)
        await dispatcher.drain()
    finally:
        task.cancel()
        # A claim already handed to the database thread finishes after the cancel:
        # wait for it, so the next step of the test starts from a settled table.
        await dispatcher.sql(lambda: None)
