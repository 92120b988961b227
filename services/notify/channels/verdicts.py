"""What an HTTP answer means for a delivery: delivered, retry (and when), permanent, or gone
for good. Pure: the time is passed in."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from services.notify.channels.base import SendResult
from services.notify.channels.posting import Reply

_RETRYABLE_STATUS = frozenset({408, 429})
GONE = frozenset({410})
# Chat services answer these when the webhook, bot or token was removed or revoked:
# retrying cannot help, and the owner must fix the destination.
CHAT_GONE = frozenset({401, 403, 404, 410})


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


def status_verdict(status: int, retry_after: float | None, *, gone: frozenset[int] = GONE,
                   detail: str = "") -> SendResult:
    """Map an HTTP status to the channel verdict; ``gone`` statuses disable the destination."""
    said = f"receiver answered {status}" + (f": {detail}" if detail else "")
    if 200 <= status < 300:
        return SendResult(ok=True, retryable=False, status_code=status)
    if status in gone:
        return SendResult(ok=False, retryable=False, status_code=status, disable=True,
                          error=f"{said} (destination disabled)")
    if status in _RETRYABLE_STATUS or status >= 500:
        return SendResult(ok=False, retryable=True, status_code=status, error=said,
                          retry_after=retry_after)
    # 3xx lands here too: redirects are never followed, since they could lead past the guard.
    return SendResult(ok=False, retryable=False, status_code=status, error=said)


def chat_verdict(reply: Reply, now: datetime, retry_after: float | None = None) -> SendResult:
    """The verdict for a chat or push service: a removed webhook, bot or token (401, 403,
    404, 410) disables the destination; the body (``no_service``, ``Unknown Webhook``)
    says why. ``retry_after`` from the body counts as well as the header's, the longer."""
    waits = [w for w in (parse_retry_after(reply.retry_after, now), retry_after) if w is not None]
    detail = " ".join(reply.body[:200].decode("utf-8", "replace").split())
    return status_verdict(reply.status, max(waits) if waits else None, gone=CHAT_GONE,
                          detail=detail)
