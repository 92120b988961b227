"""The /v1/sources routes over SQLite and PostgreSQL: declare, validate, inspect health, remove."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine

from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState
from services.runtime.config import load
from services.runtime.timeutil import utcnow

pytestmark = pytest.mark.integration
KEY = "sources-admin-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(engine: Engine, tmp_path: Path, clock: Clock) -> Iterator[TestClient]:
    settings = load(api_key=SecretStr(KEY), data_dir=tmp_path)
    deps = ApiDeps(settings, engine, lambda updates: None, CollectorRegistry(), clock=clock)
    with TestClient(create_app(deps)) as c:
        yield c


def body(**over: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": "coast-live", "url": "https://news.example.org/live", "kind": "html",
                           "interval": 60}
    doc.update(over)
    return doc


def test_a_declared_source_is_listed_with_empty_health(client: TestClient) -> None:
    resp = client.post("/v1/sources", json=body(), headers=AUTH)
    assert resp.status_code == 201, resp.text
    got = resp.json()
    assert got["origin"] == "api" and got["kind"] == "html" and got["interval"] == 60
    assert got["consecutive_failures"] == 0 and got["updates_found"] == 0
    assert got["last_success_at"] is None and got["last_error"] is None
    assert got["failing"] is False and got["silent"] is False
    assert [s["id"] for s in client.get("/v1/sources", headers=AUTH).json()] == ["coast-live"]
    assert client.get("/v1/sources/coast-live", headers=AUTH).json() == got


@pytest.mark.parametrize(("doc", "field"), [
    (body(id="no spaces please"), "id"),
    (body(id=""), "id"),
    (body(url="ftp://news.example.org/live"), "url"),
    (body(url="https:///no-host"), "url"),
    (body(url="/etc/passwd"), "url"),
    (body(url="file:///var/lib/page.html"), "url"),
    (body(kind="pdf"), "kind"),
    (body(interval=0.01), "interval"),
    (body(colour="red"), "colour"),
])
def test_a_bad_source_gets_422_naming_the_field(client: TestClient, doc: dict[str, Any], field: str) -> None:
    resp = client.post("/v1/sources", json=doc, headers=AUTH)
    assert resp.status_code == 422, resp.text
    assert any(field in err["loc"] for err in resp.json()["detail"]), resp.json()
    assert client.get("/v1/sources", headers=AUTH).json() == []


def test_posting_the_same_source_again_is_harmless_but_a_different_one_under_its_id_conflicts(
        client: TestClient) -> None:
    assert client.post("/v1/sources", json=body(), headers=AUTH).status_code == 201
    again = client.post("/v1/sources", json=body(), headers=AUTH)
    assert again.status_code == 200 and again.json()["id"] == "coast-live"
    other = client.post("/v1/sources", json=body(url="https://other.example.org/live"), headers=AUTH)
    assert other.status_code == 409 and "coast-live" in other.json()["detail"]
    assert client.get("/v1/sources/coast-live", headers=AUTH).json()["url"] == "https://news.example.org/live"


def test_deleting_a_source_removes_it(client: TestClient) -> None:
    client.post("/v1/sources", json=body(), headers=AUTH)
    assert client.delete("/v1/sources/coast-live", headers=AUTH).status_code == 204
    assert client.get("/v1/sources/coast-live", headers=AUTH).status_code == 404
    assert client.delete("/v1/sources/coast-live", headers=AUTH).status_code == 404


def test_sources_file_entries_cannot_be_replaced_or_deleted_through_the_api(
        client: TestClient, engine: Engine) -> None:
    IngestState(engine).upsert_source(SourceSpec(id="from-file", url="https://a.example.org/live"),
                                      "config", utcnow())
    resp = client.delete("/v1/sources/from-file", headers=AUTH)
    assert resp.status_code == 409 and "sources file" in resp.json()["detail"]
    resp = client.post("/v1/sources", json=body(id="from-file", url="https://a.example.org/live",
                                                kind="auto", interval=30), headers=AUTH)
    assert resp.status_code == 409


def test_only_the_operator_key_changes_sources_but_any_key_reads_them(
        client: TestClient, engine: Engine) -> None:
    _key, token = ApiKeyStore(engine).create("newsroom", "desk", utcnow())
    theirs = {"Authorization": f"Bearer {token}"}
    assert client.post("/v1/sources", json=body(), headers=theirs).status_code == 403
    assert client.post("/v1/sources", json=body(), headers=AUTH).status_code == 201
    assert client.delete("/v1/sources/coast-live", headers=theirs).status_code == 403
    assert client.get("/v1/sources/coast-live", headers=theirs).status_code == 200
    assert client.get("/v1/sources").status_code == 401


def test_health_shows_successes_failures_and_the_failing_and_silent_flags(
        client: TestClient, engine: Engine, clock: Clock) -> None:
    client.post("/v1/sources", json=body(interval=60), headers=AUTH)
    state, start = IngestState(engine), clock.now
    state.record_poll("coast-live", now=start, ok=True, found=3)

    def shown() -> dict[str, Any]:
        doc: dict[str, Any] = client.get("/v1/sources/coast-live", headers=AUTH).json()
        return doc

    got = shown()
    assert got["updates_found"] == 3 and got["consecutive_failures"] == 0
    assert datetime.fromisoformat(got["last_success_at"]) == start
    assert datetime.fromisoformat(got["last_new_at"]) == start

    # Failures: counted at once, flagged once they last (3 in a row, 15 min without success).
    for n in range(1, 4):
        state.record_poll("coast-live", now=start + timedelta(minutes=n), ok=False, error="HTTP 503")
    got = shown()
    assert got["consecutive_failures"] == 3 and got["last_error"] == "HTTP 503"
    assert got["failing"] is False
    clock.now = start + timedelta(minutes=16)
    assert shown()["failing"] is True

    # Back to good, but nothing new for longer than six hours (or 24 intervals): silent.
    state.record_poll("coast-live", now=clock.now, ok=True)
    assert shown()["failing"] is False and shown()["silent"] is False
    clock.now = start + timedelta(hours=6, minutes=1)
    state.record_poll("coast-live", now=clock.now, ok=True)
    got = shown()
    assert got["silent"] is True and got["failing"] is False and got["last_error"] is None
    assert [s["silent"] for s in client.get("/v1/sources", headers=AUTH).json()] == [True]
