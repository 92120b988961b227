"""The web console over the real app, database and an SMTP server: feed, double opt-in sign-up,
manage links, CSRF and rate limits, key holders' delivery logs, sources, operator view."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import HTTPServer
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import MetricsHandler
from pydantic import SecretStr
from sqlalchemy import Engine

from frontwire.broker import free_port
from frontwire.demo.mailbox import Mailbox
from schemas.models import ClassifiedUpdate, Label, Severity, Span, Update
from services.api.app import ApiDeps, create_app
from services.api.console.operator import parse, quantile
from services.api.console.present import highlight
from services.api.keys import ApiKeyStore
from services.api.scopes import Scope
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState
from services.notify.channels.email import EmailNotifier
from services.notify.feed import FeedStore
from services.notify.store import DeliveryStore, SubscriptionStore
from services.notify.tokens import confirm_token, manage_token, unsubscribe_token
from services.runtime.config import Settings, load
from services.runtime.timeutil import utcnow
from tests.helpers.notify_factories import make_alert, make_subscription

pytestmark = pytest.mark.integration
T = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
SIGNUP = {"address": "reader@example.org", "labels": ["aid", "civilian_harm"],
          "keywords": "Kharkiv, Odesa", "mode": "immediate", "digest_minutes": "60"}


@dataclass
class Console:
    client: TestClient
    settings: Settings
    engine: Engine
    mailbox: Mailbox

    def csrf(self, path: str = "/subscribe") -> str:
        page = self.client.get(path)
        match = CSRF.search(page.text)
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    def post(self, path: str, data: dict[str, object], form_from: str | None = None,
             **kw: object):  # type: ignore[no-untyped-def]
        token = self.csrf(form_from or path)
        return self.client.post(path, data={"csrf": token, **data}, follow_redirects=False, **kw)

    def subs(self) -> list:  # type: ignore[type-arg]
        return [s.subscription for s in SubscriptionStore(self.engine).list()]


@pytest.fixture
def console(engine: Engine, tmp_path) -> Iterator[Console]:  # type: ignore[no-untyped-def]
    with Mailbox() as mailbox:
        settings = load(api_key=SecretStr("admin-key"), data_dir=tmp_path, smtp_url=mailbox.url,
                        public_url="http://testserver", webhook_allow_networks="",
                        ingest_metrics_port=free_port(), classify_metrics_port=free_port(),
                        notify_metrics_port=free_port())
        app = create_app(ApiDeps(settings, engine, lambda _u: None, CollectorRegistry()))
        with TestClient(app) as client:
            yield Console(client, settings, engine, mailbox)


def classified(uid: str, minute: int, *, source: str = "coast-live", headline: str | None = None,
               body: str = "Shelling killed three civilians in Marenko.", labels=(Label.CIVILIAN_HARM,),
               evidence: str | None = "killed three civilians") -> ClassifiedUpdate:  # type: ignore[no-untyped-def]
    upd = Update(id=uid, source=source, headline=headline, body=body, first_seen_at=T,
                 content_hash=uid, url=f"https://news.example.org/{uid}")
    text = upd.text
    spans = {}
    if evidence:
        start = text.index(evidence)
        spans = {labels[0]: [Span(start=start, end=start + len(evidence), text=evidence)]}
    return ClassifiedUpdate(update=upd, labels=list(labels), scores={lb: 0.87 for lb in labels},
                            evidence=spans, severity=Severity.HIGH, classifier_version="t",
                            classified_at=T + timedelta(minutes=minute))


def confirm_link(msg) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"http://testserver(/confirm/\S+)", msg.get_body(("plain",)).get_content())
    assert match, "confirmation email carries the link"
    return match.group(1)


# --- pure parts --------------------------------------------------------------------------

def test_highlight_marks_evidence_escapes_the_rest_and_clips_overlaps():
    text = "<b>Four</b> civilians were killed"
    out = str(highlight(text, [(12, 21, "civilian_harm"), (0, 3, "aid"), (18, 26, "aid")]))
    assert out.startswith('<mark class="ev" data-label="aid"') and "&lt;b&gt;</mark>Four&lt;/b&gt;" in out
    assert ">civilians</mark>" in out and "> were</mark> killed" in out  # clipped, not nested
    assert "<b>" not in out
    body = "Headline\nbody text"
    assert ">body</mark>" in str(highlight(body[9:], [(9, 13, "aid")], offset=9))


def test_quantile_interpolates_inside_the_bucket_like_promql():
    samples = [("h_bucket", {"le": "1.0"}, 50.0), ("h_bucket", {"le": "2.0"}, 100.0),
               ("h_bucket", {"le": "+Inf"}, 100.0)]
    assert quantile(samples, "h", 0.5) == pytest.approx(1.0)
    assert quantile(samples, "h", 0.75) == pytest.approx(1.5)
    assert quantile([], "h", 0.5) is None


# --- feed --------------------------------------------------------------------------------

def test_feed_shows_labels_scores_evidence_facts_and_the_other_outlets(console):
    feed = FeedStore(console.engine)
    feed.add(classified("u1", 1, headline="Strike on Marenko"), "story-1")
    feed.add(classified("u2", 2, source="river-news", body="Three civilians were killed in Marenko.",
                        evidence="civilians were killed"), "story-1")
    feed.add(classified("u3", 3, source="aid-desk", body="A convoy brought <b>food</b> to Odesa.",
                        labels=(Label.AID,), evidence="convoy"), "story-3")
    page = console.client.get("/")
    assert page.status_code == 200
    html = page.text
    assert html.index('id="u-u3"') < html.index('id="u-u2"') < html.index('id="u-u1"')
    assert '>killed three civilians</mark>' in html
    assert "civilian harm <span class=\"score\">0.87</span>" in html
    assert "Also reported by 1 other outlet" in html and "river-news" in html
    assert "&lt;b&gt;food&lt;/b&gt;" in html and "<b>food</b>" not in html
    only_aid = console.client.get("/", params={"label": "aid"}).text
    assert 'id="u-u3"' in only_aid and 'id="u-u1"' not in only_aid
    by_text = console.client.get("/", params={"q": "convoy"}).text
    assert 'id="u-u3"' in by_text and 'id="u-u2"' not in by_text
    by_source = console.client.get("/", params={"source": "river-news"}).text
    assert 'id="u-u2"' in by_source and 'id="u-u3"' not in by_source


def test_feed_marks_an_update_in_a_language_the_classifier_does_not_read(console):
    from services.classify.core import Classifier
    update = Update(id="uk1", source="regional", headline="Обстріл Нікополя",
                    body="Окупанти обстріляли Нікопольський район; є поранені, повідомила обласна адміністрація.",
                    first_seen_at=T, content_hash="h-uk1")
    result = Classifier().classify(update, classified_at=T)
    assert (result.language, result.language_supported, result.labels) == ("uk", False, [])
    FeedStore(console.engine).add(result, "story-uk")
    html = console.client.get("/").text
    assert 'id="u-uk1"' in html
    assert "language not covered (uk)" in html and "no label</li>" not in html.split('id="u-uk1"')[1]


def test_live_feed_polls_only_entries_newer_than_the_newest_shown(console):
    feed = FeedStore(console.engine)
    feed.add(classified("old", 1), None)
    newest = (T + timedelta(minutes=1)).isoformat()
    assert "article" not in console.client.get("/feed/items", params={"since": newest}).text
    feed.add(classified("fresh", 5, body="Shelling killed three civilians near the port."), None)
    got = console.client.get("/feed/items", params={"since": newest})
    assert 'id="u-fresh"' in got.text and 'id="u-old"' not in got.text
    assert got.headers["X-Feed-Newest"] == (T + timedelta(minutes=5)).isoformat()


# --- sign-up with double opt-in ---------------------------------------------------------

def test_email_sign_up_stays_pending_until_the_emailed_link_is_confirmed(console):
    sent = console.post("/subscribe", SIGNUP)
    assert sent.status_code == 202, sent.text
    assert "Check your inbox" in sent.text
    [sub] = console.subs()
    assert sub.status == "pending" and sub.keywords == ["Kharkiv", "Odesa"]
    assert SubscriptionStore(console.engine).active() == []  # never matched while pending
    [msg] = console.mailbox.wait_for_blocking(1)
    assert msg["To"] == "reader@example.org" and "Confirm" in msg["Subject"]
    link = confirm_link(msg)
    page = console.client.get(link)
    assert page.status_code == 200 and "Confirm</button>" in page.text
    assert console.subs()[0].status == "pending", "opening the link (as a mail scanner would) confirms nothing"
    done = console.post(link, {})
    assert done.status_code == 303 and done.headers["location"].startswith("/manage/")
    assert console.subs()[0].status == "active"
    assert "Confirmed" in console.client.get(done.headers["location"]).text


def test_confirm_links_expire_and_other_tokens_do_not_confirm(console):
    console.post("/subscribe", SIGNUP)
    [sub] = console.subs()
    key = console.settings.signing_key
    expired = confirm_token(sub.id, int((utcnow() - timedelta(seconds=1)).timestamp()), key)
    assert console.client.get(f"/confirm/{expired}").status_code == 404
    for other in (manage_token(sub.id, key), unsubscribe_token(sub.id, key)):
        assert console.post(f"/confirm/{other}", {}, form_from="/subscribe").status_code == 404
    assert console.subs()[0].status == "pending"


@pytest.mark.parametrize(("change", "message"), [
    ({"address": "not-an-address"}, "is not a valid email address"),
    ({"address": "a@b.org, c@d.org"}, "is not a valid email address"),
    ({"labels": ["weather"]}, "Unknown label &#39;weather&#39;"),
    ({"labels": []}, "Choose at least one label"),
])
def test_bad_sign_ups_get_a_clear_error_and_create_nothing(console, change, message):
    got = console.post("/subscribe", {**SIGNUP, **change})
    assert got.status_code == 422
    assert message in got.text and "Nothing was created" in got.text
    assert 'value="reader@example.org"' in got.text or "address" in change, "the form keeps what was typed"
    assert console.subs() == [] and console.mailbox.messages == []


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_cross_site_sign_ups_are_refused_and_create_nothing(console, headers):
    got = console.post("/subscribe", SIGNUP, headers=headers)
    assert got.status_code == 403 and "This form cannot be accepted" in got.text
    assert console.subs() == [] and console.mailbox.messages == []


def test_sign_ups_without_a_matching_csrf_token_are_refused(console):
    console.csrf()
    assert console.client.post("/subscribe", data=SIGNUP).status_code == 403
    forged = console.csrf().split(".")[0] + ".0000"
    assert console.client.post("/subscribe", data={**SIGNUP, "csrf": forged}).status_code == 403
    other = TestClient(console.client.app)  # another browser: its own cookie
    assert other.post("/subscribe", data={**SIGNUP, "csrf": console.csrf()}).status_code == 403
    ok = console.post("/subscribe", SIGNUP, headers={"Origin": "http://testserver"})
    assert ok.status_code == 202
    assert len(console.subs()) == 1


def test_the_public_sign_up_form_is_rate_limited_per_client(console):
    for i in range(5):
        assert console.post("/subscribe", {**SIGNUP, "address": f"r{i}@example.org"}).status_code == 202
    limited = console.post("/subscribe", {**SIGNUP, "address": "r9@example.org"})
    assert limited.status_code == 429 and "Too many sign-ups" in limited.text
    assert int(limited.headers["Retry-After"]) > 0
    assert len(console.subs()) == 5


def test_an_smtp_failure_leaves_no_pending_sign_up(console):
    console.mailbox.reject_rcpt("550 5.1.1 No such user")
    got = console.post("/subscribe", SIGNUP)
    assert got.status_code == 503 and "nothing was created" in got.text
    assert console.subs() == []


# --- manage from the emailed link --------------------------------------------------------

def test_every_alert_email_links_to_a_manage_page_for_that_subscription_only(console):
    subs = SubscriptionStore(console.engine)
    mine = make_subscription(id="sub_mine", address="me@example.org")
    theirs = make_subscription(id="sub_theirs", address="them@example.org")
    subs.add(mine, "console", None)
    subs.add(theirs, "console", None)
    notifier = EmailNotifier(console.settings.smtp_url, "f <a@example.org>", "http://testserver",
                             console.settings.signing_key)
    text = notifier.message(make_alert(subscription_id=mine.id), mine).get_body(("plain",)).get_content()
    link = re.search(r"http://testserver(/manage/\S+)", text).group(1)
    page = console.client.get(link)
    assert "me@example.org" in page.text and "them@example.org" not in page.text
    saved = console.post(link, {"labels": ["aid", "escalation"], "places": "Kherson",
                                "mode": "digest", "digest_minutes": "240"})
    assert saved.status_code == 303
    got = subs.get(mine.id).subscription
    assert [lb.value for lb in got.labels] == ["aid", "escalation"] and got.places == ["Kherson"]
    assert got.mode == "digest" and got.digest_minutes == 240 and got.email.address == "me@example.org"
    assert console.post(link + "/pause", {}, form_from=link).status_code == 303
    assert subs.get(mine.id).subscription.status == "paused"
    assert console.post(link + "/resume", {}, form_from=link).status_code == 303
    assert subs.get(mine.id).subscription.status == "active"
    assert console.post(link + "/unsubscribe", {}, form_from=link).status_code == 303
    assert subs.get(mine.id).subscription.status == "disabled"
    assert subs.get(theirs.id).subscription.status == "active"
    bad = console.post(link, {"labels": ["weather"]})
    assert bad.status_code == 422 and "Unknown label" in bad.text


def test_manage_pages_need_a_manage_token(console):
    subs = SubscriptionStore(console.engine)
    sub = make_subscription(id="sub_x", address="x@example.org")
    subs.add(sub, "console", None)
    key = console.settings.signing_key
    assert console.client.get(f"/manage/{unsubscribe_token(sub.id, key)}").status_code == 404
    assert console.client.get(f"/manage/{manage_token(sub.id, b'another key')}").status_code == 404
    assert console.client.get(f"/manage/{manage_token(sub.id, key)}").status_code == 200


# --- key holders -------------------------------------------------------------------------

def sign_in(console: Console, key: str) -> None:
    got = console.post("/keys", {"key": key})
    assert got.status_code == 303, got.text
    cookie = got.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_key_holders_see_only_their_own_subscriptions_and_delivery_logs(console):
    keys = ApiKeyStore(console.engine)
    _, alice = keys.create("alice", "a", utcnow())
    _, bob = keys.create("bob", "b", utcnow())
    subs, deliveries = SubscriptionStore(console.engine), DeliveryStore(console.engine)
    a = make_subscription(id="sub_alice", url="https://hooks.example.org/a")
    b = make_subscription(id="sub_bob", url="https://hooks.example.org/b", status="disabled",
                          disabled_reason="endpoint answered 410 Gone")
    subs.add(a, "alice", "whsec_x")
    subs.add(b, "bob", "whsec_y")
    now = utcnow()
    deliveries.add_pending(make_alert(subscription_id=a.id, id="alrt_a"), now, now)
    [d] = deliveries.for_subscription(a.id)
    deliveries.record(d.id, status="failed", attempts=3, status_code=503, error="HTTP 503",
                      latency_ms=42.0, next_attempt_at=None, delivered_at=None)

    assert "Sign in with an API key" in console.client.get("/subscriptions/sub_alice").text
    assert console.post("/keys", {"key": "fwk_nope.nope"}).status_code == 401
    sign_in(console, alice)
    listing = console.client.get("/keys").text
    assert "sub_alice" in listing and "sub_bob" not in listing
    log = console.client.get("/subscriptions/sub_alice").text
    assert "503" in log and "42 ms" in log and "HTTP 503" in log and ">3<" in log
    assert console.client.get("/subscriptions/sub_bob").status_code == 404
    bob_delivery = deliveries.add_pending(make_alert(subscription_id=b.id, id="alrt_b"), now, now)
    assert bob_delivery
    [db] = deliveries.for_subscription(b.id)
    refused = console.post(f"/deliveries/{db.id}/replay", {}, form_from="/keys")
    assert refused.status_code == 404

    replayed = console.post(f"/deliveries/{d.id}/replay", {}, form_from="/subscriptions/sub_alice")
    assert replayed.status_code == 303 and deliveries.get(d.id).status == "pending"
    tested = console.post("/subscriptions/sub_alice/test", {}, form_from="/subscriptions/sub_alice")
    assert tested.status_code == 303 and len(deliveries.for_subscription(a.id)) == 2

    console.post("/keys/logout", {}, form_from="/keys")
    sign_in(console, bob)
    page = console.client.get("/subscriptions/sub_bob").text
    assert "This endpoint is disabled" in page and "endpoint answered 410 Gone" in page
    assert console.post("/subscriptions/sub_bob/enable", {}, form_from="/keys").status_code == 303
    assert subs.get(b.id).subscription.status == "active"
    assert console.post("/subscriptions/sub_alice/enable", {}, form_from="/keys").status_code == 404
    sign_in(console, "admin-key")
    listing = console.client.get("/keys").text
    assert "sub_alice" in listing and "sub_bob" in listing


def test_the_key_page_shows_scopes_expiry_and_last_use_and_keys_without_the_scope_manage_nothing(
        console):
    keys = ApiKeyStore(console.engine)
    until = utcnow() + timedelta(days=30)
    team_key, team = keys.create("newsroom", "desk", utcnow(), [Scope.SUBSCRIPTIONS], until,
                                 contact="desk@example.org")
    wire_key, wire = keys.create("newsroom", "pusher", utcnow(), [Scope.PUBLISH])
    other_key, _ = keys.create("bob", "b", utcnow())
    SubscriptionStore(console.engine).add(make_subscription(id="sub_desk"), "newsroom", "whsec_x")

    sign_in(console, team)
    page = console.client.get("/keys").text
    assert "sub_desk" in page and "New webhook subscription" in page
    assert f"{team_key.id}" in page and "(this key)" in page and wire_key.id in page
    assert other_key.id not in page  # another owner's keys stay hidden
    assert f"{until:%Y-%m-%d %H:%M:%S} UTC" in page  # expiry
    assert page.count("never") >= 2  # the pusher never expires and was never used
    assert "<strong>subscriptions</strong>" in page
    assert "desk@example.org" in page  # the key's contact address
    assert 'href="/channels/new/slack"' in page

    console.post("/keys/logout", {}, form_from="/keys")
    sign_in(console, wire)  # any key may sign in, to see its scopes
    page = console.client.get("/keys").text
    assert "has no <strong>subscriptions</strong> scope" in page and "sub_desk" not in page
    assert "<strong>publish</strong>" in page
    refused = console.post("/webhooks/new", {"url": "https://hooks.example.org/in",
                                             "labels": ["aid"]}, form_from="/keys")
    assert refused.status_code == 403 and "lacks the &#39;subscriptions&#39; scope" in refused.text
    assert console.client.get("/subscriptions/sub_desk").status_code == 403
    assert console.client.get("/channels/new/ntfy").status_code == 403
    chat = console.post("/channels/new/ntfy", {"topic": "frontwire-desk", "labels": ["aid"]},
                        form_from="/keys")
    assert chat.status_code == 403 and "lacks the &#39;subscriptions&#39; scope" in chat.text
    assert [s.id for s in console.subs()] == ["sub_desk"]

    console.post("/keys/logout", {}, form_from="/keys")
    sign_in(console, "admin-key")
    page = console.client.get("/keys").text
    assert "the operator's key" in page and other_key.id in page and "API keys (all owners)" in page
    keys.revoke(wire_key.id, utcnow())
    assert "revoked</span>" in console.client.get("/keys").text


def test_a_console_form_post_leaves_an_audit_line_with_the_signed_in_key(console, caplog):
    key, token = ApiKeyStore(console.engine).create("newsroom", "desk", utcnow())
    sign_in(console, token)
    with caplog.at_level("INFO", logger="frontwire.audit"):
        made = console.post("/webhooks/new", {"url": "https://hooks.example.org/in",
                                              "labels": ["aid"]}, form_from="/webhooks/new")
    assert made.status_code == 201, made.text
    [line] = [r for r in caplog.records if r.name == "frontwire.audit"]
    assert (line.key_id, line.owner, line.route, line.outcome) == (
        key.id, "newsroom", "POST /webhooks/new", "ok")
    assert token not in line.getMessage()


def test_an_expired_or_revoked_key_cannot_sign_in_and_says_why(console):
    keys = ApiKeyStore(console.engine)
    old, token = keys.create("newsroom", "desk", utcnow())
    keys.revoke(old.id, utcnow())
    refused = console.post("/keys", {"key": token})
    assert refused.status_code == 401 and f"API key {old.id} was revoked" in refused.text


def test_webhook_form_shows_the_secret_once_and_refuses_private_targets(console):
    _, alice = ApiKeyStore(console.engine).create("alice", "a", utcnow())
    sign_in(console, alice)
    blocked = console.post("/webhooks/new", {"url": "http://127.0.0.1:9/x", "labels": ["aid"]})
    assert blocked.status_code == 422 and console.subs() == []
    made = console.post("/webhooks/new", {"url": "https://hooks.example.org/in", "labels": ["aid"],
                                          "mode": "immediate", "digest_minutes": "60"})
    assert made.status_code == 201, made.text
    secret = re.search(r'value="(whsec_[^"]+)"', made.text).group(1)
    [sub] = console.subs()
    assert SubscriptionStore(console.engine).get(sub.id).secret == secret
    assert secret not in console.client.get(f"/subscriptions/{sub.id}").text
    assert secret not in console.client.get("/keys").text


# --- sources and operator ----------------------------------------------------------------

def test_sources_page_shows_health_and_flags(console):
    state = IngestState(console.engine)
    now = utcnow()
    state.upsert_source(SourceSpec(id="coast-live", url="https://news.example.org/live", kind="auto",
                                   interval=30), "config", now - timedelta(hours=2))
    state.upsert_source(SourceSpec(id="broken", url="https://down.example.org/", kind="auto",
                                   interval=30), "config", now - timedelta(hours=2))
    state.record_poll("coast-live", now=now, ok=True, found=4)
    for i in range(30):
        state.record_poll("broken", now=now - timedelta(minutes=60 - i), ok=False, error="HTTP 502")
    page = console.client.get("/sources").text
    assert "coast-live" in page and "broken" in page and "HTTP 502" in page
    assert "failing</span>" in page


def test_operator_view_reads_each_service_and_says_when_one_is_down(console):
    registry = CollectorRegistry()
    Counter("frontwire_alerts_total", "a", ["channel"], registry=registry).labels("email").inc(7)
    h = Histogram("frontwire_end_to_end_latency_seconds", "e", ["channel"], buckets=(1, 2, 5),
                  registry=registry)
    for v in (0.5, 0.5, 1.5, 4):
        h.labels("email").observe(v)
    server = HTTPServer(("127.0.0.1", console.settings.notify_metrics_port),
                        MetricsHandler.factory(registry))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = console.client.get("/operator").text
    finally:
        server.shutdown()
    assert "notify: up" in page and "ingest: unavailable" in page and "classify: unavailable" in page
    assert "<td>Alerts created</td><td>7</td>" in page
    assert "<td>Classified</td><td>unavailable</td>" in page
    assert "1.0 s" in page  # p50 of the end-to-end latency
    assert urlsplit(re.search(r'href="(http://[^"]+/d/frontwire-overview)"', page).group(1)).port == 3000


def test_operator_parse_reads_prometheus_text():
    assert parse("# TYPE x counter\nx_total 3\n") == [("x_total", {}, 3.0)]
