"""Shared parts of the service benchmarks: a fast webhook receiver, workloads, helpers.

Not a benchmark itself (it is not in MODULES). The receiver runs in its own process
so that the client under test, not the receiver, is the bottleneck:

    python -m bench.bench_common receiver PORT [--record]

It answers 200 to every POST and verifies nothing (no signature check). With
``--record`` it also parses each body (orjson) and keeps, per first ``webhook-id``,
the arrival time and the update's ``first_seen_at``, for latency figures.
``GET /stats`` returns counts; ``GET /latencies?since=T`` the latencies of webhooks
that arrived after T (unix seconds).
"""

from __future__ import annotations

import itertools
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def row(name: str, value: float, unit: str, baseline: str, baseline_value: float,
        ratio: float | None = None, **extra: Any) -> dict[str, Any]:
    if ratio is None:
        ratio = value / baseline_value if baseline_value else 0.0
    return {"name": name, "value": value, "unit": unit, "baseline": baseline,
            "baseline_value": baseline_value, "ratio": ratio, **extra}


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def p(values: Sequence[float], q: int) -> float:
    """The q-th percentile (1..99) of values (inclusive method)."""
    if len(values) < 2:
        return float(values[0]) if values else 0.0
    return float(statistics.quantiles(values, n=100, method="inclusive")[q - 1])


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 0.01,
               procs: dict[str, subprocess.Popen[bytes]] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        for name, proc in (procs or {}).items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode} while waiting for {what}")
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def stop_procs(procs: dict[str, subprocess.Popen[bytes]], timeout: float = 20.0) -> None:
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# The fast receiver -------------------------------------------------------------------

class FastReceiver:
    """Handle on a receiver process started with :func:`fast_receiver`."""

    def __init__(self, port: int, proc: subprocess.Popen[bytes]) -> None:
        self.port = port
        self.proc = proc
        self.base_url = f"http://127.0.0.1:{port}"
        import httpx

        self._http = httpx.Client(timeout=30)

    def stats(self) -> dict[str, Any]:
        return dict(self._http.get(f"{self.base_url}/stats").json())

    def count(self) -> int:
        return int(self.stats()["count"])

    def latencies(self, since: float) -> list[float]:
        return list(self._http.get(f"{self.base_url}/latencies", params={"since": since}).json())

    def stages(self, since: float) -> list[list[float]]:
        """Per webhook since ``since``: [first seen -> classified, classified -> alert made,
        alert made -> arrival] in seconds (clocks of one machine)."""
        return list(self._http.get(f"{self.base_url}/stages", params={"since": since}).json())

    def close(self) -> None:
        self._http.close()


@contextmanager
def fast_receiver(record: bool = False) -> Iterator[FastReceiver]:
    from frontwire.broker import free_port, port_open

    port = free_port()
    args = [sys.executable, "-m", "bench.bench_common", "receiver", str(port)]
    proc = subprocess.Popen(args + (["--record"] if record else []), cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=None)
    handle = FastReceiver(port, proc)
    try:
        wait_until("the receiver", lambda: port_open("127.0.0.1", port), 20,
                   procs={"receiver": proc})
        yield handle
    finally:
        handle.close()
        stop_procs({"receiver": proc}, 5)


def _serve_receiver(port: int, record: bool) -> None:
    import asyncio

    import orjson
    from aiohttp import web

    count = 0
    seen: set[str] = set()
    arrivals: list[tuple[float, float]] = []  # (arrival, latency)
    stages: list[tuple[float, float, float, float]] = []  # (arrival, to classified, to alert, to arrival)

    async def hook(request: web.Request) -> web.Response:
        nonlocal count
        body = await request.read()
        count += 1
        if record:
            now = time.time()
            wid = request.headers.get("webhook-id", "")
            if wid not in seen:
                seen.add(wid)
                doc = orjson.loads(body)
                first = datetime.fromisoformat(doc["data"]["classified"]["update"]["first_seen_at"])
                arrivals.append((now, now - first.timestamp()))
                classified = datetime.fromisoformat(doc["data"]["classified"]["classified_at"]).timestamp()
                made = datetime.fromisoformat(doc["data"]["created_at"]).timestamp()
                stages.append((now, classified - first.timestamp(), made - classified, now - made))
        return web.Response(status=200)

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response({"count": count, "unique": len(seen)})

    async def latencies(request: web.Request) -> web.Response:
        since = float(request.query.get("since", "0"))
        return web.json_response([lat for at, lat in arrivals if at >= since])

    async def stage_times(request: web.Request) -> web.Response:
        since = float(request.query.get("since", "0"))
        return web.json_response([list(st[1:]) for st in stages if st[0] >= since])

    app = web.Application()
    app.router.add_get("/stats", stats)
    app.router.add_get("/stages", stage_times)
    app.router.add_get("/latencies", latencies)
    app.router.add_post("/{tail:.*}", hook)

    async def main() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port, backlog=1024).start()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(main())


