"""Webhook channel against a real HTTP receiver that verifies Standard Webhooks signatures."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from frontwire.demo.mailbox import free_port
from frontwire.demo.receiver import WebhookReceiver
from services.notify.channels.posting import AiohttpPoster
from services.notify.channels.webhook import WebhookNotifier
from services.notify.guard import BlockedTarget, NetworkGuard, parse_networks
from tests.helpers.notify_factories import make_alert, make_subscription, whsec

pytestmark = pytest.mark.integration

SECRET = whsec()
LOOPBACK = parse_networks("127.0.0.0/8, ::1")


def _notifier(engine: str, guard: NetworkGuard) -> WebhookNotifier:
    """notify's engine (aiohttp, guarded resolver) or an httpx client (pinned address)."""
    poster = AiohttpPoster(guard) if engine == "aiohttp" else httpx.AsyncClient()
    return WebhookNotifier(poster, guard, "frontwire-test/1", 5.0)


@pytest.fixture(params=["aiohttp", "httpx"])
async def allowed(request: pytest.FixtureRequest) -> AsyncIterator[WebhookNotifier]:
    n = _notifier(request.param, NetworkGuard(LOOPBACK))
    yield n
    await n.aclose()


@pytest.fixture(params=["aiohttp", "httpx"])
async def default(request: pytest.FixtureRequest) -> AsyncIterator[WebhookNotifier]:
    n = _notifier(request.param, NetworkGuard())
    yield n
    await n.aclose()


@pytest.fixture
def receiver() -> AsyncIterator[WebhookReceiver]:  # type: ignore[misc]
    with WebhookReceiver(SECRET) as r:
        yield r


async def test_delivers_a_verified_cloudevent(allowed: WebhookNotifier, receiver: WebhookReceiver) -> None:
    alert = make_alert()
    result = await allowed.send(alert, make_subscription(url=receiver.url), secret=SECRET)
    assert result.ok and result.status_code == 200 and result.latency_s > 0
    (payload,) = await receiver.wait_for(1)
    assert payload["type"] == "frontwire.alert.v1" and payload["id"] == alert.id
    assert payload["data"]["id"] == alert.id
    assert receiver.requests[0].headers["webhook-id"] == alert.id


async def test_receiver_with_only_the_old_secret_accepts_during_rotation(allowed: WebhookNotifier) -> None:
    old, new = whsec(b"old"), whsec(b"new")
    for receiver_secret in (old, new):
        with WebhookReceiver(receiver_secret) as r:
            result = await allowed.send(make_alert(), make_subscription(url=r.url), secret=[old, new])
            assert result.ok
            await r.wait_for(1)


async def test_wrong_secret_is_rejected_by_the_receiver_as_permanent(allowed: WebhookNotifier,
                                                                     receiver: WebhookReceiver) -> None:
    result = await allowed.send(make_alert(), make_subscription(url=receiver.url), secret=whsec(b"wrong"))
    assert result.status_code == 401 and not result.retryable
    assert receiver.received == [] and receiver.requests[0].verified is False


async def test_503_is_retryable_and_the_retry_succeeds(allowed: WebhookNotifier,
                                                       receiver: WebhookReceiver) -> None:
    receiver.script(503)
    sub = make_subscription(url=receiver.url)
    first = await allowed.send(make_alert(), sub, secret=SECRET)
    assert first.retryable and first.status_code == 503 and receiver.received == []
    second = await allowed.send(make_alert(), sub, secret=SECRET)
    assert second.ok
    await receiver.wait_for(1)
    assert [r.status for r in receiver.requests] == [503, 200]
    assert receiver.requests[0].body == receiver.requests[1].body


async def test_429_passes_on_retry_after(allowed: WebhookNotifier, receiver: WebhookReceiver) -> None:
    receiver.set_status(429, retry_after="42")
    result = await allowed.send(make_alert(), make_subscription(url=receiver.url), secret=SECRET)
    assert result.retryable and result.status_code == 429 and result.retry_after == 42


async def test_410_disables(allowed: WebhookNotifier, receiver: WebhookReceiver) -> None:
    receiver.set_status(410)
    result = await allowed.send(make_alert(), make_subscription(url=receiver.url), secret=SECRET)
    assert result.disable and not result.retryable and result.status_code == 410


async def test_nothing_listening_is_retryable(allowed: WebhookNotifier) -> None:
    url = f"http://127.0.0.1:{free_port()}/hook"
    result = await allowed.send(make_alert(), make_subscription(url=url), secret=SECRET)
    assert not result.ok and result.retryable and result.status_code is None


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://localhost/",
                                 "http://10.0.0.1/", "http://127.0.0.1/"])
async def test_default_guard_refuses_internal_targets(default: WebhookNotifier, url: str) -> None:
    result = await default.send(make_alert(), make_subscription(url=url), secret=SECRET)
    assert not result.ok and not result.retryable and "refusing webhook target" in (result.error or "")


async def test_default_guard_refuses_the_real_receiver_on_loopback(default: WebhookNotifier,
                                                                   receiver: WebhookReceiver) -> None:
    result = await default.send(make_alert(), make_subscription(url=receiver.url), secret=SECRET)
    assert "loopback" in (result.error or "") and receiver.requests == []


async def test_names_resolving_to_loopback_are_refused_at_send_time() -> None:
    # "localhost" through the real resolver, bypassing the syntactic check.
    with pytest.raises(BlockedTarget, match="loopback"):
        await NetworkGuard().check_resolved("localhost", 80)


async def test_a_plain_hostname_resolving_to_loopback_is_refused(default: WebhookNotifier,
                                                                 receiver: WebhookReceiver) -> None:
    name = await _name_resolving_to_loopback()
    url = f"http://{name}:{receiver.port}/hook"
    NetworkGuard().check_url(url)  # nothing syntactic gives it away...
    result = await default.send(make_alert(), make_subscription(url=url), secret=SECRET)
    assert "loopback" in (result.error or "") and receiver.requests == []  # ...DNS does


async def test_allowing_loopback_lets_named_hosts_through(allowed: WebhookNotifier,
                                                          receiver: WebhookReceiver) -> None:
    url = f"http://localhost:{receiver.port}/hook"
    result = await allowed.send(make_alert(), make_subscription(url=url), secret=SECRET)
    assert result.ok
    await receiver.wait_for(1)
    # The connection went to the address that was checked; the name travels in Host.
    assert receiver.requests[0].headers["host"] == f"localhost:{receiver.port}"


async def _name_resolving_to_loopback() -> str:
    loop = asyncio.get_running_loop()
    for name in (socket.gethostname(), "localhost.localdomain", "ip6-localhost", "ip6-loopback"):
        try:
            infos = await loop.getaddrinfo(name, 80, type=socket.SOCK_STREAM)
        except OSError:
            continue
        if infos and all(str(i[4][0]).startswith("127.") or i[4][0] == "::1" for i in infos):
            return name
    pytest.skip("no host name other than localhost resolves to loopback here")
