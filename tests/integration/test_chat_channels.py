"""Slack, Teams, Discord, Telegram and ntfy against a local HTTP receiver standing in for each
service: the exact request it expects (path, JSON shape, limits), 429s honoured through the
real dispatcher, gone destinations disabled, credentials kept out of what is shown."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from schemas.models import (
    Alert,
    ChatWebhookTarget,
    Label,
    NtfyTarget,
    Span,
    Subscription,
    TelegramTarget,
)
from services.notify.attempts import AttemptLog
from services.notify.channels.http import Format, HttpNotifier
from services.notify.channels.posting import AiohttpPoster
from services.notify.dispatch import Dispatcher
from services.notify.guard import NetworkGuard, parse_networks
from services.notify.masking import mask_secret, mask_url
from services.notify.metrics import notify_metrics
from services.notify.notifiers import FORMATS
from services.notify.retry import RetryPolicy
from services.notify.store import DeliveryStore, SubscriptionStore
from services.runtime.db import connect
from tests.helpers.dispatching import T0, Clock, run_until
from tests.helpers.http_receiver import Answer, Receiver, Seen
from tests.helpers.notify_factories import make_alert, make_subscription

pytestmark = pytest.mark.integration
LOOPBACK = NetworkGuard(parse_networks("127.0.0.0/8"))
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
LINK = "https://news.example.org/live/" + "kharkiv-" * 40 + "#entry-12"


@dataclass(frozen=True)
class Kind:
    name: str
    subscription: Callable[[str], tuple[Subscription, str]]  # base URL -> (masked, secret)
    path: Callable[[str], str]  # secret -> the path (and query) the service is posted at
    visible: Callable[[Seen], str]  # the text a reader sees, from the raw request
    within_limits: Callable[[Seen], bool]
    too_many: Answer  # the service's own 429


def _chat(name: str, secret_path: str) -> Callable[[str], tuple[Subscription, str]]:
    def make(base: str) -> tuple[Subscription, str]:
        secret = base + secret_path
        return make_subscription(**{name: ChatWebhookTarget(webhook_url=mask_url(secret))}), secret
    return make


def _telegram(base: str) -> tuple[Subscription, str]:
    return make_subscription(telegram=TelegramTarget(
        chat_id="-1001234567890", bot_token=mask_secret(TOKEN), api_url=base)), TOKEN


def _ntfy(base: str) -> tuple[Subscription, str]:
    token = "tk_3gd7d2yftt4b8ixyfe9mnmro88o76"
    return make_subscription(ntfy=NtfyTarget(url=base, topic="frontwire-kharkiv",
                                             token=mask_secret(token))), token


def _slack_text(seen: Seen) -> str:
    return "\n".join(b["text"]["text"] if "text" in b else str(b) for b in seen.json()["blocks"])


def _slack_ok(seen: Seen) -> bool:
    blocks = seen.json()["blocks"]
    head = [b for b in blocks if b["type"] == "header"]
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    return (len(blocks) <= 50 and all(len(h["text"]["text"]) <= 150 for h in head)
            and all(len(t) <= 3000 for t in sections))


def _teams_card(seen: Seen) -> dict[str, Any]:
    (attachment,) = seen.json()["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]  # type: ignore[no-any-return]


def _teams_text(seen: Seen) -> str:
    card = _teams_card(seen)
    return " ".join([str(b.get("text", b.get("facts"))) for b in card["body"]]
                    + [a["url"] for a in card.get("actions", [])])


def _discord_embed(seen: Seen) -> dict[str, Any]:
    (embed,) = seen.json()["embeds"]
    return embed  # type: ignore[no-any-return]


def _discord_ok(seen: Seen) -> bool:
    e = _discord_embed(seen)
    texts = [e["title"], e["description"], e["footer"]["text"],
             *(f["name"] + f["value"] for f in e.get("fields", []))]
    return (len(e["title"]) <= 256 and len(e["description"]) <= 4096
            and all(len(f["value"]) <= 1024 for f in e.get("fields", []))
            and sum(len(t) for t in texts) <= 6000)


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


KINDS = [
    Kind("slack", _chat("slack", "/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX"),
         lambda _: "/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX",
         _slack_text, _slack_ok, Answer(429, b"rate_limited", (("Retry-After", "30"),))),
    Kind("teams", _chat("teams", "/workflows/9f1c/triggers/manual/paths/invoke?api-version=1&sig=Zk9v"),
         lambda _: "/workflows/9f1c/triggers/manual/paths/invoke?api-version=1&sig=Zk9v",
         _teams_text, lambda s: len(s.body) <= 28 * 1024, Answer(429, b"", (("Retry-After", "30"),))),
    Kind("discord", _chat("discord", "/api/webhooks/112233/tOkEnSeCrEt"),
         lambda _: "/api/webhooks/112233/tOkEnSeCrEt?wait=true",
         lambda s: _discord_embed(s)["description"], _discord_ok,
         Answer(429, b'{"message": "You are being rate limited.", "retry_after": 30, "global": false}',
                (("Retry-After", "30"), ("content-type", "application/json")))),
    Kind("telegram", _telegram, lambda token: f"/bot{token}/sendMessage",
         lambda s: s.json()["text"], lambda s: _utf16(s.json()["text"]) <= 4096,
         # Telegram says how long in the body only.
         Answer(429, b'{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 30",'
                     b'"parameters":{"retry_after":30}}')),
    Kind("ntfy", _ntfy, lambda _: "/",
         lambda s: s.json()["message"], lambda s: len(s.json()["message"].encode()) <= 4096,
         Answer(429, b'{"code":42901,"http":429,"error":"limit reached: too many requests"}',
                (("Retry-After", "30"),))),
]
BY_NAME = {k.name: k for k in KINDS}
FORMAT = {f.channel: f for f in FORMATS}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


def notifier(fmt: Format) -> HttpNotifier:
    return HttpNotifier(fmt, AiohttpPoster(LOOPBACK), LOOPBACK, "frontwire-test/1", 5.0)


async def send(kind: Kind, base_url: str, alert: Alert | None = None):  # type: ignore[no-untyped-def]
    sub, secret = kind.subscription(base_url)
    n = notifier(FORMAT[kind.name])
    try:
        result = await n.send(alert or make_alert(channel=kind.name), sub, secret=secret)
    finally:
        await n.aclose()
    return result, secret


def long_alert(kind: str) -> Alert:
    """Evidence far beyond any service's limit, a long headline and a long link."""
    base = make_alert(channel=kind)
    quote = "Witnesses said the shelling of the eastern districts went on for hours. " * 200
    update = base.classified.update.model_copy(update={"headline": "Strike on Kharkiv " * 30,
                                                       "url": LINK})
    classified = base.classified.model_copy(update={"update": update, "evidence": {
        Label.CIVILIAN_HARM: [Span(start=0, end=len(quote), text=quote)] * 3}})
    return base.model_copy(update={"classified": classified})


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_posts_the_request_the_service_expects(kind: Kind, receiver: Receiver) -> None:
    result, secret = await send(kind, receiver.base_url)
    assert result.ok and result.status_code == 200 and result.response == "ok"
    (seen,) = receiver.requests
    assert seen.method == "POST" and seen.path == kind.path(secret)
    assert seen.headers["content-type"] == "application/json"
    text = kind.visible(seen)
    assert "Four civilians were killed" in text and "https://example.org/live#upd-1" in text
    assert kind.within_limits(seen)