# Workloads ---------------------------------------------------------------------------

_SYLLABLES = ["ka", "ro", "vel", "mi", "tan", "so", "dre", "lu", "pen", "ox", "ar", "ith", "ne",
              "bo", "gal", "ur", "zi", "fen", "ma", "to", "ri", "sha", "ve", "dun"]
# Sentences written for these benchmarks: each sets off one of the labels.
LABELLED = [
    "Shelling in {p} killed {n} civilians and injured at least {m} more, the governor said.",
    "A drone strike on {p} hit an apartment block overnight, wounding {m} residents.",
    "The two sides exchanged {n} prisoners of war at the border near {p} on Sunday.",
    "A new aid package for air defence was announced in {p} by its allies.",
    "Aid trucks carrying flour and medicine arrived in {p} through the southern crossing.",
    "Troops massed near {p} as missile launches against the city intensified overnight.",
]


_TOWNS = itertools.count()


def _town(k: int) -> str:
    """The k-th town of the run, a pseudo-word no other update names: "Kasovo", "Roroivka"."""
    syllables = []
    while True:
        k, digit = divmod(k, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
        if k == 0:
            break
    return ("".join(syllables) + ("ovo", "ivka", "sk", "burg")[len(syllables) % 4]).capitalize()


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def update_texts(n: int, rng: random.Random, chars: int = 600) -> list[str]:
    """~600-character updates: one or two labelled sentences (two in three updates)
    in pseudo-word filler. Each update is an event of its own, as story grouping reads it:
    its own town (a pseudo-word), counts and amount, so every labelled update alerts."""
    out = []
    for _ in range(n):
        parts: list[str] = []
        if rng.random() < 2 / 3:
            town = _town(next(_TOWNS))
            for _ in range(rng.randint(1, 2)):
                parts.append(rng.choice(LABELLED).format(p=town, n=rng.randint(2, 900), m=rng.randint(2, 400)))
        while sum(len(x) + 1 for x in parts) < chars:
            words = [_pseudo_word(rng) for _ in range(rng.randint(6, 14))]
            parts.insert(rng.randrange(len(parts) + 1), " ".join(words).capitalize() + ".")
        out.append(" ".join(parts))
    return out


def make_updates(n: int, rng: random.Random, prefix: str, sources: int) -> list[Any]:
    from schemas.models import Update

    now = datetime.now(UTC)
    return [Update(id=f"{prefix}-{i}", source=f"src{rng.randrange(sources)}", body=text,
                   first_seen_at=now, content_hash=f"{prefix}{i}")
            for i, text in enumerate(update_texts(n, rng))]


def make_subscriptions(n: int, rng: random.Random, url: str, sources: int) -> list[Any]:
    """Each subscription follows one source and one or two labels, at a score threshold."""
    from schemas.models import Label, Subscription, WebhookTarget

    labels = list(Label)
    now = datetime.now(UTC)
    return [Subscription(id=f"sub_{i:06d}", name=f"bench {i}", labels=rng.sample(labels, rng.randint(1, 2)),
                         min_score=rng.choice((0.5, 0.7)), sources=[f"src{rng.randrange(sources)}"],
                         webhook=WebhookTarget(url=f"{url}/hooks/{i % 16}"), created_at=now)
            for i in range(n)]


def seed_subscriptions(engine: Any, subs: Sequence[Any]) -> None:
    """Insert subscriptions in bulk (same columns as SubscriptionStore.add)."""
    from sqlalchemy import insert

    from services.notify.store import new_webhook_secret
    from services.runtime.db import subscriptions

    secret = new_webhook_secret()
    rows = [{"id": s.id, "owner": "bench", "name": s.name, "channel": s.channel,
             "target": s.webhook.url, "secret": secret, "spec": s.model_dump(mode="json"),
             "status": s.status, "disabled_reason": None, "created_at": s.created_at,
             "updated_at": s.created_at} for s in subs]
    with engine.begin() as conn:
        for start in range(0, len(rows), 2000):
            conn.execute(insert(subscriptions), rows[start:start + 2000])


def main(argv: list[str]) -> int:
    if argv[:1] == ["receiver"]:
        _serve_receiver(int(argv[1]), "--record" in argv)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
