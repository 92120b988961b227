"""Webhook channel: a signed POST per alert, following the Standard Webhooks spec.

The body is the alert as a CloudEvent. ``webhook-id`` is the alert id, so a
receiver can drop the duplicates that at-least-once delivery produces; the body
is byte-identical on every attempt (its ``time`` is the alert's), only
``webhook-timestamp`` and the signature change.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

import httpx
import orjson
from standardwebhooks import Webhook
from standardwebhooks.webhooks import EmptyWebhookSecretError

from schemas.envelope import envelope
from schemas.models import Alert, Subscription
from services.notify.channels.base import Secrets, SendResult
from services.notify.channels.posting import HttpxPoster, Poster, PostFailed
from services.notify.guard import BlockedTarget, NetworkGuard

EVENT_TYPE = "frontwire.alert.v1"
EVENT_SOURCE = "frontwire/notify"
_RETRYABLE_STATUS = frozenset({408, 429})


def encode_alert(alert: Alert) -> bytes:
    """The webhook body: the alert as a CloudEvent, stable across attempts."""
    event = envelope(alert, type=EVENT_TYPE, source=EVENT_SOURCE, event_id=alert.id,
                     subject=alert.subscription_id, time=alert.created_at)
    return orjson.dumps(event)


def sign_headers(msg_id: str, body: bytes, secrets: Sequence[str], now: datetime) -> dict[str, str]:
    """Standard Webhooks headers; one ``v1,`` signature per secret, space-separated."""
    # The spec signs whole seconds; sign exactly the value we put in the header.
    stamp = datetime.fromtimestamp(int(now.timestamp()), tz=UTC)
    payload = body.decode("utf-8")
    signatures = " ".join(_signer(s).sign(msg_id, stamp, payload) for s in secrets)
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(stamp.timestamp())),
            "webhook-signature": signatures}


@lru_cache(maxsize=4096)
def _signer(secret: str) -> Webhook:
    """One signer per secret: building one decodes the secret, signing reuses it."""
    return Webhook(secret)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT even when unmarked
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def result_for_status(status: int, retry_after: float | None) -> SendResult:
    """Map an HTTP status to the channel verdict (pure, for the unit tests)."""
    if 200 <= status < 300:
        return SendResult(ok=True, retryable=False, status_code=status)
    if status == 410:
        return SendResult(ok=False, retryable=False, status_code=status, disable=True,
                          error="receiver answered 410 Gone: endpoint disabled")
    if status in _RETRYABLE_STATUS or status >= 500:
        return SendResult(ok=False, retryable=True, status_code=status,
                          error=f"receiver answered {status}", retry_after=retry_after)
    # 3xx lands here too: redirects are never followed, since they could lead past the guard.
    return SendResult(ok=False, retryable=False, status_code=status,
                      error=f"receiver answered {status}")


def _secrets(secret: Secrets) -> list[str]:
    if secret is None:
        return []
    return [secret] if isinstance(secret, str) else [s for s in secret if s]


class WebhookNotifier:
    """Sends alerts as signed POSTs. Owns its poster: ``aclose`` closes it.

    ``poster`` is the HTTP engine (``AiohttpPoster`` in notify); an ``httpx.AsyncClient``
    is taken too, wrapped in ``HttpxPoster``.
    """

    channel = "webhook"

    def __init__(self, poster: Poster | httpx.AsyncClient, guard: NetworkGuard, user_agent: str,
                 timeout: float) -> None:
        self._poster: Poster = HttpxPoster(poster, guard) if isinstance(poster, httpx.AsyncClient) \
            else poster
        self._guard = guard
        self._user_agent = user_agent
        self._timeout = timeout

    async def send(self, alert: Alert, subscription: Subscription, *, secret: Secrets) -> SendResult:
        if subscription.webhook is None:
            return SendResult(ok=False, retryable=False,
                              error=f"subscription {subscription.id} has no webhook target")
        url = subscription.webhook.url
        secrets = _secrets(secret)
        if not secrets:
            return SendResult(ok=False, retryable=False,
                              error=f"subscription {subscription.id} has no webhook secret")
        started = time.perf_counter()
        try:
            self._guard.check_url(url)
        except BlockedTarget as exc:
            return SendResult(ok=False, retryable=False, error=str(exc))
        body = encode_alert(alert)
        try:
            headers = sign_headers(alert.id, body, secrets, datetime.now(UTC))
        except (ValueError, EmptyWebhookSecretError) as exc:
            # A malformed whsec_ secret fails the same way on every attempt.
            return SendResult(ok=False, retryable=False,
                              error=f"invalid webhook secret for subscription {subscription.id}: {exc}")
        headers |= {"content-type": "application/json", "user-agent": self._user_agent}
        try:
            # One deadline for the whole exchange: per-read timeouts alone would let a
            # receiver dripping a byte a second hold us forever.
            async with asyncio.timeout(self._timeout):
                reply = await self._poster.post(url, body, headers, self._timeout)
        except BlockedTarget as exc:  # the name resolves into a refused range (now)
            return SendResult(ok=False, retryable=False, error=str(exc))
        except TimeoutError:
            return SendResult(ok=False, retryable=True, error=f"timed out after {self._timeout}s",
                              latency_s=time.perf_counter() - started)
        except PostFailed as exc:
            return SendResult(ok=False, retryable=True, error=str(exc),
                              latency_s=time.perf_counter() - started)
        except OSError as exc:  # DNS failure: may well be transient
            return SendResult(ok=False, retryable=True, error=f"cannot resolve {url}: {exc}",
                              latency_s=time.perf_counter() - started)
        latency = time.perf_counter() - started
        retry_after = parse_retry_after(reply.retry_after, datetime.now(UTC))
        return replace(result_for_status(reply.status, retry_after), latency_s=latency)

    async def aclose(self) -> None:
        await self._poster.aclose()
