"""Subscription management over the real API and database: keys, scoping, changes, test, rotation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.notify.store import DeliveryStore, SubscriptionStore
from services.notify.tokens import unsubscribe_token
from services.runtime.config import load
from services.runtime.timeutil import utcnow

pytestmark = pytest.mark.integration
ADMIN = {"Authorization": "Bearer admin-key"}


@pytest.fixture
def api(engine, tmp_path) -> Iterator[tuple[TestClient, dict[str, str], dict[str, str], object]]:
    settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path,
                    webhook_allow_networks="")
    published: list[object] = []
    app = create_app(ApiDeps(settings, engine, published.extend, CollectorRegistry()))
    keys = ApiKeyStore(engine)
    _, alice = keys.create("alice", "alice's key", utcnow())
    _, bob = keys.create("bob", "bob's key", utcnow())
    with TestClient(app) as client:
        yield (client, {"Authorization": f"Bearer {alice}"}, {"Authorization": f"Bearer {bob}"},
               settings)


def hook(name="h", **over):
    return {"name": name, "labels": ["aid"], "webhook": {"url": "https://hooks.example.org/f"}, **over}


def test_each_owner_sees_only_its_own_subscriptions_and_the_admin_sees_all(api):
    client, alice, bob, _ = api
    a = client.post("/v1/subscriptions", json=hook("a"), headers=alice).json()
    b = client.post("/v1/subscriptions", json=hook("b"), headers=bob).json()
    assert [s["id"] for s in client.get("/v1/subscriptions", headers=alice).json()["items"]] == [a["id"]]
    assert client.get(f"/v1/subscriptions/{b['id']}", headers=alice).status_code == 404
    assert client.delete(f"/v1/subscriptions/{b['id']}", headers=alice).status_code == 404
    assert client.get(f"/v1/subscriptions/{b['id']}/deliveries", headers=alice).status_code == 404
    assert len(client.get("/v1/subscriptions", headers=ADMIN).json()["items"]) == 2


def test_revoked_and_malformed_keys_are_refused(api, engine):
    client, alice, _, _ = api
    keys = ApiKeyStore(engine)
    key, token = keys.create("carol", "temp", utcnow())
    assert client.get("/v1/subscriptions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    keys.revoke(key.id, utcnow())
    assert client.get("/v1/subscriptions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    forged = alice["Authorization"][:-3] + "xyz"
    assert client.get("/v1/subscriptions", headers={"Authorization": forged}).status_code == 401


def test_paging_walks_every_subscription_once(api):
    client, alice, _, _ = api
    made = {client.post("/v1/subscriptions", json=hook(f"s{i}"), headers=alice).json()["id"] for i in range(5)}
    seen, after = [], None
    while True:
        page = client.get("/v1/subscriptions", params={"limit": 2, **({"after": after} if after else {})},
                          headers=alice).json()
        seen += [s["id"] for s in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert sorted(seen) == sorted(made)


def test_patch_changes_filters_pauses_and_validates(api):
    client, alice, _, _ = api
    sub = client.post("/v1/subscriptions", json=hook(), headers=alice).json()
    url = f"/v1/subscriptions/{sub['id']}"
    got = client.patch(url, json={"labels": ["aid", "civilian_harm"], "keywords": ["Kharkiv"],
                                  "keywords_mode": "all", "min_scores": {"aid": 0.8},
                                  "status": "paused"}, headers=alice)
    assert got.status_code == 200, got.text
    doc = got.json()
    assert doc["labels"] == ["aid", "civilian_harm"] and doc["status"] == "paused"
    assert doc["min_scores"] == {"aid": 0.8} and doc["keywords_mode"] == "all"
    assert client.get(url, headers=alice).json()["keywords"] == ["Kharkiv"]
    assert client.patch(url, json={"labels": ["weather"]}, headers=alice).status_code == 422
    assert client.patch(url, json={"colour": 1}, headers=alice).status_code == 422
    assert client.patch(url, json={"webhook": {"url": "http://127.0.0.1/x"}}, headers=alice).status_code == 422
    assert client.patch(url, json={"quiet_hours": {"start": "22:00", "end": "06:00",
                                                   "timezone": "Mars/Olympus"}}, headers=alice).status_code == 422
    ok = client.patch(url, json={"quiet_hours": {"start": "22:00", "end": "06:00",
                                                 "timezone": "Europe/Kyiv"}}, headers=alice)
    assert ok.status_code == 200 and ok.json()["quiet_hours"]["timezone"] == "Europe/Kyiv"


def test_test_fire_queues_a_marked_sample_delivery(api, engine):
    client, alice, _, _ = api
    sub = client.post("/v1/subscriptions", json=hook(), headers=alice).json()
    fired = client.post(f"/v1/subscriptions/{sub['id']}/test", headers=alice)
    assert fired.status_code == 202, fired.text
    [delivery] = client.get(f"/v1/subscriptions/{sub['id']}/deliveries", headers=alice).json()
    assert delivery["id"] == fired.json()["delivery_id"] and delivery["status"] == "pending"
    [(_, alert)] = DeliveryStore(engine).claim_due(utcnow() + timedelta(seconds=1), 10, timedelta(seconds=5))
    assert alert.kind == "test" and alert.subscription_id == sub["id"]


def test_rotated_secret_and_the_old_one_both_sign_during_the_grace_period(api, engine):
    client, alice, _, _ = api
    sub = client.post("/v1/subscriptions", json=hook(), headers=alice).json()
    rotated = client.post(f"/v1/subscriptions/{sub['id']}/rotate-secret", headers=alice)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["secret"]
    assert new.startswith("whsec_") and new != sub["secret"]
    stored = SubscriptionStore(engine).get(sub["id"])
    assert stored.signing_secrets(utcnow()) == [new, sub["secret"]]
    assert stored.signing_secrets(utcnow() + timedelta(hours=25)) == [new]


def test_replay_puts_a_delivery_back_in_the_queue_for_its_owner_only(api, engine):
    client, alice, bob, _ = api
    sub = client.post("/v1/subscriptions", json=hook(), headers=alice).json()
    fired = client.post(f"/v1/subscriptions/{sub['id']}/test", headers=alice).json()
    store = DeliveryStore(engine)
    store.record(fired["delivery_id"], status="failed", attempts=3, status_code=500, error="HTTP 500",
                 latency_ms=5, next_attempt_at=None, delivered_at=None)
    assert client.post(f"/v1/deliveries/{fired['delivery_id']}/replay", headers=bob).status_code == 404
    again = client.post(f"/v1/deliveries/{fired['delivery_id']}/replay", headers=alice)
    assert again.status_code == 202 and again.json()["status"] == "pending"
    assert client.post("/v1/deliveries/dlv_nope/replay", headers=alice).status_code == 404


def test_one_click_unsubscribe_from_the_email_link(api, engine):
    client, alice, _, settings = api
    sub = client.post("/v1/subscriptions", headers=alice, json={
        "name": "mail", "labels": ["aid"], "email": {"address": "desk@example.org"}}).json()
    token = unsubscribe_token(sub["id"], settings.signing_key)
    page = client.get(f"/v1/unsubscribe/{token}")
    assert page.status_code == 200 and "<form" in page.text
    assert client.get(f"/v1/subscriptions/{sub['id']}", headers=alice).json()["status"] == "active"
    done = client.post(f"/v1/unsubscribe/{token}", content="List-Unsubscribe=One-Click",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200
    assert client.get(f"/v1/subscriptions/{sub['id']}", headers=alice).json()["status"] == "disabled"
    assert client.post("/v1/unsubscribe/not-a-token").status_code == 404
