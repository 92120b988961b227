"""The embedded broker is restarted under the running services (tansu keeps nothing).

The services must reconnect, find (or recreate) their topics and go on without
crashing; what was only on the old broker is gone (see tests/faults/README.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.faults.conftest import FaultReceiver, Pipeline, assert_each_once, swap_text

pytestmark = pytest.mark.faults


def test_services_survive_a_broker_restart_and_alert_on_what_comes_after(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver) -> None:
    pipe = make_pipeline("api", "classify", "notify")
    pipe.subscribe(receiver, "/hooks/broker")
    before = set(pipe.push_swaps("before", 3))
    pipe.wait("alerts before the restart", lambda: len(receiver.unique) >= 3, 30)

    pipe.restart_broker()
    restarted = time.monotonic()

    def push_after() -> bool:
        pushed = pipe.request("POST", "/v1/updates", json={"source": "faults", "id": "probe", "body": "x"})
        return pushed.status_code == 202

    pipe.wait("the API to publish again", push_after, 60)
    after = set(pipe.push_swaps("after", 3))
    pipe.wait("alerts for updates pushed after the restart", lambda: len(receiver.unique) >= 6, 90)
    print(f"first alert after the restart {time.monotonic() - restarted:.1f}s after it")
    assert_each_once(receiver, "/hooks/broker", before | after)
    for name in ("api", "classify", "notify"):
        started = time.monotonic()
        code = pipe.stop(name, timeout=20)
        took = time.monotonic() - started
        assert code in (0, -15), f"{name} exited {code} on SIGTERM after the broker restart"
        assert took < 15, f"{name} took {took:.1f}s to stop after the broker restart"


def test_updates_waiting_in_the_old_broker_are_lost_with_it(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver) -> None:
    """What a user loses: records not yet consumed when the broker went away. Here classify
    is down, so three pushed updates wait in frontwire.updates.v1 when the broker restarts."""
    pipe = make_pipeline("api", "classify", "notify")
    pipe.subscribe(receiver, "/hooks/lost")
    pipe.stop("classify")
    waiting = pipe.push_swaps("waiting", 3)

    pipe.restart_broker()
    pipe.start("classify")
    marker = pipe.wait("the API to publish again", lambda: _push_ok(pipe, "marker", 0), 60)
    pipe.wait("the marker's alert", lambda: len(receiver.unique) >= 1, 60)

    assert_each_once(receiver, "/hooks/lost", {marker})  # the three waiting updates never alert
    headline, body = swap_text("waiting", 0)
    again = pipe.request("POST", "/v1/updates", json={
        "source": "faults", "id": "waiting-0", "headline": headline, "body": body})
    assert again.json()["status"] == "unchanged", "the API remembers it published the lost update"
    assert again.json()["id"] == waiting[0]


def _push_ok(pipe: Pipeline, tag: str, i: int) -> str | None:
    headline, body = swap_text(tag, i)
    pushed = pipe.request("POST", "/v1/updates", json={
        "source": "faults", "id": f"{tag}-{i}", "headline": headline, "body": body})
    return str(pushed.json()["id"]) if pushed.status_code == 202 else None
