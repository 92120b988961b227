"""The one retry policy for every channel: when to try again, and when to give up.

Pure: no clock, no sleeping, no I/O. The notify service stores the next attempt
time in SQL so the schedule survives restarts; it asks this module how long to
wait (``RetryPolicy.next_delay``) and what a ``SendResult`` means
(``classify_outcome``). Channels never retry on their own.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from services.notify.channels.base import SendResult

Outcome = Literal["delivered", "retry", "failed", "disabled"]

# 5 s, 5 min, 30 min, 2 h, 5 h, 10 h: quick recovery from blips, then hours for outages.
DEFAULT_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential-ish backoff on a fixed schedule, with jitter and a deadline.

    ``schedule[i]`` is the wait after the ``i+1``-th failed attempt; once it runs
    out, or ``give_up_after`` seconds have passed since the first attempt, the
    delivery has failed for good.
    """

    schedule: Sequence[float] = DEFAULT_SCHEDULE
    jitter: float = 0.1  # ± fraction, so receivers recovering from an outage are not stampeded
    give_up_after: float = 86400.0

    def __post_init__(self) -> None:
        if not self.schedule or any(d < 0 for d in self.schedule):
            raise ValueError(f"retry schedule must be non-empty and non-negative: {self.schedule!r}")
        if not 0 <= self.jitter < 1:
            raise ValueError(f"retry jitter must be in [0, 1): {self.jitter!r}")
        if self.give_up_after <= 0:
            raise ValueError(f"give_up_after must be positive: {self.give_up_after!r}")

    @property
    def max_attempts(self) -> int:
        """Attempts in all: the first one plus one per schedule step."""
        return len(self.schedule) + 1

    def next_delay(self, attempts: int, retry_after: float | None, rng: random.Random,
                   *, elapsed: float | None = None) -> float | None:
        """Seconds to wait before the next attempt, or None to give up.

        ``attempts`` counts the attempts made so far, the failed one included (≥ 1).
        ``retry_after`` is the receiver's Retry-After, honoured as a lower bound.
        ``elapsed`` (optional) is the time since the first attempt, for the deadline.
        """
        if attempts < 1:
            raise ValueError(f"attempts must be >= 1, got {attempts}")
        if attempts > len(self.schedule):
            return None
        base = float(self.schedule[attempts - 1])
        delay = base * (1 + rng.uniform(-self.jitter, self.jitter))
        if retry_after is not None and retry_after > delay:
            # Never come back sooner than asked, but a receiver asking for longer
            # than our whole deadline is a receiver we will not wait for.
            if retry_after > self.give_up_after:
                return None
            delay = retry_after
        if elapsed is not None and elapsed + delay > self.give_up_after:
            return None
        return delay


def classify_outcome(result: SendResult) -> Outcome:
    """What a channel's verdict means for the delivery (before the policy's deadline)."""
    if result.ok:
        return "delivered"
    if result.disable:
        return "disabled"
    return "retry" if result.retryable else "failed"
