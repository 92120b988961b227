"""Hostile callers: no key or a wrong one, another owner's ids, webhook targets inside our
network, header injection through email fields; and schemathesis-generated requests to
every operation of the OpenAPI schema (wrong key: always 401; a key without the scope the
operation needs: always 403; right key: never a 5xx).

Already covered elsewhere (not repeated here): 401s for a few routes and revoked keys
(tests/integration/test_api.py, test_api_subscriptions.py), literal private/metadata
URLs → 422 (test_api.py), refusal at connect time of names resolving to loopback
(tests/integration/test_webhook_channel.py), CR/LF in headline and address at message
build time (tests/unit/test_email_message.py).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.api.scopes import Scope
from services.notify.channels.email import build_message
from services.notify.store import SubscriptionStore
from services.runtime.config import load
from services.runtime.db import connect
from services.runtime.timeutil import utcnow
from tests.helpers.notify_factories import make_alert

pytestmark = pytest.mark.faults
ADMIN_KEY = "security-admin-key"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}


def _app(root: Path) -> tuple[Any, Any]:
    """The API with the default settings that matter here: no allowed networks. No per-key
    rate limits: the generated requests are to reach the handlers, not a 429
    (tests/integration/test_api_keys.py tests the limits)."""
    settings = load(api_key=SecretStr(ADMIN_KEY), data_dir=root, webhook_allow_networks="",
                    api_writes_per_minute=0, api_updates_per_minute=0)
    engine = connect(f"sqlite:///{root / 'api.db'}")
    published: list[object] = []
    return create_app(ApiDeps(settings, engine, published.extend, CollectorRegistry())), engine


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str], Any]]:
    app, engine = _app(tmp_path)
    keys = ApiKeyStore(engine)
    _, alice = keys.create("alice", "alice's key", utcnow())
    _, bob = keys.create("bob", "bob's key", utcnow())
    with TestClient(app) as client:
        yield client, {"Authorization": f"Bearer {alice}"}, {"Authorization": f"Bearer {bob}"}, engine


def hook(url: str = "https://hooks.example.org/f", **over: Any) -> dict[str, Any]:
    return {"name": "h", "labels": ["aid"], "webhook": {"url": url}, **over}


def test_another_owners_subscription_cannot_be_changed_tested_rotated_or_replayed(api) -> None:
    client, alice, bob, engine = api
    theirs = client.post("/v1/subscriptions", json=hook(), headers=bob).json()["id"]
    fired = client.post(f"/v1/subscriptions/{theirs}/test", headers=bob).json()
    for method, path, body in (
            ("PATCH", f"/v1/subscriptions/{theirs}", {"status": "paused"}),
            ("PATCH", f"/v1/subscriptions/{theirs}", {"webhook": {"url": "https://evil.example.org/x"}}),
            ("POST", f"/v1/subscriptions/{theirs}/test", None),
            ("POST", f"/v1/subscriptions/{theirs}/rotate-secret", None),
            ("POST", f"/v1/deliveries/{fired['delivery_id']}/replay", None)):
        got = client.request(method, path, json=body, headers=alice)
        assert got.status_code == 404, (method, path, got.text)
    mine = client.get(f"/v1/subscriptions/{theirs}", headers=bob).json()
    assert mine["status"] == "active" and mine["webhook"]["url"] == "https://hooks.example.org/f"


def _loopback_hostname() -> list[str]:
    """This machine's own name when the hosts file maps it to loopback (as containers do)."""
    name = socket.gethostname()
    try:
        addrs = {info[4][0] for info in socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)}
    except OSError:
        return []
    return [name] if addrs and all(a.startswith("127.") or a == "::1" for a in addrs) else []


@pytest.mark.parametrize("url", [
    "http://localhost./hook", "http://LOCALHOST:8080/hook", "http://alerts.localhost/hook",
    "http://127.1/hook", "http://0x7f000001/hook", "http://2130706433/hook", "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook", "http://169.254.169.254/latest/meta-data",
    "http://[fd00:ec2::254]/", "http://192.168.1.10/hook", "http://100.64.0.1/hook",
    "http://0.0.0.0:9101/metrics",
])
def test_webhooks_aimed_inside_are_refused_at_subscription_and_on_change(api, url: str) -> None:
    client, alice, _, _ = api
    created = client.post("/v1/subscriptions", json=hook(url), headers=alice)
    assert created.status_code == 422, created.text
    assert "refusing webhook target" in created.text
    ok = client.post("/v1/subscriptions", json=hook(), headers=alice).json()["id"]
    changed = client.patch(f"/v1/subscriptions/{ok}", json={"webhook": {"url": url}}, headers=alice)
    assert changed.status_code == 422, changed.text


@pytest.mark.parametrize(("kind", "field"), [("slack", "webhook_url"), ("teams", "webhook_url"),
                                             ("discord", "webhook_url"), ("ntfy", "url"),
                                             ("telegram", "api_url")])
@pytest.mark.parametrize("base", ["http://127.1", "http://0x7f000001", "http://[::ffff:127.0.0.1]",
                                  "http://169.254.169.254", "http://metadata.google.internal",
                                  "http://10.0.0.5:8443"])
def test_chat_and_push_targets_aimed_inside_are_refused_at_sign_up_and_on_change(
        api, kind: str, field: str, base: str) -> None:
    client, alice, _, _ = api
    extra = {"ntfy": {"topic": "t"}, "telegram": {
        "bot_token": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "chat_id": 42}}.get(kind, {})
    target = {**extra, field: f"{base}/hook"}
    created = client.post("/v1/subscriptions", json={"name": "n", "labels": ["aid"], kind: target},
                          headers=alice)
    assert created.status_code == 422, created.text
    assert created.json()["detail"][0]["loc"] == ["body", kind, field]
    fine = {**extra, field: "https://chat.example.org/hook"}
    ok = client.post("/v1/subscriptions", json={"name": "n", "labels": ["aid"], kind: fine},
                     headers=alice)
    assert ok.status_code == 201, ok.text
    changed = client.patch(f"/v1/subscriptions/{ok.json()['id']}", json={kind: target}, headers=alice)
    assert changed.status_code == 422, changed.text


