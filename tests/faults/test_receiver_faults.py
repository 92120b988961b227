"""Webhook receivers that fail: answering 503, refusing connections, hanging, answering 500.

Every alert still arrives exactly once per webhook-id, the retries show in the
deliveries API, and one stuck receiver never delays another subscriber.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.faults.conftest import FaultReceiver, Pipeline, assert_each_once

pytestmark = pytest.mark.faults


def test_receiver_answering_503_then_200_gets_every_alert_with_the_retries_on_record(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver) -> None:
    pipe = make_pipeline("api", "classify", "notify")
    sub = pipe.subscribe(receiver, "/hooks/flaky")
    receiver.set_status(503)

    pushed = set(pipe.push_swaps("flaky", 6))

    def retried() -> bool:
        rows = pipe.deliveries(sub)
        return len(rows) == 6 and all(r["attempts"] >= 2 and r["last_status_code"] == 503 for r in rows)

    pipe.wait("every delivery to fail twice with 503", retried, 45)
    assert receiver.unique == []
    receiver.set_status(200)

    pipe.wait("every alert after the receiver recovered",
              lambda: len([r for r in receiver.unique if r.path == "/hooks/flaky"]) == 6, 30)
    assert_each_once(receiver, "/hooks/flaky", pushed)
    rows = pipe.wait("the deliveries recorded as delivered",
                     lambda: (r := pipe.deliveries(sub)) and all(d["status"] == "delivered" for d in r) and r)
    assert all(d["attempts"] > 2 and d["last_status_code"] == 200 for d in rows)
    failed_attempts = [r for r in receiver.requests if r.status == 503]
    assert len(failed_attempts) >= 12, "each alert was refused at least twice"


def test_down_then_slow_then_failing_receiver_gets_everything_and_never_delays_another(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver,
        second_receiver: FaultReceiver) -> None:
    pipe = make_pipeline("api", "classify", "notify")
    sick = pipe.subscribe(receiver, "/hooks/sick")
    pipe.subscribe(second_receiver, "/hooks/healthy")
    expected: set[str] = set()

    def healthy_has(n: int) -> Callable[[], bool]:
        return lambda: len(second_receiver.unique) >= n

    # 1. Nothing listens: connection refused.
    receiver.go_down()
    expected |= set(pipe.push_swaps("down", 4))
    pipe.wait("the healthy receiver's first alerts", healthy_has(4), 30)
    pipe.wait("refused connections on record", lambda: all(
        d["attempts"] >= 1 and d["last_status_code"] is None and d["last_error"]
        for d in pipe.deliveries(sick)) and len(pipe.deliveries(sick)) == 4, 30)

    # 2. Back, but taking 5 s over every request: the healthy one must not wait for it.
    receiver.delay = 5.0
    receiver.come_back()
    pipe.wait("the slow receiver to be busy", lambda: receiver.in_flight > 0, 10)
    sent = time.monotonic()
    expected |= set(pipe.push_swaps("slow", 4))
    pipe.wait("the healthy receiver's alerts while the other hangs", healthy_has(8), 10)
    took = time.monotonic() - sent
    assert receiver.in_flight > 0, "the slow receiver was still holding requests"
    assert took < 4.0, f"healthy receiver waited {took:.1f}s behind a slow one"

    # 3. Fast again, but failing with 500; then healthy.
    receiver.set_status(500)
    receiver.delay = 0.0
    pipe.wait("500s on record", lambda: any(d["last_status_code"] == 500 for d in pipe.deliveries(sick)), 20)
    receiver.set_status(200)
    pipe.wait("every alert at the recovered receiver", lambda: len(receiver.unique) >= 8, 40)

    assert_each_once(receiver, "/hooks/sick", expected)
    assert_each_once(second_receiver, "/hooks/healthy", expected)
    assert second_receiver.duplicates == 0
