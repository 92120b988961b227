"""Atom feeds as a feed reader sees them (parsed with feedparser): the public live feed with
the feed page's filters, and a subscription's alerts at a secret URL; conditional GET."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine

from schemas.models import ClassifiedUpdate, Label, Severity, Update
from services.api.app import ApiDeps, create_app
from services.notify.feed import FeedStore
from services.notify.store import DeliveryStore
from services.runtime.config import load
from tests.helpers.notify_factories import make_alert, make_update

pytestmark = pytest.mark.integration
AUTH = {"Authorization": "Bearer admin-key"}
T = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def client(engine: Engine, tmp_path) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path, public_url="https://alerts.example.org")
    with TestClient(create_app(ApiDeps(settings, engine, lambda _u: None, CollectorRegistry()))) as c:
        yield c


def cu(uid: str, minute: int, labels: tuple[Label, ...] = (), source: str = "coast-live",
       severity: Severity = Severity.LOW, body: str = "Shelling hit the market.") -> ClassifiedUpdate:
    upd = Update(id=uid, source=source, headline=f"Headline {uid}", body=body, first_seen_at=T,
                 content_hash=uid, url=f"https://news.example.org/live#{uid}")
    return ClassifiedUpdate(update=upd, labels=list(labels), scores={lb: 0.9 for lb in labels},
                            severity=severity, classifier_version="t",
                            classified_at=T + timedelta(minutes=minute))


def parsed(response) -> feedparser.FeedParserDict:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    doc = feedparser.parse(response.content)
    assert not doc.bozo, doc.get("bozo_exception")
    assert doc.version == "atom10"
    return doc


def test_the_live_feed_is_valid_atom_newest_first_with_stable_ids(client, engine):
    feed = FeedStore(engine)
    feed.add_many([(cu("a", 1, (Label.AID,)), None), (cu("b", 2, (Label.CIVILIAN_HARM,)), None),
                   (cu("c", 3, body="Control \x0b characters & <tags> from a scraped page"), None)])
    doc = parsed(client.get("/feed.atom"))
    assert [e.title for e in doc.entries] == ["Headline c", "Headline b", "Headline a"]
    assert doc.entries[0].link == "https://news.example.org/live#c"
    assert "characters & <tags> from" in doc.entries[0].content[0].value
    assert [t.term for t in doc.entries[1].tags] == ["civilian_harm"]
    again = parsed(client.get("/feed.atom"))
    assert [e.id for e in again.entries] == [e.id for e in doc.entries]
    assert len({e.id for e in doc.entries}) == 3 and all(e.id.startswith("urn:uuid:") for e in doc.entries)


def test_the_live_feed_takes_the_feed_pages_filters(client, engine):
    FeedStore(engine).add_many([
        (cu("a", 1, (Label.AID,), source="aid-desk"), None),
        (cu("b", 2, (Label.CIVILIAN_HARM, Label.AID), severity=Severity.HIGH), None),
        (cu("c", 3, (Label.ESCALATION,), body="Talks resumed in Geneva"), None)])
    titles = lambda **q: [e.title for e in parsed(client.get("/feed.atom", params=q)).entries]  # noqa: E731
    assert titles(label="aid") == ["Headline b", "Headline a"]
    assert titles(label="prisoner_exchange") == []
    assert titles(source="aid-desk") == ["Headline a"]
    assert titles(severity="high") == ["Headline b"]
    assert titles(q="geneva") == ["Headline c"]
    filtered = parsed(client.get("/feed.atom", params={"label": "aid"}))
    assert filtered.feed.link == "https://alerts.example.org/?label=aid"
    assert parsed(client.get("/feed.atom")).feed.id != filtered.feed.id


def test_the_live_feed_answers_conditional_gets(client, engine):
    feed = FeedStore(engine)
    feed.add(cu("a", 1, (Label.AID,)))
    first = client.get("/feed.atom")
    tag, modified = first.headers["etag"], first.headers["last-modified"]
    assert modified == "Tue, 01 Apr 2025 12:01:00 GMT"
    assert client.get("/feed.atom", headers={"If-None-Match": tag}).status_code == 304
    assert client.get("/feed.atom", headers={"If-Modified-Since": modified}).status_code == 304
    feed.add(cu("b", 2, (Label.AID,)))
    changed = client.get("/feed.atom", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert client.get("/feed.atom", headers={"If-Modified-Since": modified}).status_code == 200


def test_a_subscription_feed_needs_its_secret_and_lists_its_alerts_newest_first(client, engine):
    mine = client.post("/v1/subscriptions", headers=AUTH, json={
        "name": "swaps", "labels": ["civilian_harm"], "email": {"address": "desk@example.org"}}).json()
    other = client.post("/v1/subscriptions", headers=AUTH, json={
        "name": "other", "labels": ["aid"], "email": {"address": "aid@example.org"}}).json()
    url = mine["feed_url"]
    assert url.startswith("https://alerts.example.org/feeds/") and url.endswith(".atom")
    path = url.removeprefix("https://alerts.example.org")
    deliveries = DeliveryStore(engine)
    for i, minute in enumerate((1, 5)):
        update = make_update(id=f"u{i}", headline=f"Story {i}", url=f"https://news.example.org/{i}")
        alert = make_alert(id=f"alrt_{i}", subscription_id=mine["id"], channel="email", update=update,
                           created_at=T + timedelta(minutes=minute))
        deliveries.add_pending(alert, T + timedelta(minutes=minute), T)
    client.post(f"/v1/subscriptions/{mine['id']}/test", headers=AUTH)  # tests are not news
    doc = parsed(client.get(path))
    assert doc.feed.title == "frontwire: swaps"
    assert [e.title for e in doc.entries] == ["Story 1", "Story 0"]
    assert doc.entries[0].link == "https://news.example.org/1"
    assert "Four civilians were killed" in doc.entries[0].content[0].value
    assert [e.id for e in parsed(client.get(path)).entries] == [e.id for e in doc.entries]

    assert client.get(path.replace(".atom", "x.atom")).status_code == 404
    assert client.get(other["feed_url"].removeprefix("https://alerts.example.org")).status_code == 200
    assert client.get(f"/feeds/{mine['id']}.atom").status_code == 404  # the id alone is no secret
    tag = client.get(path).headers["etag"]
    assert client.get(path, headers={"If-None-Match": f'W/{tag}'}).status_code == 304
    client.delete(f"/v1/subscriptions/{mine['id']}", headers=AUTH)
    assert client.get(path).status_code == 404