@pytest.mark.parametrize("name", _loopback_hostname())
def test_a_hosts_file_name_for_loopback_is_refused_at_sign_up(api, name: str) -> None:
    """Nothing in the URL gives it away: the API resolves the name and refuses it."""
    client, alice, _, _ = api
    created = client.post("/v1/subscriptions", json=hook(f"http://{name}:9/hook"), headers=alice)
    assert created.status_code == 422, created.text
    assert "loopback" in created.text


@pytest.mark.parametrize("address", [
    "desk@example.org\r\nBcc: all@example.net", "desk@example.org\nBcc: all@example.net",
    "desk@example.org, other@example.net", "desk\r@example.org", "desk@example.org\x00",
])
def test_email_addresses_that_could_inject_headers_are_refused(api, address: str) -> None:
    client, alice, _, _ = api
    got = client.post("/v1/subscriptions", headers=alice, json={
        "name": "mail", "labels": ["aid"], "email": {"address": address}})
    assert got.status_code == 422, got.text


def test_a_name_with_line_breaks_never_reaches_a_mail_header(api) -> None:
    client, alice, _, engine = api
    got = client.post("/v1/subscriptions", headers=alice, json={
        "name": "desk\r\nBcc: all@example.net\r\nX-Injected: 1", "labels": ["aid"],
        "email": {"address": "desk@example.org"}})
    assert got.status_code in (201, 422), got.text
    if got.status_code == 422:
        return
    sub = SubscriptionStore(engine).get(got.json()["id"]).subscription
    msg = build_message(make_alert(subscription_id=sub.id, channel="email"), sub,
                        mail_from="frontwire <alerts@example.org>",
                        unsubscribe_url="https://alerts.example.org/u/x")
    headers = BytesHeaderParser().parsebytes(msg.as_bytes())
    assert headers["Bcc"] is None and headers["X-Injected"] is None
    assert sorted(headers.keys()) == sorted(msg.keys()), "no header but the ones built"


# Generated requests against every operation --------------------------------------

@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The schema to generate requests from, and the database behind its app."""
    app, engine = _app(tmp_path_factory.mktemp("schemathesis"))
    return schemathesis.openapi.from_asgi("/openapi.json", app), engine


@pytest.fixture(scope="module")
def api_schema(fuzzed: tuple[Any, Any]) -> Any:
    return fuzzed[0]


FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
                derandomize=True, database=None)


def _for_every_operation(api_schema: Any, check: Any) -> list[str]:
    """Run ``check(case)`` on generated requests to each operation; the operations seen."""
    seen = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        seen.append(f"{operation.method.upper()} {operation.path}")
        def run(case: Any) -> None:
            check(case)

        FUZZ(given(case=operation.as_strategy())(run))()
    return seen


def test_every_operation_refuses_a_wrong_key(api_schema: Any) -> None:
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": "Bearer fwk_not-a-real-key"})
        if case.path.startswith(("/v1/unsubscribe/", "/feeds/")):
            assert response.status_code in (400, 404, 410, 422), "these links carry their own token"
        elif case.path == "/feed.atom":
            assert response.status_code in (200, 422), "the live feed is public, like its page"
        else:
            assert response.status_code == 401, (case.method, case.path, response.status_code)

    assert len(_for_every_operation(api_schema, check)) >= 19


def test_every_operation_answers_generated_requests_without_a_server_error(api_schema: Any) -> None:
    def check(case: Any) -> None:
        response = case.call(headers=ADMIN)
        assert response.status_code < 500, (case.method, case.path, response.text[:500])

    _for_every_operation(api_schema, check)


def _needs(method: str, path: str) -> Scope | None:
    """The scope an operation needs (None: any valid key, or none at all)."""
    if path.startswith(("/v1/subscriptions", "/v1/deliveries")):
        return Scope.SUBSCRIPTIONS
    if (method, path) == ("POST", "/v1/updates"):
        return Scope.PUBLISH
    if method in ("POST", "DELETE") and path.startswith("/v1/sources"):
        return Scope.SOURCES
    return None


def test_every_operation_refuses_a_key_without_the_scope_it_needs(fuzzed: tuple[Any, Any]) -> None:
    api_schema, engine = fuzzed
    keys = ApiKeyStore(engine)
    # For each scope, a key with every other scope but admin: only the missing one is missing.
    lacking = {needed: keys.create("mallory", f"all but {needed}", utcnow(),
                                   [s for s in Scope if s not in (needed, Scope.ADMIN)])[1]
               for needed in (Scope.SUBSCRIPTIONS, Scope.PUBLISH, Scope.SOURCES)}
    checked: set[str] = set()

    def check(case: Any) -> None:
        needed = _needs(case.method.upper(), case.path)
        if needed is None:
            return
        response = case.call(headers={"Authorization": f"Bearer {lacking[needed]}"})
        assert response.status_code == 403, (case.method, case.path, response.status_code)
        assert f"lacks the '{needed.value}' scope" in response.text
        checked.add(f"{case.method.upper()} {case.path}")

    _for_every_operation(api_schema, check)
    assert {"POST /v1/updates", "POST /v1/sources", "DELETE /v1/sources/{source_id}",
            "POST /v1/subscriptions"} <= checked
