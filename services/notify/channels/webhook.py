"""Webhook channel: a signed POST per alert, following the Standard Webhooks spec.

The body is the alert as a CloudEvent. ``webhook-id`` is the alert id, so a
receiver can drop the duplicates that at-least-once delivery produces; the body
is byte-identical on every attempt (its ``time`` is the alert's), only
``webhook-timestamp`` and the signature change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache

import httpx
import orjson
from standardwebhooks import Webhook
from standardwebhooks.webhooks import EmptyWebhookSecretError

from schemas.envelope import envelope
from schemas.models import Alert, Subscription
from services.notify.channels.base import SendResult
from services.notify.channels.http import HttpNotifier, HttpRequest, NotSendable, target_of
from services.notify.channels.posting import Poster, Reply
from services.notify.channels.verdicts import parse_retry_after, status_verdict
from services.notify.guard import NetworkGuard

__all__ = ["EVENT_TYPE", "WebhookFormat", "WebhookNotifier", "encode_alert", "parse_retry_after",
           "result_for_status", "sign_headers"]

EVENT_TYPE = "frontwire.alert.v1"
EVENT_SOURCE = "frontwire/notify"


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


def result_for_status(status: int, retry_after: float | None) -> SendResult:
    """Map an HTTP status to the channel verdict (pure, for the unit tests)."""
    return status_verdict(status, retry_after)


class WebhookFormat:
    """The signed CloudEvent POST; only 410 disables (a webhook is the subscriber's own API)."""

    channel = "webhook"

    def request(self, alert: Alert, subscription: Subscription, secrets: Sequence[str],
                now: datetime) -> HttpRequest:
        target = target_of(subscription, "webhook", secrets, "webhook secret")
        body = encode_alert(alert)
        try:
            headers = sign_headers(alert.id, body, secrets, now)
        except (ValueError, EmptyWebhookSecretError) as exc:
            # A malformed whsec_ secret fails the same way on every attempt.
            raise NotSendable(f"invalid webhook secret for subscription {subscription.id}: "
                              f"{exc}") from None
        return HttpRequest(target.url, body, headers)

    def verdict(self, reply: Reply, now: datetime) -> SendResult:
        return status_verdict(reply.status, parse_retry_after(reply.retry_after, now))


class WebhookNotifier(HttpNotifier):
    """Sends alerts as signed POSTs. Owns its poster: ``aclose`` closes it."""

    def __init__(self, poster: Poster | httpx.AsyncClient, guard: NetworkGuard, user_agent: str,
                 timeout: float) -> None:
        super().__init__(WebhookFormat(), poster, guard, user_agent, timeout)
