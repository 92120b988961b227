"""Shared machinery of the fault tests: the services as processes that a test can kill,
stop and restart one by one, receivers that can go down, hang or fail on demand, and
the counting helpers every fault test ends with (each update in, each alert out, once).
"""

from __future__ import annotations

import os
import random
import signal
import string
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontwire.broker import EmbeddedBroker, free_port
from frontwire.demo.receiver import ReceivedRequest, WebhookReceiver
from services.runtime.kafka import ensure_topics
from tests.helpers import processes

API_KEY = "faults-key-" + "f" * 12
# Delivery retries for tests: quick, and long enough (~45 s of failures) that an outage
# held by a test never exhausts the schedule and disables the subscription.
FAST_RETRIES = ",".join(["0.5", "1"] + ["1.5"] * 30)
LEASE = 12.0  # > the webhook channel's 10 s deadline, so a live worker's claim never expires
METRICS_PORTS = {"ingest": "FRONTWIRE_INGEST_METRICS_PORT", "classify": "FRONTWIRE_CLASSIFY_METRICS_PORT",
                 "notify": "FRONTWIRE_NOTIFY_METRICS_PORT"}


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


# Updates ------------------------------------------------------------------------------

def _names(rng: random.Random, n: int) -> list[str]:
    """Invented place names, distinct per update so that no two updates are one story."""
    return [rng.choice(string.ascii_uppercase) + "".join(
        rng.choice("aeiou" if k % 2 else "bcdfgklmnprstvz") for k in range(6)) for _ in range(n)]


def swap_text(tag: str, i: int) -> tuple[str, str]:
    """(headline, body) of a made-up prisoner exchange the classifier labels with confidence;
    the invented names keep every (tag, i) its own story."""
    rng = random.Random(f"{tag}-{i}")
    w = _names(rng, 14)
    return (f"Prisoner swap at {w[0]}",
            f"The two armies exchanged {rng.randint(11, 400)} prisoners of war near {w[0]} and {w[1]}, "
            f"mediators said; the soldiers were taken to {w[2]}, {w[3]} and {w[4]}. Officials in "
            f"{w[5]}, {w[6]}, {w[7]}, {w[8]}, {w[9]}, {w[10]}, {w[11]}, {w[12]} and {w[13]} "
            "confirmed the handover.")


def text_blog(entries: list[tuple[str, str]]) -> str:
    """A plain-text live blog (newest first) of (time, body) entries, as ingest's text parser reads."""
    parts = ["Live: exchanges on the front, test page\n"]
    for stamp, body in reversed(entries):
        parts.append(f"UPDATE {stamp} GMT:\n\n{body}\n")
    return "\n".join(parts)


def update_ids_of(requests: list[ReceivedRequest]) -> dict[str, list[str]]:
    """update id -> the distinct webhook-ids that carried it."""
    out: dict[str, list[str]] = {}
    for req in requests:
        uid = req.payload["data"]["classified"]["update"]["id"]
        out.setdefault(uid, []).append(req.headers["webhook-id"])
    return out


def assert_each_once(receiver: WebhookReceiver, path: str, expected: set[str]) -> None:
    """Every expected update reached ``path`` under exactly one webhook-id, and nothing else did."""
    unique = [r for r in list(receiver.unique) if r.path == path]
    by_update = update_ids_of(unique)
    missing = expected - set(by_update)
    extra = set(by_update) - expected
    doubled = {u: ids for u, ids in by_update.items() if len(ids) > 1}
    assert not missing, f"{len(missing)} updates never alerted: {sorted(missing)[:5]}"
    assert not extra, f"alerts for updates not sent by this test: {sorted(extra)[:5]}"
    assert not doubled, f"updates alerted under several webhook-ids: {doubled}"
    assert len(unique) == len(expected)


# Receivers ----------------------------------------------------------------------------

