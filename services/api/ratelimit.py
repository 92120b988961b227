"""Sliding-window rate limits kept in memory: per API process, reset on restart.

Enough to stop one client from flooding the public sign-up form or an inbox with
confirmation mail, or one API key from flooding the API; several API replicas each
keep their own window.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Literal

from prometheus_client import CollectorRegistry, Counter

Limit = Literal["writes", "updates"]
WINDOW_S = 60.0


class RateLimit:
    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit, self.window_s, self._clock, self._max_keys = limit, window_s, clock, max_keys
        self._hits: dict[str, deque[float]] = {}

    def retry_after(self, key: str) -> float:
        """Seconds until ``key`` may act again; 0 if it may now (and the hit is counted)."""
        now = self._clock()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self._max_keys:
                self._evict(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.window_s - now
        hits.append(now)
        return 0.0

    def _evict(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window_s]:
            del self._hits[key]
        if len(self._hits) >= self._max_keys:  # still full: forget the oldest half
            for key in list(self._hits)[: self._max_keys // 2]:
                del self._hits[key]


class KeyLimits:
    """The API's limits per key and minute: on writes, and on updates pushed (POST
    /v1/updates, counted apart from other writes). A limit of 0 is none. Each refusal is
    counted in ``frontwire_api_rate_limited_total{limit}``."""

    def __init__(self, writes_per_minute: int, updates_per_minute: int,
                 registry: CollectorRegistry, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute: dict[Limit, int] = {"writes": writes_per_minute,
                                             "updates": updates_per_minute}
        self._windows: dict[Limit, RateLimit] = {
            limit: RateLimit(count, WINDOW_S, clock) for limit, count in self.per_minute.items()
            if count > 0}
        self._refused = Counter("frontwire_api_rate_limited_total",
                                "API requests refused (429) by a per-key rate limit",
                                ["limit"], registry=registry)
        for limit in self.per_minute:
            self._refused.labels(limit)  # exposed at 0 before the first refusal

    def retry_after(self, key_id: str, limit: Limit) -> int:
        """Whole seconds until key_id may make this kind of request again; 0: go ahead."""
        window = self._windows.get(limit)
        wait = window.retry_after(key_id) if window else 0.0
        if not wait:
            return 0
        self._refused.labels(limit).inc()
        return max(1, math.ceil(wait))
