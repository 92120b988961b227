"""Webhook channel against httpx.MockTransport: status mapping, signing, guard order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
import orjson
import pytest
from standardwebhooks import Webhook

from services.notify.channels.webhook import WebhookNotifier, parse_retry_after, result_for_status
from services.notify.guard import NetworkGuard, parse_networks
from tests.helpers.notify_factories import make_alert, make_subscription, whsec

# TEST-NET-3 is refused by default; allowing it lets these tests run without DNS.
URL = "https://203.0.113.10/hook"
SECRET = whsec()
Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


def notifier(handler: Handler, *, timeout: float = 5.0, allowed: str = "203.0.113.0/24") -> tuple[WebhookNotifier, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        response = handler(request)
        return await response if asyncio.iscoroutine(response) else response  # type: ignore[return-value]

    client = httpx.AsyncClient(transport=httpx.MockTransport(record))
    return WebhookNotifier(client, NetworkGuard(parse_networks(allowed)), "frontwire-test/1", timeout), seen


async def send_status(status: int, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    n, seen = notifier(lambda _: httpx.Response(status, headers=headers))
    result = await n.send(make_alert(), make_subscription(url=URL), secret=SECRET)
    await n.aclose()
    return result, seen


@pytest.mark.parametrize("status", [200, 201, 202, 204])
async def test_2xx_is_delivered(status: int) -> None:
    result, _ = await send_status(status)
    assert result.ok and result.status_code == status and result.error is None


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_408_429_and_5xx_are_retryable(status: int) -> None:
    result, _ = await send_status(status)
    assert not result.ok and result.retryable and result.status_code == status


async def test_410_is_permanent_and_disables() -> None:
    result, _ = await send_status(410)
    assert (result.ok, result.retryable, result.disable) == (False, False, True)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
async def test_other_4xx_are_permanent(status: int) -> None:
    result, _ = await send_status(status)
    assert not result.ok and not result.retryable and not result.disable


async def test_redirects_are_not_followed() -> None:
    result, seen = await send_status(302, {"location": "http://169.254.169.254/"})
    assert len(seen) == 1 and not result.ok and not result.retryable


async def test_retry_after_seconds_is_passed_on() -> None:
    result, _ = await send_status(429, {"retry-after": "120"})
    assert result.retryable and result.retry_after == 120


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now) == 30
    assert parse_retry_after("Sun, 01 Mar 2026 12:01:30 GMT", now) == 90
    assert parse_retry_after("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0
    assert parse_retry_after("-5", now) == 0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_result_for_status_keeps_retry_after_only_where_it_matters() -> None:
    assert result_for_status(503, 10).retry_after == 10
    assert result_for_status(200, 10).retry_after is None


async def test_request_is_a_signed_cloudevent() -> None:
    n, seen = notifier(lambda _: httpx.Response(204))
    alert = make_alert()
    await n.send(alert, make_subscription(url=URL), secret=SECRET)
    (request,) = seen
    body = request.content
    headers = dict(request.headers)
    assert headers["webhook-id"] == alert.id
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == "frontwire-test/1"
    assert Webhook(SECRET).verify(body, headers)["data"]["id"] == alert.id
    event = orjson.loads(body)
    assert (event["type"], event["source"], event["id"]) == ("frontwire.alert.v1", "frontwire/notify", alert.id)
    assert event["time"] == alert.created_at.isoformat()


async def test_body_is_identical_on_every_attempt() -> None:
    n, seen = notifier(lambda _: httpx.Response(503))
    for _ in range(2):
        await n.send(make_alert(), make_subscription(url=URL), secret=SECRET)
    assert seen[0].content == seen[1].content
    assert seen[0].headers["webhook-id"] == seen[1].headers["webhook-id"]


async def test_rotated_secrets_both_sign() -> None:
    old, new = whsec(b"old-secret"), whsec(b"new-secret")
    n, seen = notifier(lambda _: httpx.Response(200))
    await n.send(make_alert(), make_subscription(url=URL), secret=[old, new])
    headers = dict(seen[0].headers)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        Webhook(secret).verify(seen[0].content, headers)


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ReadError("reset"),
                                 httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("bad")])
async def test_network_errors_are_retryable(exc: Exception) -> None:
    def fail(_: httpx.Request) -> httpx.Response:
        raise exc

    n, _ = notifier(fail)
    result = await n.send(make_alert(), make_subscription(url=URL), secret=SECRET)
    assert not result.ok and result.retryable and result.status_code is None and result.error


async def test_a_hanging_receiver_times_out_as_retryable() -> None:
    async def hang(_: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    n, _ = notifier(hang, timeout=0.05)
    result = await n.send(make_alert(), make_subscription(url=URL), secret=SECRET)
    assert result.retryable and "timed out" in (result.error or "")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest", "http://10.0.0.1/", "http://localhost/"])
async def test_guard_refuses_before_any_request(url: str) -> None:
    n, seen = notifier(lambda _: httpx.Response(200), allowed="")
    result = await n.send(make_alert(), make_subscription(url=url), secret=SECRET)
    assert seen == [] and not result.ok and not result.retryable
    assert "refusing webhook target" in (result.error or "")


@pytest.mark.parametrize(("secret", "why"), [(None, "no webhook secret"), ([], "no webhook secret"),
                                             ("whsec_", "invalid webhook secret"),
                                             ("whsec_%%%not-base64", "invalid webhook secret")])
async def test_missing_or_bad_secret_is_permanent(secret: str | list[str] | None, why: str) -> None:
    n, seen = notifier(lambda _: httpx.Response(200))
    result = await n.send(make_alert(), make_subscription(url=URL), secret=secret)
    assert seen == [] and not result.retryable and why in (result.error or "")


async def test_subscription_without_webhook_is_permanent() -> None:
    n, _ = notifier(lambda _: httpx.Response(200))
    result = await n.send(make_alert(), make_subscription(address="a@example.org"), secret=SECRET)
    assert not result.ok and not result.retryable and "no webhook target" in (result.error or "")


def test_both_channels_implement_the_notifier_protocol() -> None:
    from services.notify.channels.base import Notifier
    from services.notify.channels.email import EmailNotifier

    n, _ = notifier(lambda _: httpx.Response(200))
    channels: list[Notifier] = [n, EmailNotifier("smtp://127.0.0.1:25", "a@b.example",
                                                 "https://x.example", b"k")]
    assert [c.channel for c in channels] == ["webhook", "email"]
