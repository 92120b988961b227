"""Every delivery attempt on record, as a subscriber sees it through the API and the console:
a webhook receiver that answers 503 and then 200, the real dispatcher, the real database."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine

from frontwire.demo.receiver import WebhookReceiver
from services.api.app import ApiDeps, create_app
from services.notify.attempts import AttemptLog
from services.notify.dispatch import Dispatcher
from services.notify.guard import NetworkGuard
from services.notify.metrics import notify_metrics
from services.notify.notifiers import http_notifiers
from services.notify.retry import RetryPolicy
from services.notify.store import DeliveryStore, SubscriptionStore
from services.runtime.config import Settings, load
from tests.helpers.console_client import post_form, sign_in
from tests.helpers.dispatching import T0, Clock, run_until

pytestmark = pytest.mark.integration
AUTH = {"Authorization": "Bearer admin-key"}


@pytest.fixture
def api(engine: Engine, tmp_path) -> Iterator[tuple[TestClient, Settings, Clock]]:  # type: ignore[no-untyped-def]
    settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path, public_url="http://testserver",
                    webhook_allow_networks="127.0.0.0/8")
    clock = Clock()
    app = create_app(ApiDeps(settings, engine, lambda _u: None, CollectorRegistry(), clock=clock))
    with TestClient(app) as client:
        yield client, settings, clock


async def test_a_503_then_a_200_shows_both_attempts_in_the_api_and_the_console(api, engine):
    client, settings, clock = api
    with WebhookReceiver() as receiver:
        made = client.post("/v1/subscriptions", headers=AUTH, json={
            "name": "desk", "labels": ["aid"], "webhook": {"url": receiver.url}}).json()
        receiver.add_secret("/hook", made["secret"])
        receiver.script(503)
        fired = client.post(f"/v1/subscriptions/{made['id']}/test", headers=AUTH).json()
        deliveries = DeliveryStore(engine)
        notifiers = http_notifiers(NetworkGuard(settings.allowed_networks), timeout=5.0)
        dispatcher = Dispatcher(deliveries, SubscriptionStore(engine), notifiers,
                                RetryPolicy(schedule=(5, 60), jitter=0), notify_metrics(CollectorRegistry()),
                                clock=clock, rng=random.Random(1), idle_poll=0.01)
        try:
            await run_until(dispatcher, lambda: deliveries.get(fired["delivery_id"]).attempts == 1)
            clock.now = T0 + timedelta(seconds=6)
            await run_until(dispatcher, lambda: deliveries.get(fired["delivery_id"]).status == "delivered")
        finally:
            for n in notifiers.values():
                await n.aclose()
    assert [r.status for r in receiver.requests] == [503, 200]

    listed = client.get(f"/v1/subscriptions/{made['id']}/deliveries", headers=AUTH).json()
    one = client.get(f"/v1/deliveries/{fired['delivery_id']}", headers=AUTH).json()
    assert listed == [one]
    first, second = one["attempt_log"]
    assert (first["attempt"], first["status_code"], first["outcome"], first["channel"]) == (1, 503, "retry", "webhook")
    assert (second["attempt"], second["status_code"], second["outcome"]) == (2, 200, "delivered")
    assert first["at"] == "2025-01-01T00:00:00Z" and second["at"] == "2025-01-01T00:00:06Z"
    assert first["latency_ms"] > 0 and second["latency_ms"] > 0
    assert one["attempts"] == 2 and one["last_status_code"] == 200

    sign_in(client, "admin-key")
    page = client.get(f"/subscriptions/{made['id']}").text
    rows = page[page.index('class="attempt-log"'):]
    assert rows.index(">503<") < rows.index(">200<")
    assert "attempt-retry" in rows and "attempt-delivered" in rows
    assert "2025-01-01 00:00:00 UTC" in rows and "2025-01-01 00:00:06 UTC" in rows


def test_another_owners_delivery_is_a_404(api, engine):
    from services.api.keys import ApiKeyStore
    from services.runtime.timeutil import utcnow

    client, _, _ = api
    made = client.post("/v1/subscriptions", headers=AUTH, json={
        "name": "desk", "labels": ["aid"], "email": {"address": "desk@example.org"}}).json()
    fired = client.post(f"/v1/subscriptions/{made['id']}/test", headers=AUTH).json()
    _, other = ApiKeyStore(engine).create("other", "o", utcnow())
    got = client.get(f"/v1/deliveries/{fired['delivery_id']}", headers={"Authorization": f"Bearer {other}"})
    assert got.status_code == 404
    assert client.get("/v1/deliveries/dlv_nope", headers=AUTH).status_code == 404


def test_attempts_older_than_the_retention_period_are_pruned(engine):
    from schemas.models import DeliveryAttempt
    from services.notify.store import Outcome
    from tests.helpers.notify_factories import make_alert

    deliveries, log = DeliveryStore(engine), AttemptLog(engine)
    deliveries.add_pending(make_alert(id="alrt_p"), T0, T0)
    [d] = deliveries.for_subscription("sub-1")
    for n, at in ((1, T0), (2, T0 + timedelta(days=31))):
        deliveries.record_many([Outcome(d.id, "pending", n, 503, "x", 1.0, at, None, DeliveryAttempt(
            attempt=n, at=at, channel="webhook", outcome="retry", status_code=503))])
    assert log.prune(T0 + timedelta(days=1)) == 1
    assert [a.attempt for a in log.of([d.id])[d.id]] == [2]


def test_console_holders_create_a_chat_subscription_and_never_see_its_credential(api, engine):
    client, _, _ = api
    sign_in(client, "admin-key")
    assert "New Telegram" in client.get("/keys").text
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    form = {"labels": ["aid"], "mode": "immediate", "digest_minutes": "60"}
    blocked = post_form(client, "/channels/new/slack", {
        **form, "webhook_url": "http://10.1.2.3/services/T/B/secretpart"})
    assert blocked.status_code == 422 and "private address" in blocked.text
    assert "secretpart" not in blocked.text  # a secret field is not filled back in
    bad = post_form(client, "/channels/new/telegram", {**form, "bot_token": "nope", "chat_id": "42"})
    assert bad.status_code == 422 and "Bot token" in bad.text
    made = post_form(client, "/channels/new/telegram", {**form, "bot_token": token,
                                                        "chat_id": "-1001234567890"})
    assert made.status_code == 303, made.text
    page = client.get(made.headers["location"]).text
    assert "Created." in page and "chat -1001234567890" in page and token not in page
    assert "Send a test delivery" in page and "/feeds/" in page
    [stored] = SubscriptionStore(engine).list()
    assert stored.secret == token and stored.subscription.telegram is not None
    tested = post_form(client, f"/subscriptions/{stored.subscription.id}/test", {},
                       form_from=f"/subscriptions/{stored.subscription.id}")
    assert tested.status_code == 303
    assert len(DeliveryStore(engine).for_subscription(stored.subscription.id)) == 1
