"""The one notifier protocol every delivery channel implements.

A channel only sends and reports what happened: delivered, or failed and whether
a retry could help. Backoff, deadlines, attempt counting and logging live once,
around all channels (``services.notify.retry`` and the delivery loop), as in
alertmanager's ``notify.Notifier`` / ``RetryStage`` split.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from schemas.models import Alert, Subscription

# One secret, or several while a rotation is in progress (old and new both sign).
Secrets = str | Sequence[str] | None


@dataclass(frozen=True)
class SendResult:
    """The outcome of one delivery attempt."""

    ok: bool
    retryable: bool  # False = permanent: retrying the same request cannot succeed
    status_code: int | None = None  # HTTP status or SMTP reply code, when there was one
    error: str | None = None
    retry_after: float | None = None  # seconds the receiver asked us to wait (429/503)
    disable: bool = False  # the receiver said it is gone for good (410): disable the subscription
    latency_s: float = 0.0
    # Without a status code, what kind of failure: timeout, connection, dns, blocked, config, smtp.
    error_class: str | None = None
    response: str | None = None  # the start of the response body (the attempt log keeps 512 bytes)


class Notifier(Protocol):
    """Sends one alert over one channel. Never raises for delivery failures."""

    channel: str  # one of schemas.targets.CHANNELS

    async def send(self, alert: Alert, subscription: Subscription, *, secret: Secrets) -> SendResult:
        """Deliver ``alert`` to ``subscription``'s target once; no retries here."""
        ...

    async def aclose(self) -> None:
        """Release connections and clients the notifier owns."""
        ...