class FaultReceiver(WebhookReceiver):
    """A WebhookReceiver that can also hang (``delay`` seconds before answering) and go
    down and come back on the same port (connection refused in between)."""

    delay: float = 0.0
    in_flight: int = 0
    _handler: Any = None
    _bound: int = 0

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> Any:
        with self._lock:
            self.in_flight += 1
        try:
            if self.delay:
                time.sleep(self.delay)  # the fault itself: a receiver that takes this long
            return super()._handle(path, headers, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def go_down(self) -> None:
        assert self._server is not None
        self._handler = self._server.RequestHandlerClass
        self._bound = self.port
        self.stop()
        self._server = None

    def come_back(self) -> None:
        self._server = ThreadingHTTPServer((self.host, self._bound), self._handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()


@pytest.fixture
def receiver() -> Iterator[FaultReceiver]:
    with FaultReceiver() as r:
        yield r


@pytest.fixture
def second_receiver() -> Iterator[FaultReceiver]:
    with FaultReceiver() as r:
        yield r


# The services as processes ------------------------------------------------------------

@dataclass
class Pipeline:
    """The services as separate processes on their own embedded broker and SQLite file."""

    root: Path
    broker: EmbeddedBroker
    env: dict[str, str]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.env['FRONTWIRE_API_PORT']}"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def start(self, *names: str) -> None:
        for name in names:
            assert name not in self.procs or self.procs[name].poll() is not None, f"{name} runs"
            out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - handed to the process
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "frontwire", "serve", name], env=self.env, stdout=out,
                stderr=subprocess.STDOUT)
            out.close()

    def wait_ready(self, *names: str, timeout: float = 60.0) -> None:
        for name in names or tuple(self.procs):
            url = (f"{self.api}/healthz" if name == "api"
                   else f"http://127.0.0.1:{self.env[METRICS_PORTS[name]]}/healthz")
            processes.wait_for(f"{name} to answer", lambda u=url: _ok(u), timeout, procs=self.procs)

    def kill(self, name: str) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed or committed."""
        proc = self.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self, name: str, timeout: float = 30.0) -> int:
        """SIGTERM one service and wait for it; its exit code. Fails if it had to be killed."""
        code = processes.stop({name: self.procs.pop(name)}, timeout)[name]
        if code == processes.KILLED:
            raise AssertionError(f"{name} did not stop within {timeout:.0f}s of SIGTERM")
        return code

    def restart_broker(self) -> None:
        """Stop the broker and start an empty one on the same port (tansu keeps nothing)."""
        port = self.broker.port
        self.broker.stop()
        self.broker = EmbeddedBroker(port=port, log_path=self.root / "broker.log").start()

    def wait(self, what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
        return processes.wait_for(what, check, timeout, procs=self.procs)

    def request(self, method: str, path: str, *, key: str | None = API_KEY, **kwargs: Any
                ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
        return httpx.request(method, f"{self.api}{path}", headers=headers, timeout=15, **kwargs)

    def subscribe(self, receiver: WebhookReceiver, path: str, labels: tuple[str, ...] = ("prisoner_exchange",),
                  **extra: Any) -> str:
        created = self.request("POST", "/v1/subscriptions", json={
            "name": f"faults {path}", "labels": list(labels),
            "webhook": {"url": f"{receiver.base_url}{path}"}, **extra})
        assert created.status_code == 201, created.text
        receiver.add_secret(path, created.json()["secret"])
        return str(created.json()["id"])

    def push_swaps(self, tag: str, count: int, start: int = 0,
                   between: Callable[[int], None] | None = None) -> list[str]:
        """Push ``count`` distinct prisoner exchanges through POST /v1/updates; their ids."""
        ids = []
        for i in range(start, start + count):
            headline, body = swap_text(tag, i)
            pushed = self.request("POST", "/v1/updates", json={
                "source": "faults", "id": f"{tag}-{i}", "headline": headline, "body": body})
            assert pushed.status_code == 202, pushed.text
            ids.append(str(pushed.json()["id"]))
            if between is not None:
                between(i - start)
        return ids

    def deliveries(self, sub_id: str) -> list[dict[str, Any]]:
        got = self.request("GET", f"/v1/subscriptions/{sub_id}/deliveries", params={"limit": 500})
        assert got.status_code == 200, got.text
        return list(got.json())

    def log_tail(self, chars: int = 4000) -> str:
        return processes.log_tail(self.logs, chars)

    def close(self) -> None:
        processes.stop(self.procs, 20)
        self.procs.clear()
        self.broker.stop()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def make_pipeline(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Callable[..., Pipeline]]:
    """Start the named services as processes; ``env`` overrides settings; ``sources`` is the
    text of a sources file. Everything started is stopped at the end of the test (and
    the services' logs printed if it failed)."""
    made: list[Pipeline] = []

    def make(*services: str, env: dict[str, str] | None = None, sources: str | None = None) -> Pipeline:
        root = tmp_path / f"pipeline{len(made)}"
        (root / "logs").mkdir(parents=True)
        broker = EmbeddedBroker(log_path=root / "broker.log").start()
        ensure_topics(broker.bootstrap, 4)
        base = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        base.update({
            "FRONTWIRE_KAFKA_BOOTSTRAP": broker.bootstrap, "FRONTWIRE_DATA_DIR": str(root / "data"),
            "FRONTWIRE_API_KEY": API_KEY, "FRONTWIRE_API_PORT": str(free_port()),
            "FRONTWIRE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8",
            "FRONTWIRE_SMTP_URL": f"smtp://127.0.0.1:{free_port()}",
            "FRONTWIRE_RETRY_SCHEDULE": FAST_RETRIES, "FRONTWIRE_DELIVERY_LEASE": str(LEASE),
            "FRONTWIRE_CONSUMER_SESSION_TIMEOUT": "3", "FRONTWIRE_LOG_LEVEL": "INFO",
            **{key: str(free_port()) for key in METRICS_PORTS.values()},
        })
        if sources is not None:
            (root / "sources.toml").write_text(sources)
            base["FRONTWIRE_SOURCES_FILE"] = str(root / "sources.toml")
        base.update(env or {})
        pipe = Pipeline(root, broker, base)
        made.append(pipe)
        pipe.start(*services)
        pipe.wait_ready(*services)
        return pipe

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for pipe in made:
        if failed:
            print(pipe.log_tail())
        pipe.close()