def test_slack_gets_block_kit_with_labels_severity_facts_and_corroboration() -> None:
    fmt = FORMAT["slack"]
    sub, secret = _chat("slack", "/services/T/B/x")("https://hooks.slack.com")
    body = Seen("POST", "/", {}, fmt.request(make_alert(channel="slack"), sub, [secret], T0).body).json()
    assert body["text"].startswith("[civilian_harm] Four civilians killed")
    kinds = [b["type"] for b in body["blocks"]]
    assert kinds[:2] == ["header", "context"] and set(kinds) <= {"header", "context", "section"}
    context = body["blocks"][1]["elements"][0]["text"]
    assert context == "civilian_harm · severity high · bbc-live · +1 other source"
    assert any("Killed: 4" in b["text"]["text"] for b in body["blocks"] if b["type"] == "section")


def test_telegram_text_is_escaped_html_that_no_headline_can_break_out_of() -> None:
    fmt = FORMAT["telegram"]
    sub, token = _telegram("https://api.telegram.org")
    alert = make_alert(channel="telegram", update=make_alert().classified.update.model_copy(
        update={"headline": "<b>Fake</b> & <a href='x'>link</a>", "url": 'https://e.org/?a=1&b="2"'}))
    body = Seen("POST", "/", {}, fmt.request(alert, sub, [token], T0).body).json()
    assert body["parse_mode"] == "HTML" and body["chat_id"] == -1001234567890
    assert "&lt;b&gt;Fake&lt;/b&gt; &amp; &lt;a href='x'&gt;link&lt;/a&gt;" in body["text"]
    assert '<a href="https://e.org/?a=1&amp;b=&quot;2&quot;">Read the report</a>' in body["text"]
    assert body["link_preview_options"] == {"is_disabled": True}


def test_ntfy_priority_follows_severity_and_tags_are_the_labels() -> None:
    fmt = FORMAT["ntfy"]
    sub, token = _ntfy("https://ntfy.sh")
    body = Seen("POST", "/", {}, fmt.request(make_alert(channel="ntfy"), sub, [token], T0).body).json()
    assert (body["topic"], body["priority"], body["tags"]) == ("frontwire-kharkiv", 4, ["civilian_harm"])
    assert body["click"] == "https://example.org/live#upd-1"
    assert fmt.request(make_alert(), sub, [token], T0).headers == {"authorization": f"Bearer {token}"}


