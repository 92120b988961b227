"""Visible story decisions: why a report joined, the API's story view, and an operator's split
(the split report is published again and then alerts on its own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr

from schemas.models import (
    Label,
    Subscription,
    Update,
    WebhookTarget,
)
from services.api.app import ApiDeps, create_app
from services.api.keys import ApiKeyStore
from services.notify.alerts import make_alert
from services.notify.feed import FeedStore
from services.notify.matching import Match
from services.notify.stories import StoryStore
from services.runtime.config import load
from tests.helpers.notify_factories import report

pytestmark = pytest.mark.integration
KEY = "operator-key-123"
T = datetime(2025, 6, 1, 8, tzinfo=UTC)
H = Label.CIVILIAN_HARM


FIRST = report("wire:1", "Five people were killed when a missile hit a residential building in Dnipro.", "wire",
               H, at=T, killed=5)
SECOND = report("local:1", "A Russian missile struck an apartment block in Dnipro, killing seven civilians, "
                "emergency services said.", "local", H, at=T, killed=7)


@pytest.fixture
def api(engine, tmp_path) -> Iterator[tuple[TestClient, list[Update]]]:
    published: list[Update] = []
    settings = load(api_key=SecretStr(KEY), data_dir=tmp_path)
    app = create_app(ApiDeps(settings, engine, published.extend, CollectorRegistry()))
    with TestClient(app) as client:
        yield client, published


def placed(engine) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    stories, feed = StoryStore(engine), FeedStore(engine)
    a = stories.assign(FIRST, T)
    b = stories.assign(SECOND, T + timedelta(minutes=30))
    feed.add_many([(FIRST, a.story_id), (SECOND, b.story_id)])
    return a.story_id, b.story_id


def test_a_higher_toll_from_another_outlet_joins_the_story_and_alerts_as_an_update(engine):
    stories = StoryStore(engine)
    sub = Subscription(id="sub_1", name="harm", labels=[H], webhook=WebhookTarget(url="https://x.example/h"),
                       created_at=T)
    match = Match(sub, [H])
    first = make_alert(match, FIRST, T, stories.assign(FIRST, T))
    second = make_alert(match, SECOND, T, stories.assign(SECOND, T + timedelta(minutes=30)))
    assert first is not None and second is not None
    assert second.story_id == first.story_id and second.id != first.id
    assert (first.kind, second.kind) == ("new", "update")
    assert second.changes == ["killed: 5 -> 7"]
    assert "same place: Dnipro" in second.joined_because
    assert [c.update_id for c in second.corroboration] == ["wire:1"]


def test_the_story_view_says_why_each_report_joined(api, engine):
    client, _ = api
    story_id, _ = placed(engine)
    doc = client.get(f"/v1/stories/{story_id}", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert [m["update_id"] for m in doc["members"]] == ["wire:1", "local:1"]
    assert doc["members"][0]["joined_because"] == []
    assert "same place: Dnipro" in doc["members"][1]["joined_because"]


def test_an_operator_splits_a_report_out_and_it_is_sent_again_to_alert_on_its_own(api, engine):
    client, published = api
    story_id, _ = placed(engine)
    auth = {"Authorization": f"Bearer {KEY}"}
    assert client.post(f"/v1/stories/{story_id}/split", json={"update_id": "wire:1"}, headers=auth).status_code == 409
    done = client.post(f"/v1/stories/{story_id}/split", json={"update_id": "local:1"}, headers=auth)
    assert done.status_code == 202, done.text
    assert done.json() == {"story_id": "local:1", "update_id": "local:1", "status": "split"}
    assert [u.id for u in published] == ["local:1"]
    again = StoryStore(engine).assign(SECOND, T + timedelta(hours=1))  # the record comes back classified
    assert again.story_id == "local:1" and again.new_story and again.new_member
    sub = Subscription(id="sub_1", name="harm", labels=[H], webhook=WebhookTarget(url="https://x.example/h"),
                       created_at=T)
    alert = make_alert(Match(sub, [H]), SECOND, T, again)
    assert alert is not None and alert.kind == "new" and alert.story_id == "local:1"
    view = client.get("/v1/stories/local:1", headers=auth).json()
    assert view["members"][0]["joined_because"] == [f"split out of story {story_id} by an operator"]
    assert [i.classified.update.id for i in FeedStore(engine).story("local:1")] == ["local:1"]


def test_only_the_operator_may_split_and_unknown_reports_get_404(api, engine):
    client, _ = api
    story_id, _ = placed(engine)
    _key, owner_key = ApiKeyStore(engine).create("newsroom", "desk", T)
    refused = client.post(f"/v1/stories/{story_id}/split", json={"update_id": "local:1"},
                          headers={"Authorization": f"Bearer {owner_key}"})
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    missing = client.post(f"/v1/stories/{story_id}/split", json={"update_id": "nope"},
                          headers={"Authorization": f"Bearer {KEY}"})
    assert missing.status_code == 404


def test_the_console_feed_shows_why_another_outlet_was_taken_for_the_same_event(api, engine):
    client, _ = api
    placed(engine)
    html = client.get("/").text
    assert "Also reported by 1 other outlet" in html
    assert "same event: same place: Dnipro" in html
