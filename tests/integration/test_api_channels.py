"""Chat and push subscriptions through the real API: created by key holders, credentials stored
and never shown back, blocked addresses refused at sign-up, test deliveries reaching a local
receiver that stands in for each service, through the real dispatcher."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from services.api.app import ApiDeps, create_app
from services.notify.dispatch import Dispatcher
from services.notify.guard import NetworkGuard
from services.notify.metrics import notify_metrics
from services.notify.notifiers import http_notifiers
from services.notify.retry import RetryPolicy
from services.notify.store import DeliveryStore, SubscriptionStore
from services.runtime.config import Settings, load
from tests.helpers.dispatching import run_until
from tests.helpers.http_receiver import Receiver

pytestmark = pytest.mark.integration
AUTH = {"Authorization": "Bearer admin-key"}
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NTFY_TOKEN = "tk_3gd7d2yftt4b8ixyfe9mnmro88o76"


def targets(base: str) -> dict[str, tuple[dict[str, Any], str, str]]:
    """kind -> (request target, the credential, the path the service is posted at)."""
    return {
        "slack": ({"webhook_url": f"{base}/services/T01/B01/slackSECRET123"},
                  f"{base}/services/T01/B01/slackSECRET123", "/services/T01/B01/slackSECRET123"),
        "teams": ({"webhook_url": f"{base}/workflows/a1/triggers/manual/paths/invoke?sig=teamsSIG99"},
                  f"{base}/workflows/a1/triggers/manual/paths/invoke?sig=teamsSIG99",
                  "/workflows/a1/triggers/manual/paths/invoke?sig=teamsSIG99"),
        "discord": ({"webhook_url": f"{base}/api/webhooks/42/discordTOKEN77"},
                    f"{base}/api/webhooks/42/discordTOKEN77", "/api/webhooks/42/discordTOKEN77?wait=true"),
        "telegram": ({"bot_token": TOKEN, "chat_id": -1001234567890}, TOKEN, f"/bot{TOKEN}/sendMessage"),
        "ntfy": ({"topic": "desk-alerts", "token": NTFY_TOKEN}, NTFY_TOKEN, "/"),
    }


KINDS = ["slack", "teams", "discord", "telegram", "ntfy"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def app_for(engine: Any, settings: Settings) -> TestClient:
    return TestClient(create_app(ApiDeps(settings, engine, lambda _u: None, CollectorRegistry())))


@pytest.fixture
def local(engine, tmp_path, receiver) -> Iterator[tuple[TestClient, Settings]]:  # type: ignore[no-untyped-def]
    """The API with loopback allowed and the Telegram and ntfy servers on the local receiver."""
    settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path,
                    webhook_allow_networks="127.0.0.0/8", telegram_api_url=receiver.base_url,
                    ntfy_url=receiver.base_url)
    with app_for(engine, settings) as client:
        yield client, settings


@pytest.fixture
def guarded(engine, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    """The API as deployed: nothing private allowed."""
    with app_for(engine, load(api_key=SecretStr("admin-key"), data_dir=tmp_path)) as client:
        yield client


def body(kind: str, target: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"name": f"desk on {kind}", "labels": ["civilian_harm"], kind: target, **more}


@pytest.mark.parametrize("kind", KINDS)
def test_a_chat_subscription_keeps_its_credential_and_never_shows_it(kind, local, engine, receiver):
    client, _ = local
    target, credential, _ = targets(receiver.base_url)[kind]
    made = client.post("/v1/subscriptions", json=body(kind, target), headers=AUTH)
    assert made.status_code == 201, made.text
    sub_id = made.json()["id"]
    for shown in (made, client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH),
                  client.get("/v1/subscriptions", headers=AUTH)):
        assert credential not in shown.text and "SECRET" not in shown.text
    doc = made.json()
    assert doc["secret"] is None and doc[kind] is not None and doc["feed_url"].endswith(".atom")
    assert "…" in json.dumps(doc[kind], ensure_ascii=False)
    assert SubscriptionStore(engine).get(sub_id).secret == credential


@pytest.mark.parametrize(("kind", "target", "field"), [
    ("slack", {"webhook_url": "http://10.0.0.7/services/T/B/x"}, "webhook_url"),
    ("teams", {"webhook_url": "http://169.254.169.254/workflows/x"}, "webhook_url"),
    ("discord", {"webhook_url": "http://localhost/api/webhooks/1/t"}, "webhook_url"),
    ("telegram", {"bot_token": TOKEN, "chat_id": 42, "api_url": "http://192.168.1.10:8081"}, "api_url"),
    ("ntfy", {"topic": "t", "url": "http://127.0.0.1:8080"}, "url"),
])
def test_a_blocked_address_is_refused_at_sign_up_naming_the_field(kind, target, field, guarded):
    got = guarded.post("/v1/subscriptions", json=body(kind, target), headers=AUTH)
    assert got.status_code == 422, got.text
    (error,) = got.json()["detail"]
    assert error["loc"] == ["body", kind, field] and "refusing" in error["msg"]


@pytest.mark.parametrize(("kind", "target"), [
    ("slack", {"webhook_url": "ftp://hooks.slack.com/x"}),
    ("slack", {"webhook_url": "https://hooks.slack.com/x", "channel": "#general"}),  # unknown field
    ("telegram", {"bot_token": "not-a-token", "chat_id": 42}),
    ("telegram", {"bot_token": TOKEN, "chat_id": "general chat"}),
    ("ntfy", {"topic": "has spaces/and slashes"}),
    ("ntfy", {"topic": "t", "token": "with space"}),
])
def test_malformed_targets_are_422(kind, target, guarded):
    assert guarded.post("/v1/subscriptions", json=body(kind, target), headers=AUTH).status_code == 422


def test_exactly_one_channel_is_taken(guarded):
    two = {"name": "n", "labels": ["aid"], "email": {"address": "a@example.org"},
           "ntfy": {"topic": "t"}}
    got = guarded.post("/v1/subscriptions", json=two, headers=AUTH)
    assert got.status_code == 422 and "exactly one channel" in got.text


def test_a_changed_webhook_url_replaces_the_credential_and_another_kind_is_refused(local, engine,
                                                                                   receiver):
    client, _ = local
    target, _, _ = targets(receiver.base_url)["slack"]
    sub_id = client.post("/v1/subscriptions", json=body("slack", target), headers=AUTH).json()["id"]
    new = f"{receiver.base_url}/services/T01/B02/otherSECRET456"
    changed = client.patch(f"/v1/subscriptions/{sub_id}", json={"slack": {"webhook_url": new}},
                           headers=AUTH)
    assert changed.status_code == 200 and changed.json()["slack"]["webhook_url"].endswith("T456")
    assert SubscriptionStore(engine).get(sub_id).secret == new
    other = client.patch(f"/v1/subscriptions/{sub_id}", json={"ntfy": {"topic": "t"}}, headers=AUTH)
    assert other.status_code == 422 and "slack subscription" in other.text


def test_the_contact_address_is_kept_and_checked(guarded):
    made = guarded.post("/v1/subscriptions", headers=AUTH, json=body(
        "ntfy", {"topic": "t"}, contact="oncall@example.org"))
    assert made.status_code == 201 and made.json()["contact"] == "oncall@example.org"
    bad = guarded.post("/v1/subscriptions", headers=AUTH, json=body(
        "ntfy", {"topic": "t"}, contact="not an address"))
    assert bad.status_code == 422


@pytest.mark.parametrize("kind", KINDS)
async def test_a_test_delivery_reaches_the_service_with_its_credential(kind, local, engine, receiver):
    client, settings = local
    target, _, path = targets(receiver.base_url)[kind]
    sub_id = client.post("/v1/subscriptions", json=body(kind, target), headers=AUTH).json()["id"]
    fired = client.post(f"/v1/subscriptions/{sub_id}/test", headers=AUTH).json()
    deliveries, subs = DeliveryStore(engine), SubscriptionStore(engine)
    notifiers = http_notifiers(NetworkGuard(settings.allowed_networks), timeout=5.0)
    dispatcher = Dispatcher(deliveries, subs, notifiers, RetryPolicy(schedule=(5,), jitter=0),
                            notify_metrics(CollectorRegistry()), idle_poll=0.01)
    try:
        await run_until(dispatcher, lambda: deliveries.get(fired["delivery_id"]).status == "delivered")
    finally:
        for n in notifiers.values():
            await n.aclose()
    (seen,) = receiver.requests
    assert seen.path == path and "frontwire test alert" in seen.body.decode()
    if kind == "ntfy":
        assert seen.headers["authorization"] == f"Bearer {NTFY_TOKEN}"
    log = client.get(f"/v1/deliveries/{fired['delivery_id']}", headers=AUTH).json()["attempt_log"]
    assert [(a["channel"], a["status_code"], a["outcome"]) for a in log] == [(kind, 200, "delivered")]


def test_openapi_describes_every_channel_the_attempt_log_and_the_feeds(guarded):
    spec = guarded.get("/openapi.json").json()
    create = spec["components"]["schemas"]["SubscriptionCreate"]["properties"]
    assert {"webhook", "email", "slack", "teams", "discord", "telegram", "ntfy", "contact"} <= set(create)
    assert "attempt_log" in spec["components"]["schemas"]["Delivery"]["properties"]
    assert {"/v1/deliveries/{delivery_id}", "/feed.atom", "/feeds/{token}.atom"} <= set(spec["paths"])
