"""Mail as its readers get it, through the real API, dispatcher and an SMTP server (aiosmtpd):
the one-click unsubscribe link in the raw bytes stops the mails; an owner whose destination was
disabled is told by mail."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine

from frontwire.demo.mailbox import Mailbox
from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.notify.channels.email import EmailNotifier
from services.notify.dispatch import Dispatcher
from services.notify.guard import NetworkGuard
from services.notify.metrics import notify_metrics
from services.notify.notice_sender import NoticeSender
from services.notify.notices import NoticeStore, owner_teller
from services.notify.notifiers import http_notifiers
from services.notify.retry import RetryPolicy
from services.notify.store import DeliveryStore, SubscriptionStore
from services.runtime.config import Settings, load
from services.runtime.db import SqlThreads
from services.runtime.timeutil import utcnow
from tests.helpers.dispatching import run_until
from tests.helpers.http_receiver import Answer, Receiver
from tests.helpers.notify_factories import make_alert

pytestmark = pytest.mark.integration
AUTH = {"Authorization": "Bearer admin-key"}
ONE_CLICK = re.compile(rb"^List-Unsubscribe: <(http[^>]+)>\r$", re.MULTILINE)


@pytest.fixture
def world(engine: Engine, tmp_path) -> Iterator[tuple[TestClient, Settings, Mailbox]]:  # type: ignore[no-untyped-def]
    with Mailbox() as mailbox:
        settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path, smtp_url=mailbox.url,
                        public_url="http://testserver", webhook_allow_networks="127.0.0.0/8")
        app = create_app(ApiDeps(settings, engine, lambda _u: None, CollectorRegistry()))
        with TestClient(app) as client:
            yield client, settings, mailbox


def mail_of(settings: Settings) -> EmailNotifier:
    return EmailNotifier(settings.smtp_url, settings.mail_from, settings.public_url,
                         settings.signing_key, timeout=5.0)


async def test_a_post_to_the_list_unsubscribe_link_stops_the_mails(world, engine):
    client, settings, mailbox = world
    sub = client.post("/v1/subscriptions", headers=AUTH, json={
        "name": "desk", "labels": ["civilian_harm"], "email": {"address": "desk@example.org"}}).json()
    deliveries = DeliveryStore(engine)
    dispatcher = Dispatcher(deliveries, SubscriptionStore(engine), {"email": mail_of(settings)},
                            RetryPolicy(), notify_metrics(CollectorRegistry()), idle_poll=0.01)
    first = make_alert(id="alrt_first", subscription_id=sub["id"], channel="email")
    deliveries.add_pending(first, utcnow(), utcnow())
    await run_until(dispatcher, lambda: len(mailbox.raw) == 1)

    match = ONE_CLICK.search(mailbox.raw[0])
    assert match, mailbox.raw[0][:800]
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in mailbox.raw[0]
    link = match.group(1).decode("ascii")
    # What a mail client sends for RFC 8058 one-click unsubscribe.
    done = client.post(link.removeprefix("http://testserver"), content=b"List-Unsubscribe=One-Click",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200 and "Unsubscribed" in done.text
    assert client.get(f"/v1/subscriptions/{sub['id']}", headers=AUTH).json()["status"] == "disabled"

    later = make_alert(id="alrt_later", subscription_id=sub["id"], channel="email")
    deliveries.add_pending(later, utcnow(), utcnow())
    await run_until(dispatcher, lambda: all(d.status != "pending"
                                            for d in deliveries.for_subscription(sub["id"])))
    assert len(mailbox.raw) == 1
    assert SubscriptionStore(engine).active() == []


@pytest.mark.parametrize("where", ["subscription", "api key", "nowhere"])
async def test_the_owner_is_told_by_mail_when_a_destination_is_disabled(where, world, engine):
    client, settings, mailbox = world
    _, key = ApiKeyStore(engine).create("desk", "desk key", utcnow(),
                                        contact="keyholder@example.org" if where == "api key" else None)
    headers = {"Authorization": f"Bearer {key}"}
    with Receiver(default=Answer(404, b"no_service")) as slack:
        body = {"name": "conflict desk", "labels": ["aid"],
                "slack": {"webhook_url": f"{slack.base_url}/services/T1/B1/abcdefghijkl"}}
        if where == "subscription":
            body["contact"] = "oncall@example.org"
        sub = client.post("/v1/subscriptions", headers=headers, json=body).json()
        client.post(f"/v1/subscriptions/{sub['id']}/test", headers=headers)
        deliveries, notices, registry = DeliveryStore(engine), NoticeStore(engine), CollectorRegistry()
        metrics = notify_metrics(registry)
        notifiers = http_notifiers(NetworkGuard(settings.allowed_networks), timeout=5.0)
        dispatcher = Dispatcher(deliveries, SubscriptionStore(engine), notifiers, RetryPolicy(), metrics,
                                idle_poll=0.01, on_disabled=owner_teller(notices, settings.public_url))
        try:
            await run_until(dispatcher, lambda: deliveries.for_subscription(sub["id"])[0].status == "failed")
        finally:
            for n in notifiers.values():
                await n.aclose()
    shown = client.get(f"/v1/subscriptions/{sub['id']}", headers=headers).json()
    assert shown["status"] == "disabled" and "404" in shown["disabled_reason"]
    assert "no_service" in shown["disabled_reason"]
    assert registry.get_sample_value("frontwire_subscriptions_disabled_total",
                                     {"channel": "slack", "reason": "gone"}) == 1

    sender = NoticeSender(notices, mail_of(settings), settings.mail_from, RetryPolicy(), metrics,
                          dispatcher.sql, utcnow, random.Random(1))
    sent = await sender.send_due()
    if where == "nowhere":
        assert sent == 0 and mailbox.messages == []
        return
    (msg,) = await mailbox.wait_for(1)
    expected = {"subscription": "oncall@example.org", "api key": "keyholder@example.org"}[where]
    assert msg["To"] == expected and msg["Subject"] == "[frontwire] alerts disabled: conflict desk"
    text = msg.get_body(("plain",)).get_content()
    assert sub["id"] in text and "no_service" in text
    assert f"http://testserver/subscriptions/{sub['id']}" in text
    assert "abcdefghijkl" not in text  # the webhook URL is a credential: masked here too
    assert await sender.send_due() == 0  # sent once


async def test_an_smtp_outage_delays_the_notice_on_the_retry_schedule(world, engine):
    from schemas.models import EmailTarget, Subscription
    from services.notify.notices import disabled_notice
    from tests.helpers.dispatching import T0, Clock

    _, settings, mailbox = world
    notices, clock = NoticeStore(engine), Clock()
    sub = Subscription(id="sub_n", name="n", labels=["aid"], created_at=T0,
                       email=EmailTarget(address="x@example.org"))
    notices.queue(disabled_notice(sub, "gone", "owner@example.org", T0, "http://testserver"), T0)
    mailbox.reject_rcpt("451 4.3.0 Try again later")
    sender = NoticeSender(notices, mail_of(settings), settings.mail_from,
                          RetryPolicy(schedule=(60,), jitter=0), notify_metrics(CollectorRegistry()),
                          SqlThreads(engine), clock, random.Random(1))
    assert await sender.send_due() == 0
    mailbox.reject_rcpt(None)
    assert await sender.send_due() == 0  # not due again yet
    clock.now = T0 + timedelta(seconds=61)
    assert await sender.send_due() == 1 and len(mailbox.messages) == 1


def test_the_owner_contact_comes_from_its_newest_key_that_still_works(engine):
    """A revoked or expired key's contact is not written to; the subscription's own wins."""
    from services.api.scopes import Scope
    from tests.helpers.notify_factories import make_subscription

    keys, notices, now = ApiKeyStore(engine), NoticeStore(engine), utcnow()
    sub = make_subscription(url="https://hooks.example.org/in")
    keys.create("desk", "old", now - timedelta(days=2), contact="old@example.org")
    assert notices.contact(sub, "desk", now) == "old@example.org"
    soon = now + timedelta(minutes=5)
    keys.create("desk", "temp", now - timedelta(days=1), [Scope.SUBSCRIPTIONS], soon,
                contact="temp@example.org")
    assert notices.contact(sub, "desk", now) == "temp@example.org"
    assert notices.contact(sub, "desk", soon) == "old@example.org"  # the newest one expired
    revoked, _ = keys.create("desk", "new", now, contact="new@example.org")
    keys.revoke(revoked.id, now)
    assert notices.contact(sub, "desk", now) == "temp@example.org"
    assert notices.contact(sub, "nobody", now) is None
    own = sub.model_copy(update={"contact": "oncall@example.org"})
    assert notices.contact(own, "desk", now) == "oncall@example.org"
