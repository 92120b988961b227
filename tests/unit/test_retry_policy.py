"""The one retry policy: schedule, jitter, Retry-After and the deadline."""

from __future__ import annotations

import random

import pytest

from services.notify.channels.base import SendResult
from services.notify.retry import DEFAULT_SCHEDULE, RetryPolicy, classify_outcome


def test_delays_follow_the_schedule_without_jitter() -> None:
    policy = RetryPolicy(jitter=0)
    rng = random.Random(1)
    delays = [policy.next_delay(n, None, rng) for n in range(1, 7)]
    assert delays == [5, 300, 1800, 7200, 18000, 36000]


def test_gives_up_when_the_schedule_runs_out() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == len(DEFAULT_SCHEDULE) + 1
    assert policy.next_delay(len(DEFAULT_SCHEDULE) + 1, None, random.Random(1)) is None


def test_jitter_stays_within_its_fraction_and_varies() -> None:
    policy = RetryPolicy(jitter=0.1)
    rng = random.Random(42)
    delays = [policy.next_delay(2, None, rng) for _ in range(500)]
    assert all(d is not None and 270 <= d <= 330 for d in delays)
    assert len(set(delays)) > 100


def test_same_seed_gives_same_delays() -> None:
    policy = RetryPolicy()
    assert policy.next_delay(3, None, random.Random(7)) == policy.next_delay(3, None, random.Random(7))


def test_retry_after_is_a_lower_bound() -> None:
    policy = RetryPolicy(jitter=0)
    assert policy.next_delay(1, 120, random.Random(1)) == 120  # longer than 5 s: wait as asked
    assert policy.next_delay(2, 10, random.Random(1)) == 300  # shorter than the schedule: ignored


def test_retry_after_beyond_the_deadline_gives_up() -> None:
    policy = RetryPolicy(give_up_after=3600)
    assert policy.next_delay(1, 7200, random.Random(1)) is None


def test_elapsed_time_past_the_deadline_gives_up() -> None:
    policy = RetryPolicy(jitter=0, give_up_after=86400)
    assert policy.next_delay(6, None, random.Random(1), elapsed=40000) == 36000
    assert policy.next_delay(6, None, random.Random(1), elapsed=60000) is None


@pytest.mark.parametrize("kwargs", [dict(schedule=()), dict(schedule=(5, -1)), dict(jitter=1.5),
                                    dict(give_up_after=0)])
def test_bad_policies_fail_at_construction(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy().next_delay(0, None, random.Random(1))


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (SendResult(ok=True, retryable=False, status_code=200), "delivered"),
        (SendResult(ok=False, retryable=True, status_code=503), "retry"),
        (SendResult(ok=False, retryable=True, error="connection refused"), "retry"),
        (SendResult(ok=False, retryable=False, status_code=400), "failed"),
        (SendResult(ok=False, retryable=False, status_code=410, disable=True), "disabled"),
    ],
)
def test_classify_outcome(result: SendResult, outcome: str) -> None:
    assert classify_outcome(result) == outcome
