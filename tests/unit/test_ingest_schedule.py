"""Polling like a good citizen: the delay between polls, Retry-After, and the health flags."""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime, timedelta

import pytest

from services.ingest.fetch import retry_after_seconds
from services.ingest.health import Flags, flags
from services.ingest.poller import MAX_BACKOFF, MAX_RETRY_AFTER, PollOutcome, next_delay
from services.ingest.sources import SourceSpec
from services.ingest.state import SourceHealth

SPEC = SourceSpec(id="coast-live", url="https://news.example.org/live", interval=30)
OK, FAILED = PollOutcome(ok=True), PollOutcome(ok=False)
NOW = datetime(2025, 3, 6, 12, tzinfo=UTC)


def delays(outcome: PollOutcome, failures: int, n: int = 500) -> list[float]:
    rng = random.Random(7)
    return [next_delay(SPEC, outcome, failures, rng) for _ in range(n)]


def test_after_a_success_the_next_poll_is_the_interval_give_or_take_ten_percent() -> None:
    got = delays(OK, 0)
    assert 27 <= min(got) < 28 and 32 < max(got) <= 33  # jittered, within bounds


def test_failures_back_off_exponentially_with_jitter() -> None:
    for failures in (1, 2, 3, 4):
        base = 30 * 2 ** failures
        got = delays(FAILED, failures)
        assert all(0.9 * base <= d <= 1.1 * base for d in got), failures
        assert len(set(got)) > 1


def test_backoff_is_capped() -> None:
    assert max(delays(FAILED, 10)) <= MAX_BACKOFF
    assert max(delays(FAILED, 10_000)) <= MAX_BACKOFF  # no overflow either


def test_retry_after_is_never_undercut_by_backoff_or_jitter() -> None:
    # Backoff after one failure is ~60 s; the server asked for 61 s: never sooner.
    assert min(delays(PollOutcome(ok=False, retry_after=61), 1)) >= 61
    # A short Retry-After does not shorten our own backoff.
    assert min(delays(PollOutcome(ok=False, retry_after=1), 1)) >= 54


def test_an_absurd_retry_after_is_honoured_only_up_to_a_limit() -> None:
    assert max(delays(PollOutcome(ok=False, retry_after=10 ** 9), 1)) == MAX_RETRY_AFTER


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120.0), (" 0 ", 0.0), (None, None), ("", None), ("soon", None), ("-5", None),
])
def test_retry_after_in_seconds(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value) == seconds


def test_retry_after_as_an_http_date_counts_from_now() -> None:
    now = 1_741_262_400.0
    assert retry_after_seconds(email.utils.formatdate(now + 90, usegmt=True), now=now) == 90
    assert retry_after_seconds(email.utils.formatdate(now - 90, usegmt=True), now=now) == 0


def health(**kw: object) -> SourceHealth:
    values: dict[str, object] = {
        "spec": SPEC, "origin": "config", "etag": None, "last_modified": None,
        "last_success_at": NOW - timedelta(minutes=1), "last_attempt_at": NOW, "last_new_at": None,
        "consecutive_failures": 0, "updates_found": 0, "last_error": None,
        "created_at": NOW - timedelta(hours=1)}
    values.update(kw)
    return SourceHealth(**values)  # type: ignore[arg-type]


def test_a_source_that_never_worked_is_failing_after_three_polls() -> None:
    assert not flags(health(last_success_at=None, consecutive_failures=2), NOW).failing
    assert flags(health(last_success_at=None, consecutive_failures=3), NOW).failing


def test_a_source_is_failing_when_failures_last_fifteen_minutes_or_ten_intervals() -> None:
    recent = health(consecutive_failures=5, last_success_at=NOW - timedelta(minutes=14))
    assert not flags(recent, NOW).failing
    assert flags(health(consecutive_failures=5, last_success_at=NOW - timedelta(minutes=15)), NOW).failing
    slow = health(spec=SPEC.model_copy(update={"interval": 600}), consecutive_failures=5,
                  last_success_at=NOW - timedelta(minutes=30))
    assert not flags(slow, NOW).failing  # 10 intervals = 100 minutes


def test_a_source_is_silent_when_it_answers_but_nothing_new_comes_for_six_hours() -> None:
    assert not flags(health(last_new_at=NOW - timedelta(hours=5)), NOW).silent
    assert flags(health(last_new_at=NOW - timedelta(hours=6)), NOW).silent
    # Never a new entry: counted from when it was declared.
    assert flags(health(created_at=NOW - timedelta(hours=7)), NOW).silent
    # Not answering is failing, not silent.
    down = health(last_new_at=NOW - timedelta(hours=7), consecutive_failures=9,
                  last_success_at=NOW - timedelta(hours=2))
    assert flags(down, NOW) == Flags(failing=True, silent=False)


def test_a_slow_source_never_retries_sooner_than_its_interval() -> None:
    daily = SPEC.model_copy(update={"interval": 86_400})
    assert next_delay(daily, FAILED, 1, random.Random(1)) == 86_400