def test_discord_switches_mentions_off_so_scraped_text_pings_nobody() -> None:
    fmt = FORMAT["discord"]
    sub, secret = _chat("discord", "/api/webhooks/1/t")("https://discord.com")
    body = Seen("POST", "/", {}, fmt.request(make_alert(), sub, [secret], T0).body).json()
    assert body["allowed_mentions"] == {"parse": []}
    assert body["embeds"][0]["url"] == "https://example.org/live#upd-1"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_long_evidence_is_cut_to_the_service_limits_and_the_link_kept_whole(
        kind: Kind, receiver: Receiver) -> None:
    result, _ = await send(kind, receiver.base_url, long_alert(kind.name))
    assert result.ok
    (seen,) = receiver.requests
    assert kind.within_limits(seen), "over the service's limits"
    text = kind.visible(seen)
    assert LINK in text and "Witnesses said the shelling" in text and "…" in text


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_a_429_with_retry_after_is_honoured_by_the_dispatcher(kind: Kind, receiver: Receiver,
                                                                   tmp_path) -> None:  # type: ignore[no-untyped-def]
    receiver.script(kind.too_many)
    engine = connect(f"sqlite:///{tmp_path / 'd.db'}")
    subs, deliveries = SubscriptionStore(engine), DeliveryStore(engine)
    sub, secret = kind.subscription(receiver.base_url)
    subs.add(sub.model_copy(update={"id": "sub_1"}), "owner", secret)
    alert = make_alert(id="alrt_1", subscription_id="sub_1", channel=kind.name)
    deliveries.add_pending(alert, T0, T0)
    clock = Clock()
    n = notifier(FORMAT[kind.name])
    dispatcher = Dispatcher(deliveries, subs, {kind.name: n}, RetryPolicy(schedule=(5, 60), jitter=0),
                            notify_metrics(CollectorRegistry()), clock=clock, rng=random.Random(1),
                            idle_poll=0.01)
    try:
        await run_until(dispatcher, lambda: deliveries.for_subscription("sub_1")[0].attempts == 1)
        [first] = deliveries.for_subscription("sub_1")
        assert first.status == "pending" and first.last_status_code == 429
        assert first.next_attempt_at == T0.replace(second=30)  # not the schedule's 5 s
        assert deliveries.claim_due(T0.replace(second=29), 10, timedelta(0)) == []  # not due before
        clock.now = T0.replace(second=31)
        await run_until(dispatcher, lambda: deliveries.for_subscription("sub_1")[0].status == "delivered")
    finally:
        await n.aclose()
    [delivery] = AttemptLog(engine).attach(deliveries.for_subscription("sub_1"))
    assert [(a.status_code, a.outcome) for a in delivery.attempt_log] == [(429, "retry"), (200, "delivered")]
    assert len(receiver.requests) == 2


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("status", [401, 403, 404, 410])
async def test_a_removed_webhook_bot_or_token_disables_the_destination(
        kind: Kind, status: int, receiver: Receiver) -> None:
    receiver.script(Answer(status, b'{"ok":false,"description":"Unauthorized"}'))
    result, _ = await send(kind, receiver.base_url)
    assert not result.ok and not result.retryable and result.disable and result.status_code == status


async def test_telegram_chat_not_found_disables_and_other_400s_only_fail(receiver: Receiver) -> None:
    kind = BY_NAME["telegram"]
    receiver.script(Answer(400, b'{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}'),
                    Answer(400, b'{"ok":false,"error_code":400,"description":"Bad Request: can\'t parse entities"}'))
    gone, _ = await send(kind, receiver.base_url)
    bad, _ = await send(kind, receiver.base_url)
    assert gone.disable and not bad.disable and not bad.retryable


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_credentials_never_show_in_an_error(kind: Kind) -> None:
    # Nothing listens on port 9: the engine's error text is recorded, with the secret masked.
    result, secret = await send(kind, "http://127.0.0.1:9")
    assert not result.ok and result.retryable and result.error_class == "connection"
    assert secret not in (result.error or "")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
async def test_the_guard_refuses_private_addresses_before_sending(kind: Kind) -> None:
    sub, secret = kind.subscription("http://10.0.0.7")
    n = HttpNotifier(FORMAT[kind.name], AiohttpPoster(NetworkGuard()), NetworkGuard(), "t/1", 5.0)
    result = await n.send(make_alert(channel=kind.name), sub, secret=secret)
    await n.aclose()
    assert not result.ok and not result.retryable and result.error_class == "blocked"
    assert "private address" in (result.error or "") and secret not in (result.error or "")
