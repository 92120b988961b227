"""One HTTP sender for every channel that POSTs: webhook, Slack, Teams, Discord, Telegram, ntfy.

A channel is a ``Format``: two pure functions. ``request`` builds the exact POST its
service expects from an alert (URL, body, headers); ``verdict`` reads the reply
(delivered, retry, permanent, or gone for good). ``HttpNotifier`` does the rest once
for all of them: the SSRF guard before and while connecting, one deadline for the
whole exchange, engine errors turned into a ``SendResult`` with an error class, the
latency and the start of the response body. Credentials never reach an error text:
each secret is masked wherever it appears (a Telegram token sits in the URL's path).
What an answer means is in ``verdicts.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from schemas.models import Alert, Subscription
from services.notify.channels.base import Secrets, SendResult
from services.notify.channels.posting import HttpxPoster, Poster, PostFailed, Reply
from services.notify.guard import BlockedTarget, NetworkGuard
from services.notify.masking import scrub

EXCERPT = 512  # bytes of a response body kept in the attempt log


class NotSendable(ValueError):
    """The subscription cannot make a request (no target, no credential): the same on every try."""


@dataclass(frozen=True)
class HttpRequest:
    url: str
    body: bytes
    headers: Mapping[str, str]


class Format(Protocol):
    channel: str

    def request(self, alert: Alert, subscription: Subscription, secrets: Sequence[str],
                now: datetime) -> HttpRequest:
        """The POST for ``alert``; raises ``NotSendable`` when there can be none."""
        ...

    def verdict(self, reply: Reply, now: datetime) -> SendResult:
        """What the service's answer means."""
        ...


def target_of(subscription: Subscription, channel: str, secrets: Sequence[str],
              credential: str | None) -> Any:
    """The subscription's target of ``channel``, and its ``credential`` stored (if one is
    needed); ``NotSendable`` naming what is missing otherwise."""
    target = getattr(subscription, channel, None)
    if target is None:
        raise NotSendable(f"subscription {subscription.id} has no {channel} target")
    if credential and not secrets:
        raise NotSendable(f"subscription {subscription.id} has no {credential}")
    return target


def secrets_of(secret: Secrets) -> list[str]:
    if secret is None:
        return []
    return [secret] if isinstance(secret, str) else [s for s in secret if s]


def excerpt(body: bytes) -> str | None:
    return body[:EXCERPT].decode("utf-8", "replace") if body else None


class HttpNotifier:
    """Sends alerts over HTTP in the shape ``fmt`` makes. Owns its poster: ``aclose`` closes it.

    ``poster`` is the HTTP engine (``AiohttpPoster`` in notify); an ``httpx.AsyncClient``
    is taken too, wrapped in ``HttpxPoster``.
    """

    def __init__(self, fmt: Format, poster: Poster | httpx.AsyncClient, guard: NetworkGuard,
                 user_agent: str, timeout: float) -> None:
        self.format = fmt
        self.channel = fmt.channel
        self._poster: Poster = HttpxPoster(poster, guard) if isinstance(poster, httpx.AsyncClient) \
            else poster
        self._guard = guard
        self._user_agent = user_agent
        self._timeout = timeout

    async def send(self, alert: Alert, subscription: Subscription, *, secret: Secrets) -> SendResult:
        secrets = secrets_of(secret)
        result = await self._send(alert, subscription, secrets)
        if result.error:
            result = replace(result, error=scrub(result.error, secrets))
        return result

    async def _send(self, alert: Alert, subscription: Subscription, secrets: list[str]) -> SendResult:
        try:
            req = self.format.request(alert, subscription, secrets, datetime.now(UTC))
            self._guard.check_url(req.url)
        except NotSendable as exc:
            return SendResult(ok=False, retryable=False, error=str(exc), error_class="config")
        except BlockedTarget as exc:
            return SendResult(ok=False, retryable=False, error=str(exc), error_class="blocked")
        headers = {"content-type": "application/json", "user-agent": self._user_agent, **req.headers}
        started = time.perf_counter()
        try:
            # One deadline for the whole exchange: per-read timeouts alone would let a
            # receiver dripping a byte a second hold us forever.
            async with asyncio.timeout(self._timeout):
                reply = await self._poster.post(req.url, req.body, headers, self._timeout)
        except BlockedTarget as exc:  # the name resolves into a refused range (now)
            return SendResult(ok=False, retryable=False, error=str(exc), error_class="blocked")
        except TimeoutError:
            return _failed(f"timed out after {self._timeout}s", "timeout", started)
        except PostFailed as exc:
            return _failed(str(exc), "connection", started)
        except OSError as exc:  # DNS failure: may well be transient
            return _failed(f"cannot resolve the host: {exc}", "dns", started)
        result = self.format.verdict(reply, datetime.now(UTC))
        return replace(result, latency_s=time.perf_counter() - started, response=excerpt(reply.body))

    async def aclose(self) -> None:
        await self._poster.aclose()


def _failed(error: str, error_class: str, started: float) -> SendResult:
    return SendResult(ok=False, retryable=True, error=error, error_class=error_class,
                      latency_s=time.perf_counter() - started)
