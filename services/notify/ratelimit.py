"""Per-destination rate limits for the chat and push channels. Pure: the time is passed in.

Chat services limit how fast one webhook, chat or topic takes messages, and answer
429 beyond it; sending at their pace spares a retry schedule's worth of waiting.
Each destination (one Slack webhook, one Telegram chat of one bot, one ntfy topic)
has a token bucket at its service's documented pace; a 429's Retry-After pauses
the whole destination, not just the delivery that met it. Webhooks and email have
no limit here (per-endpoint concurrency in the dispatcher bounds them).

The limits are per notify worker: alerts of one subscription go to one partition,
so one worker sends nearly all of a destination's messages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from schemas.models import Subscription


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int = 1


# The services' documented paces (see README, "Chat and push channels").
RATES: dict[str, Rate] = {
    "slack": Rate(1.0, 1),              # about one message a second per webhook
    "teams": Rate(1.0, 4),              # workflow and connector webhooks: a few a second
    "discord": Rate(0.5, 5),            # 30 a minute per webhook
    "ntfy": Rate(1.0, 5),               # ntfy.sh: a burst, then about one a second
    "telegram": Rate(1.0, 1),           # one message a second per chat
    "telegram-group": Rate(1 / 3, 1),   # 20 a minute per group or channel
}


@dataclass(frozen=True)
class Destination:
    key: str
    rate: Rate | None


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def destination(sub: Subscription, secret: str | None) -> Destination:
    """The destination a subscription sends to, as a key that holds no credential."""
    channel = sub.channel
    if sub.telegram is not None:
        group = sub.telegram.chat_id.startswith(("-", "@"))
        key = f"telegram:{_digest(secret or '')}:{sub.telegram.chat_id}"
        return Destination(key, RATES["telegram-group" if group else "telegram"])
    if sub.ntfy is not None:
        return Destination(f"ntfy:{sub.ntfy.url.rstrip('/')}/{sub.ntfy.topic}", RATES["ntfy"])
    if channel in RATES:
        return Destination(f"{channel}:{_digest(secret or sub.id)}", RATES[channel])
    if sub.webhook is not None:
        from urllib.parse import urlsplit

        return Destination(urlsplit(sub.webhook.url).netloc, None)
    return Destination("smtp", None)


@dataclass
class RateLimiter:
    """Token buckets by destination key, kept as GCRA's theoretical arrival times:
    a destination may send from ``tat - (burst - 1) / rate`` on, and each send moves
    its ``tat`` on by one interval."""

    _tat: dict[str, float] = field(default_factory=dict)

    def wait_for(self, key: str, rate: Rate | None, now: float) -> float:
        """Seconds until ``key`` may send again."""
        if rate is None:
            return 0.0
        return max(0.0, self._tat.get(key, now) - _tolerance(rate) - now)

    def reserve(self, key: str, rate: Rate | None, now: float, max_wait: float) -> float | None:
        """Seconds to wait before sending, with the slot taken; None, with nothing taken,
        if that would be longer than ``max_wait`` (ask ``wait_for`` when to come back)."""
        if rate is None:
            return 0.0
        wait = self.wait_for(key, rate, now)
        if wait > max_wait:
            return None
        self._tat[key] = max(self._tat.get(key, now), now + wait) + 1.0 / rate.per_second
        return wait

    def pause(self, key: str, rate: Rate | None, seconds: float, now: float) -> None:
        """The service asked (429 Retry-After) for nothing to this destination for a while."""
        if rate is not None:
            self._tat[key] = max(self._tat.get(key, now), now + seconds + _tolerance(rate))


def _tolerance(rate: Rate) -> float:
    return (rate.burst - 1) / rate.per_second
