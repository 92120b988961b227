"""The ops endpoint: /healthz for liveness, /readyz for broker and database, /metrics."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry, Counter

from frontwire.broker import free_port
from services.runtime.observe import BrokerCheck, OpsServer, all_ready


@pytest.fixture
def listener() -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


def test_broker_is_ready_when_any_bootstrap_server_accepts(listener: str) -> None:
    dead = f"127.0.0.1:{free_port()}"
    assert BrokerCheck(f"{dead},{listener}")() is None


def test_broker_check_names_the_unreachable_servers() -> None:
    dead = f"127.0.0.1:{free_port()}"
    problem = BrokerCheck(dead, timeout=0.5)()
    assert problem is not None and "Kafka unreachable" in problem and dead in problem


def test_broker_check_is_cached_for_its_ttl(listener: str) -> None:
    check = BrokerCheck(listener, ttl=60)
    assert check() is None
    check.servers = [f"127.0.0.1:{free_port()}"]  # the broker went away...
    assert check() is None  # ...but the answer is reused until the ttl passes
    check.ttl = 0
    assert check() is not None


def test_all_ready_joins_every_problem() -> None:
    assert all_ready(lambda: None, lambda: None)() is None
    assert all_ready(lambda: "database unreachable", lambda: None,
                     lambda: "Kafka unreachable")() == "database unreachable; Kafka unreachable"


def test_ops_server_answers_liveness_readiness_and_metrics() -> None:
    registry = CollectorRegistry()
    Counter("frontwire_test_events_total", "Events", registry=registry).inc()
    problems: list[str | None] = [None]
    ops = OpsServer(registry, 0, ready=lambda: problems[0]).start()
    base = f"http://127.0.0.1:{ops.port}"
    try:
        assert httpx.get(f"{base}/healthz").status_code == 200
        assert httpx.get(f"{base}/readyz").status_code == 200
        problems[0] = "Kafka unreachable (kafka:9092: refused)"
        not_ready = httpx.get(f"{base}/readyz")
        assert not_ready.status_code == 503 and "Kafka unreachable" in not_ready.text
        assert httpx.get(f"{base}/healthz").status_code == 200  # alive though not ready
        metrics = httpx.get(f"{base}/metrics")
        assert "frontwire_test_events_total 1.0" in metrics.text
        assert metrics.headers["content-type"].startswith("text/plain; version=")
        assert httpx.get(f"{base}/nope").status_code == 404
    finally:
        ops.stop()


def test_api_readyz_reports_an_unreachable_broker(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from services.api.app import ApiDeps, create_app
    from services.runtime.config import Settings
    from services.runtime.db import connect

    settings = Settings(data_dir=tmp_path, api_key="k")
    app = create_app(ApiDeps(settings, connect(settings.sqlalchemy_url), lambda updates: None,
                             CollectorRegistry()))
    client = TestClient(app)
    assert client.get("/readyz").status_code == 200  # no broker check wired: database only
    app.state.broker_check = BrokerCheck(f"127.0.0.1:{free_port()}", timeout=0.5)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and "Kafka unreachable" in answer.text
    assert client.get("/healthz").status_code == 200
