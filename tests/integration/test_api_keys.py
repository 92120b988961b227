"""Keys that say what they may do, over the real API and database (SQLite and PostgreSQL):
scopes (403 naming the scope a key lacks), expiry (401), last use recorded at most once a
minute, per-key rate limits (429 with Retry-After, counted in a metric), and an audit
line for every write."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine, event

from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.api.scopes import Scope
from services.runtime.config import load
from services.runtime.logs import JsonFormatter

pytestmark = pytest.mark.integration
OPERATOR = {"Authorization": "Bearer operator-key"}
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
UPDATE = {"source": "desk", "headline": "Prisoners exchanged at the border",
          "body": "Forty prisoners returned home on Monday."}


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    client: TestClient
    engine: Engine
    clock: Clock
    registry: CollectorRegistry
    published: list[Any] = field(default_factory=list)

    def key(self, *scopes: Scope, owner: str = "newsroom",
            expires_at: datetime | None = None) -> dict[str, str]:
        _, token = ApiKeyStore(self.engine).create(owner, f"{owner} key", self.clock(),
                                                   scopes or (Scope.SUBSCRIPTIONS,), expires_at)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(engine: Engine, tmp_path) -> Iterator[Api]:  # type: ignore[no-untyped-def]
    settings = load(api_key=SecretStr("operator-key"), data_dir=tmp_path, webhook_allow_networks="",
                    api_writes_per_minute=4, api_updates_per_minute=2)
    registry, clock, published = CollectorRegistry(), Clock(), []
    app = create_app(ApiDeps(settings, engine, published.extend, registry, clock=clock))
    with TestClient(app) as client:
        yield Api(client, engine, clock, registry, published)


def hook(name: str = "h") -> dict[str, Any]:
    return {"name": name, "labels": ["aid"], "webhook": {"url": "https://hooks.example.org/f"}}


def source(id_: str = "coast-live") -> dict[str, Any]:
    return {"id": id_, "url": "https://news.example.org/live", "kind": "auto", "interval": 30}


# --- scopes ---------------------------------------------------------------------------

def test_a_subscriptions_key_gets_403_naming_the_scope_on_pushing_updates_and_changing_sources(
        api: Api) -> None:
    team = api.key(Scope.SUBSCRIPTIONS)
    pushed = api.client.post("/v1/updates", json=UPDATE, headers=team)
    assert pushed.status_code == 403, pushed.text
    assert "lacks the 'publish' scope" in pushed.json()["detail"]
    assert "--scope publish" in pushed.json()["detail"]
    assert api.published == []  # nothing reached the stream
    for method, path, body in (("POST", "/v1/sources", source()),
                               ("DELETE", "/v1/sources/coast-live", None)):
        refused = api.client.request(method, path, json=body, headers=team)
        assert refused.status_code == 403, (method, refused.text)
        assert "lacks the 'sources' scope" in refused.json()["detail"]
    assert api.client.get("/v1/sources", headers=team).status_code == 200  # reading needs no scope
    assert api.client.post("/v1/subscriptions", json=hook(), headers=team).status_code == 201


def test_a_publish_key_pushes_updates_but_cannot_see_subscriptions(api: Api) -> None:
    wire = api.key(Scope.PUBLISH, owner="wire")
    pushed = api.client.post("/v1/updates", json=UPDATE, headers=wire)
    assert pushed.status_code == 202, pushed.text
    assert pushed.json()["status"] == "published"
    assert [u.headline for u in api.published] == [UPDATE["headline"]]
    listed = api.client.get("/v1/subscriptions", headers=wire)
    assert listed.status_code == 403 and "lacks the 'subscriptions' scope" in listed.json()["detail"]


def test_a_sources_key_adds_and_removes_sources_only(api: Api) -> None:
    curator = api.key(Scope.SOURCES, owner="curators")
    assert api.client.post("/v1/sources", json=source(), headers=curator).status_code == 201
    assert api.client.delete("/v1/sources/coast-live", headers=curator).status_code == 204
    assert api.client.post("/v1/updates", json=UPDATE, headers=curator).status_code == 403


def test_an_admin_key_does_everything_for_every_owner(api: Api) -> None:
    alice = api.key(owner="alice")
    theirs = api.client.post("/v1/subscriptions", json=hook("alice's"), headers=alice).json()["id"]
    ops = api.key(Scope.ADMIN, owner="ops")
    listed = api.client.get("/v1/subscriptions", headers=ops).json()["items"]
    assert [s["id"] for s in listed] == [theirs]
    assert api.client.post("/v1/updates", json=UPDATE, headers=ops).status_code == 202
    assert api.client.post("/v1/sources", json=source(), headers=ops).status_code == 201
    assert api.client.delete(f"/v1/subscriptions/{theirs}", headers=ops).status_code == 204
    # the operator's FRONTWIRE_API_KEY is admin too
    assert api.client.post("/v1/updates", json={**UPDATE, "id": "2"}, headers=OPERATOR).status_code == 202


def test_the_openapi_description_names_the_refusals(api: Api) -> None:
    push = api.client.get("/openapi.json").json()["paths"]["/v1/updates"]["post"]
    assert {"401", "403", "429"} <= set(push["responses"])


# --- expiry and last use ----------------------------------------------------------------

def test_an_expired_key_gets_401_like_a_revoked_one(api: Api) -> None:
    temp = api.key(expires_at=T0 + timedelta(hours=1))
    assert api.client.get("/v1/subscriptions", headers=temp).status_code == 200
    api.clock.now = T0 + timedelta(hours=1)
    expired = api.client.get("/v1/subscriptions", headers=temp)
    assert expired.status_code == 401, expired.text
    assert "expired at 2026-03-01 13:00 UTC" in expired.json()["detail"]
    assert expired.headers["WWW-Authenticate"] == "Bearer"
    assert api.client.post("/v1/subscriptions", json=hook(), headers=temp).status_code == 401

    revoked = api.key()
    [key] = [k for k in ApiKeyStore(api.engine).list() if k.state(api.clock()) == "active"]
    ApiKeyStore(api.engine).revoke(key.id, api.clock())
    refused = api.client.get("/v1/subscriptions", headers=revoked)
    assert refused.status_code == 401 and "was revoked" in refused.json()["detail"]


def test_last_use_is_recorded_at_most_once_a_minute_per_key(api: Api) -> None:
    team = api.key()
    writes: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            writes.append(statement)

    event.listen(api.engine, "before_cursor_execute", count)
    try:
        def last_used() -> datetime | None:
            return ApiKeyStore(api.engine).list()[0].last_used_at

        assert last_used() is None
        for seconds in (0, 10, 30, 59):
            api.clock.now = T0 + timedelta(seconds=seconds)
            assert api.client.get("/v1/subscriptions", headers=team).status_code == 200
        assert last_used() == T0 and len(writes) == 1
        api.clock.now = T0 + timedelta(seconds=61)
        api.client.get("/v1/subscriptions", headers=team)
        assert last_used() == T0 + timedelta(seconds=61) and len(writes) == 2
    finally:
        event.remove(api.engine, "before_cursor_execute", count)


# --- rate limits --------------------------------------------------------------------------

def refusals(api: Api, limit: str) -> float:
    return api.registry.get_sample_value("frontwire_api_rate_limited_total", {"limit": limit}) or 0.0


def test_writes_beyond_the_keys_limit_get_429_with_retry_after_and_are_counted(api: Api) -> None:
    team, other = api.key(owner="team"), api.key(owner="other")
    for i in range(4):  # FRONTWIRE_API_WRITES_PER_MINUTE=4 here
        assert api.client.post("/v1/subscriptions", json=hook(f"s{i}"), headers=team).status_code == 201
    assert refusals(api, "writes") == 0
    over = api.client.post("/v1/subscriptions", json=hook("one too many"), headers=team)
    assert over.status_code == 429, over.text
    assert 1 <= int(over.headers["Retry-After"]) <= 60
    assert "more than 4 writes in a minute" in over.json()["detail"]
    assert refusals(api, "writes") == 1
    assert len(api.client.get("/v1/subscriptions", headers=team).json()["items"]) == 4  # reads go on
    assert api.client.post("/v1/subscriptions", json=hook(), headers=other).status_code == 201


def test_pushed_updates_have_a_limit_of_their_own(api: Api) -> None:
    wire = api.key(Scope.PUBLISH, Scope.SUBSCRIPTIONS, owner="wire")
    for i in range(2):  # FRONTWIRE_API_UPDATES_PER_MINUTE=2 here
        assert api.client.post("/v1/updates", json={**UPDATE, "id": str(i)}, headers=wire).status_code == 202
    over = api.client.post("/v1/updates", json={**UPDATE, "id": "3"}, headers=wire)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) >= 1
    assert refusals(api, "updates") == 1 and len(api.published) == 2
    assert api.client.post("/v1/subscriptions", json=hook(), headers=wire).status_code == 201


# --- audit lines --------------------------------------------------------------------------

def test_every_write_leaves_an_audit_line_with_key_owner_route_and_outcome(
        api: Api, caplog: pytest.LogCaptureFixture) -> None:
    team = api.key(owner="newsroom")
    [key] = ApiKeyStore(api.engine).list()
    secret = team["Authorization"].split(" ", 1)[1]
    with caplog.at_level(logging.INFO, logger="frontwire.audit"):
        made = api.client.post("/v1/subscriptions", json=hook(), headers=team).json()["id"]
        api.client.get(f"/v1/subscriptions/{made}", headers=team)  # a read: no audit line
        api.client.post("/v1/updates", json=UPDATE, headers=team)
        api.client.delete(f"/v1/subscriptions/{made}", headers=OPERATOR)
        api.client.post("/v1/sources", json=source())
    lines = [r for r in caplog.records if r.name == "frontwire.audit"]
    got = [(r.key_id, r.owner, r.route, r.status, r.outcome) for r in lines]  # type: ignore[attr-defined]
    assert got == [
        (key.id, "newsroom", "POST /v1/subscriptions", 201, "ok"),
        (key.id, "newsroom", "POST /v1/updates", 403, "denied"),
        ("operator", "admin", "DELETE /v1/subscriptions/{sub_id}", 204, "ok"),
        ("-", "-", "POST /v1/sources", 401, "denied"),
    ]
    assert lines[2].subscription_id == made  # type: ignore[attr-defined]
    assert all(secret not in r.getMessage() for r in lines)
    doc = json.loads(JsonFormatter("api").format(lines[1]))
    assert {k: doc[k] for k in ("key_id", "owner", "route", "status", "outcome")} == {
        "key_id": key.id, "owner": "newsroom", "route": "POST /v1/updates", "status": 403,
        "outcome": "denied"}
    assert doc["logger"] == "frontwire.audit" and secret not in json.dumps(doc)
