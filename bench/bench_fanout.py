"""Webhook fan-out: notify's Dispatcher + WebhookNotifier against bare async HTTP clients.

Everything posts to one fast receiver in its own process (aiohttp, answers 200,
verifies nothing), so the sender is the bottleneck. Measured, each in several
interleaved rounds (medians):

* dispatcher: pending deliveries in SQLite, claimed, signed and sent by notify's
  Dispatcher with notify's webhook channel (``services.notify.notifiers.webhook_notifier``),
  outcomes recorded: deliveries/s until the receiver has them all;
* notifier only: ``WebhookNotifier.send`` on the same alerts without SQL, at the
  dispatcher's per-endpoint concurrency (what the client + signing cost alone);
* bare clients: httpx with default settings and aiohttp posting the same pre-signed
  bodies and headers at the same concurrency. The faster is the baseline.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_common import (
    FastReceiver,
    fast_receiver,
    make_subscriptions,
    make_updates,
    median,
    row,
)

ROUNDS, N = (2, 600) if os.environ.get("BENCH_QUICK") else (3, 1500)
CONCURRENCY = 8  # the dispatcher's per-endpoint limit: one receiver = one endpoint


def _alerts(n: int, url: str, tag: str) -> tuple[list[Any], list[Any]]:
    from schemas.models import Alert, ClassifiedUpdate, Label, Severity

    rng = random.Random(11)
    subs = make_subscriptions(16, rng, url, sources=1)
    now = datetime.now(UTC)
    alerts = []
    for i, upd in enumerate(make_updates(n, rng, f"fan{tag}", sources=1)):
        sub = subs[i % len(subs)]
        cu = ClassifiedUpdate(update=upd, labels=[Label.CIVILIAN_HARM],
                              scores={lb: 0.9 if lb == Label.CIVILIAN_HARM else 0.0 for lb in Label},
                              severity=Severity.MEDIUM, classifier_version="bench", classified_at=now)
        alerts.append(Alert(id=f"alrt_{tag}_{i:06d}", subscription_id=sub.id, channel="webhook",
                            story_id=upd.id, kind="new", matched_labels=[Label.CIVILIAN_HARM],
                            classified=cu, created_at=now))
    return subs, alerts


async def _until(receiver: FastReceiver, target: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while await asyncio.to_thread(receiver.count) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"receiver got fewer than {target} posts in {timeout:.0f}s")
        await asyncio.sleep(0.01)


async def _dispatcher_rate(receiver: FastReceiver, engine: Any, alerts: list[Any]) -> float:
    from prometheus_client import CollectorRegistry

    from services.notify.dispatch import Dispatcher
    from services.notify.guard import NetworkGuard, parse_networks
    from services.notify.metrics import notify_metrics
    from services.notify.notifiers import webhook_notifier
    from services.notify.retry import RetryPolicy
    from services.notify.store import DeliveryStore, SubscriptionStore

    deliveries = DeliveryStore(engine)
    now = datetime.now(UTC) - timedelta(seconds=1)
    for alert in alerts:
        deliveries.add_pending(alert, now, alert.classified.update.first_seen_at)
    notifier = webhook_notifier(NetworkGuard(parse_networks("127.0.0.0/8")))
    dispatcher = Dispatcher(deliveries, SubscriptionStore(engine), {"webhook": notifier},
                            RetryPolicy(), notify_metrics(CollectorRegistry()))
    start_count = await asyncio.to_thread(receiver.count)
    started = time.perf_counter()
    task = asyncio.create_task(dispatcher.run())
    try:
        await _until(receiver, start_count + len(alerts))
        elapsed = time.perf_counter() - started
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await dispatcher.drain()
        await notifier.aclose()
    return len(alerts) / elapsed


async def _pool(n: int, post: Any) -> float:
    items = iter(range(n))

    async def worker() -> None:
        for i in items:
            await post(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return n / (time.perf_counter() - started)


async def _notifier_rate(alerts: list[Any], subs: dict[str, Any], secret: str) -> float:
    from services.notify.guard import NetworkGuard, parse_networks
    from services.notify.notifiers import webhook_notifier

    notifier = webhook_notifier(NetworkGuard(parse_networks("127.0.0.0/8")))

    async def post(i: int) -> None:
        result = await notifier.send(alerts[i], subs[alerts[i].subscription_id], secret=secret)
        assert result.ok, result

    try:
        return await _pool(len(alerts), post)
    finally:
        await notifier.aclose()


def _signed(alerts: list[Any], url: str, secret: str) -> list[tuple[str, bytes, dict[str, str]]]:
    from services.notify.channels.webhook import encode_alert, sign_headers
    from services.notify.notifiers import USER_AGENT

    out = []
    for i, alert in enumerate(alerts):
        body = encode_alert(alert)
        headers = sign_headers(alert.id, body, [secret], datetime.now(UTC))
        headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
        out.append((f"{url}/hooks/{i % 16}", body, headers))
    return out


async def _httpx_rate(requests: list[tuple[str, bytes, dict[str, str]]]) -> float:
    import httpx

    async with httpx.AsyncClient() as client:
        async def post(i: int) -> None:
            url, body, headers = requests[i]
            response = await client.post(url, content=body, headers=headers)
            assert response.status_code == 200

        return await _pool(len(requests), post)


async def _aiohttp_rate(requests: list[tuple[str, bytes, dict[str, str]]]) -> float:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async def post(i: int) -> None:
            url, body, headers = requests[i]
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                assert response.status == 200

        return await _pool(len(requests), post)


def measure(rounds: int = ROUNDS, n: int = N) -> dict[str, list[float]]:
    from bench.bench_common import seed_subscriptions
    from services.notify.store import new_webhook_secret
    from services.runtime.db import connect

    rates: dict[str, list[float]] = {"dispatcher": [], "notifier": [], "httpx": [], "aiohttp": []}
    with fast_receiver() as receiver, tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{Path(tmp) / 'fanout.db'}")
        subs, _ = _alerts(1, receiver.base_url, "seed")
        seed_subscriptions(engine, subs)
        secret = new_webhook_secret()
        from services.notify.store import SubscriptionStore

        secret = SubscriptionStore(engine).get(subs[0].id).secret or secret
        by_id = {s.id: s for s in subs}

        async def main() -> None:
            for r in range(rounds):
                _, alerts = _alerts(n, receiver.base_url, f"r{r}")
                requests = _signed(alerts, receiver.base_url, secret)
                rates["aiohttp"].append(await _aiohttp_rate(requests))
                rates["httpx"].append(await _httpx_rate(requests))
                rates["notifier"].append(await _notifier_rate(alerts, by_id, secret))
                rates["dispatcher"].append(await _dispatcher_rate(receiver, engine, alerts))

        asyncio.run(main())
        engine.dispose()
    return rates


def run() -> list[dict[str, Any]]:
    rates = measure()
    med = {k: median(v) for k, v in rates.items()}
    fastest = max(("httpx", "aiohttp"), key=lambda k: med[k])
    base = f"bare {fastest} ({CONCURRENCY} concurrent)"
    return [
        row("webhook_deliveries_per_s", med["dispatcher"], "deliveries/s", base, med[fastest],
            runs=rates["dispatcher"]),
        row("webhook_vs_fastest_client", med["dispatcher"] / med[fastest], "x", base + " = 1", 1.0,
            med["dispatcher"] / med[fastest], target=">= 0.5"),
        row("webhook_notifier_only_per_s", med["notifier"], "posts/s", base, med[fastest],
            runs=rates["notifier"]),
        row("httpx_default_posts_per_s", med["httpx"], "posts/s", f"bare aiohttp ({CONCURRENCY} concurrent)",
            med["aiohttp"], runs=rates["httpx"]),
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
