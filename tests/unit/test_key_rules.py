"""The pure rules behind API keys: what a scope allows, when `--expires` ends a key, and how a
per-key rate limit refills."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from services.api.expiry import parse_expiry
from services.api.ratelimit import KeyLimits
from services.api.scopes import Caller, Scope, format_scopes, operator, parse_scopes

NOW = datetime(2026, 5, 4, 10, 30, tzinfo=UTC)


def test_admin_may_do_everything_for_every_owner_and_others_only_their_scopes() -> None:
    team = Caller("k1", "newsroom", frozenset({Scope.SUBSCRIPTIONS}))
    assert team.may(Scope.SUBSCRIPTIONS) and not team.may(Scope.PUBLISH)
    assert team.owner_filter == "newsroom"
    ops = Caller("k2", "ops", frozenset({Scope.ADMIN}))
    assert all(ops.may(s) for s in Scope) and ops.owner_filter is None
    assert operator().owner_filter is None and operator().key_id == "operator"


def test_the_refusal_names_the_missing_scope_and_the_command_that_gives_it() -> None:
    team = Caller("k1", "newsroom", frozenset({Scope.SUBSCRIPTIONS}))
    message = team.lacks(Scope.PUBLISH, "pushing updates")
    assert "lacks the 'publish' scope, which pushing updates needs" in message
    assert "frontwire apikey create --owner newsroom --scope publish" in message
    desk = Caller("k3", "news desk", frozenset())
    assert "--owner 'news desk' --scope sources" in desk.lacks(Scope.SOURCES, "adding sources")


def test_scopes_are_stored_in_a_fixed_order_and_read_back() -> None:
    assert format_scopes({Scope.ADMIN, Scope.SUBSCRIPTIONS}) == "subscriptions admin"
    assert parse_scopes("publish sources") == {Scope.PUBLISH, Scope.SOURCES}
    with pytest.raises(ValueError, match="unknown scope"):
        parse_scopes("publish everything")


@pytest.mark.parametrize(("text", "expected"), [
    ("30m", NOW + timedelta(minutes=30)),
    ("12h", NOW + timedelta(hours=12)),
    ("90d", NOW + timedelta(days=90)),
    ("2w", NOW + timedelta(weeks=2)),
    ("2026-05-04", datetime(2026, 5, 5, tzinfo=UTC)),  # works through that day
    ("2026-12-31T18:00Z", datetime(2026, 12, 31, 18, tzinfo=UTC)),
    ("2026-12-31T18:00:00+02:00", datetime(2026, 12, 31, 16, tzinfo=UTC)),
    ("2026-12-31T18:00", datetime(2026, 12, 31, 18, tzinfo=UTC)),  # no zone: UTC
])
def test_expires_takes_a_date_a_time_or_a_duration(text: str, expected: datetime) -> None:
    assert parse_expiry(text, NOW) == expected


@pytest.mark.parametrize(("text", "words"), [
    ("soon", "is not a date"), ("90 days", "is not a date"), ("2026-02-30", "is not a date"),
    ("2026-05-03", "is in the past"), ("0d", "is in the past"),
])
def test_expires_that_is_unreadable_or_past_says_so(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_expiry(text, NOW)


def test_a_key_limit_refills_as_its_window_slides_and_counts_each_refusal() -> None:
    ticks = [0.0]
    registry = CollectorRegistry()
    limits = KeyLimits(2, 0, registry, clock=lambda: ticks[0])
    assert limits.retry_after("k1", "writes") == 0
    ticks[0] = 20.0
    assert limits.retry_after("k1", "writes") == 0
    assert limits.retry_after("k1", "writes") == 40  # the first write leaves the window at 60 s
    assert limits.retry_after("k2", "writes") == 0  # another key has its own window
    ticks[0] = 60.5
    assert limits.retry_after("k1", "writes") == 0
    assert all(limits.retry_after("k1", "updates") == 0 for _ in range(100))  # 0: no limit
    assert registry.get_sample_value("frontwire_api_rate_limited_total", {"limit": "writes"}) == 1
    assert registry.get_sample_value("frontwire_api_rate_limited_total", {"limit": "updates"}) == 0
