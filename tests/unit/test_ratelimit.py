"""Per-destination rate limits: the services' paces, bursts, pauses after a 429, keys without secrets."""

from __future__ import annotations

from schemas.models import ChatWebhookTarget, NtfyTarget, TelegramTarget
from services.notify.ratelimit import RATES, Rate, RateLimiter, destination
from tests.helpers.notify_factories import make_subscription

TOKEN = "123456:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQ"


def sends_at(limiter: RateLimiter, rate: Rate, times: list[float]) -> list[float]:
    """When each request at ``times`` may go, the slots taken in order."""
    out = []
    for t in times:
        wait = limiter.reserve("k", rate, t, max_wait=1e9)
        assert wait is not None
        out.append(t + wait)
    return out


def test_one_a_second_spaces_a_burst_of_requests_a_second_apart():
    assert sends_at(RateLimiter(), Rate(1.0), [0, 0, 0, 0]) == [0, 1, 2, 3]


def test_a_burst_goes_at_once_then_the_pace_holds():
    assert sends_at(RateLimiter(), Rate(0.5, 5), [0] * 7) == [0, 0, 0, 0, 0, 2, 4]


def test_an_idle_destination_earns_its_burst_back():
    limiter = RateLimiter()
    sends_at(limiter, Rate(1.0, 2), [0, 0])
    assert sends_at(limiter, Rate(1.0, 2), [10, 10, 10]) == [10, 10, 11]


def test_a_wait_longer_than_allowed_takes_no_slot():
    limiter = RateLimiter()
    rate = Rate(1 / 3)
    assert limiter.reserve("k", rate, 0, max_wait=1) == 0
    assert limiter.reserve("k", rate, 0, max_wait=1) is None
    assert limiter.wait_for("k", rate, 0) == 3
    assert limiter.reserve("k", rate, 3, max_wait=1) == 0  # the refused request took nothing


def test_a_429_pauses_every_message_to_that_destination():
    limiter = RateLimiter()
    limiter.pause("k", RATES["discord"], 30, now=100)
    assert limiter.wait_for("k", RATES["discord"], 100) == 30
    assert limiter.wait_for("other", RATES["discord"], 100) == 0


def test_unlimited_channels_never_wait():
    limiter = RateLimiter()
    assert [limiter.reserve("k", None, 0, 0) for _ in range(3)] == [0, 0, 0]


def test_telegram_groups_go_at_twenty_a_minute_and_private_chats_at_one_a_second():
    private = destination(make_subscription(telegram=TelegramTarget(
        chat_id="42", bot_token="…", api_url="https://api.telegram.org")), TOKEN)
    group = destination(make_subscription(telegram=TelegramTarget(
        chat_id="-100123", bot_token="…", api_url="https://api.telegram.org")), TOKEN)
    assert private.rate == Rate(1.0) and group.rate is not None
    assert 60 * group.rate.per_second == 20
    assert TOKEN not in group.key and group.key != private.key


def test_destination_keys_hold_no_credential_and_tell_destinations_apart():
    url_a, url_b = "https://hooks.slack.com/services/T1/B1/secretA", "https://hooks.slack.com/services/T1/B1/secretB"
    slack = make_subscription(slack=ChatWebhookTarget(webhook_url="https://hooks.slack.com/…retA"))
    a, b = destination(slack, url_a), destination(slack, url_b)
    assert a.key != b.key and "secret" not in a.key and a.rate == RATES["slack"]
    ntfy = destination(make_subscription(ntfy=NtfyTarget(url="https://ntfy.sh/", topic="t")), None)
    assert ntfy.key == "ntfy:https://ntfy.sh/t"
    assert destination(make_subscription(url="https://x.example/h"), None).rate is None
