"""The HTTP API over a real database and the embedded broker: auth, validation, subscriptions, push."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaConsumer, TopicPartition
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from schemas import UPDATES, Update, decode
from services.api.app import ApiDeps, create_app
from services.ingest.app import UpdatePublisher
from services.runtime.config import load
from services.runtime.kafka import make_producer

pytestmark = pytest.mark.integration
KEY = "test-key-123"
AUTH = {"Authorization": f"Bearer {KEY}"}


@pytest.fixture
def client(engine, broker, tmp_path) -> Iterator[TestClient]:
    settings = load(api_key=SecretStr(KEY), data_dir=tmp_path)
    producer = make_producer(broker, "api-test")
    app = create_app(ApiDeps(settings, engine, UpdatePublisher(producer, "test"), CollectorRegistry()))
    with TestClient(app) as c:
        yield c
    producer.close()


def webhook_body(**over):
    body = {"name": "swaps", "labels": ["prisoner_exchange"], "min_score": 0.5,
            "webhook": {"url": "https://hooks.example.org/frontwire"}}
    body.update(over)
    return body


def test_requests_without_a_key_or_with_a_wrong_key_are_refused(client):
    assert client.get("/v1/subscriptions").status_code == 401
    assert client.get("/v1/subscriptions", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.post("/v1/updates", json={"source": "x", "body": "y"}).status_code == 401


def test_webhook_subscription_returns_its_id_and_signing_secret_once(client):
    resp = client.post("/v1/subscriptions", json=webhook_body(), headers=AUTH)
    assert resp.status_code == 201, resp.text
    doc = resp.json()
    assert doc["id"].startswith("sub_") and doc["secret"].startswith("whsec_")
    got = client.get(f"/v1/subscriptions/{doc['id']}", headers=AUTH).json()
    assert got["labels"] == ["prisoner_exchange"] and "secret" not in got
    listed = client.get("/v1/subscriptions", headers=AUTH).json()
    assert [s["id"] for s in listed["items"]] == [doc["id"]]
    assert client.delete(f"/v1/subscriptions/{doc['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/v1/subscriptions/{doc['id']}", headers=AUTH).status_code == 404


def test_email_subscription_has_no_secret(client):
    resp = client.post("/v1/subscriptions", headers=AUTH, json={
        "name": "mail", "labels": ["aid", "civilian_harm"], "email": {"address": "desk@example.org"}})
    assert resp.status_code == 201, resp.text
    assert resp.json()["secret"] is None
    assert resp.json()["email"] == {"address": "desk@example.org"}


@pytest.mark.parametrize(("body", "field"), [
    (webhook_body(colour="red"), "colour"),
    (webhook_body(labels=["weather"]), "labels"),
    (webhook_body(webhook={"url": "not a url"}), "url"),
    (webhook_body(webhook=None, email={"address": "not-an-address"}), "address"),
    (webhook_body(min_score=2), "min_score"),
    (webhook_body(webhook={"url": "http://169.254.169.254/latest"}), "url"),
    (webhook_body(webhook={"url": "http://localhost/hook"}), "url"),
    (webhook_body(webhook={"url": "http://10.0.0.1/hook"}), "url"),
])
def test_bad_subscriptions_get_422_naming_the_field(client, body, field):
    resp = client.post("/v1/subscriptions", json=body, headers=AUTH)
    assert resp.status_code == 422, resp.text
    locs = [err["loc"] for err in resp.json()["detail"]]
    assert any(field in loc for loc in locs), locs


def test_bad_json_is_a_422(client):
    resp = client.post("/v1/subscriptions", content=b"{not json", headers={**AUTH, "content-type": "application/json"})
    assert resp.status_code == 422


def test_pushed_update_is_published_on_the_updates_topic(client, broker):
    consumer = KafkaConsumer(bootstrap_servers=broker, enable_auto_commit=False)
    parts = [TopicPartition(UPDATES.name, p) for p in consumer.partitions_for_topic(UPDATES.name)]
    consumer.assign(parts)
    consumer.seek_to_end()
    for tp in parts:
        consumer.position(tp)  # fix the starting point before the push
    source = f"desk-{uuid.uuid4().hex[:6]}"
    resp = client.post("/v1/updates", headers=AUTH, json={
        "source": source, "headline": "Convoy reaches the besieged town",
        "body": "Forty trucks of food and medicine arrived on Monday.",
        "published_at": "2025-02-03T10:00:00Z"})
    assert resp.status_code == 202, resp.text
    update_id = resp.json()["id"]
    seen: list[Update] = []
    for _ in range(50):
        for records in consumer.poll(timeout_ms=200).values():
            seen += [decode(r.value, Update, type=UPDATES.event_type).data for r in records]
        if any(u.id == update_id for u in seen):
            break
    consumer.close()
    [upd] = [u for u in seen if u.id == update_id]
    assert upd.source == f"push:{source}" and upd.headline == "Convoy reaches the besieged town"
    again = client.post("/v1/updates", headers=AUTH, json={
        "source": source, "headline": "Convoy reaches the besieged town",
        "body": "Forty trucks of food and medicine arrived on Monday.",
        "published_at": "2025-02-03T10:00:00Z"})
    assert again.json() == {"id": update_id, "revision": 1, "status": "unchanged"}


def test_push_rejects_unknown_fields_and_naive_times(client):
    resp = client.post("/v1/updates", headers=AUTH, json={"source": "x", "body": "y", "extra": 1})
    assert resp.status_code == 422
    resp = client.post("/v1/updates", headers=AUTH, json={
        "source": "x", "body": "y", "published_at": "2025-01-01T10:00:00"})
    assert resp.status_code == 422 and "published_at" in resp.json()["detail"][0]["loc"]


def test_openapi_and_ops_endpoints(client):
    assert "/v1/subscriptions" in client.get("/openapi.json").json()["paths"]
    assert client.get("/healthz").text == "ok\n"
    assert client.get("/readyz").status_code == 200
    assert "frontwire_updates_ingested_total" in client.get("/metrics").text
