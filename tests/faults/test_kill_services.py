"""SIGKILL each service in turn in the middle of a burst, then restart it.

Nothing runs at a SIGKILL: no flush, no offset commit, no delivery recorded. Each
test then checks that every update that went in produced its alert, exactly once
by webhook-id, at a receiver that dedupes like a careful subscriber.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from tests.faults.conftest import (
    FaultReceiver,
    Pipeline,
    assert_each_once,
    swap_text,
    text_blog,
    update_ids_of,
)

pytestmark = pytest.mark.faults

BURST = 40


def _kill_mid_burst(pipe: Pipeline, receiver: FaultReceiver, service: str, tag: str) -> set[str]:
    """Push BURST updates from a thread; SIGKILL ``service`` once a few alerts arrived; restart
    it after the burst. The pushed update ids."""
    pushed: list[str] = []
    pusher = threading.Thread(target=lambda: pushed.extend(pipe.push_swaps(tag, BURST)))
    pusher.start()
    pipe.wait("the first alerts of the burst", lambda: len(receiver.unique) >= 5, 30)
    pipe.kill(service)
    pusher.join(60)
    assert len(pushed) == BURST
    assert len(receiver.unique) < BURST, "the kill came after the whole burst was delivered"
    pipe.start(service)
    return set(pushed)


@pytest.mark.parametrize("service", ["notify", "classify"])
def test_a_killed_stream_service_loses_and_doubles_no_alert(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver, service: str) -> None:
    pipe = make_pipeline("api", "classify", "notify")
    pipe.subscribe(receiver, "/hooks/burst")
    receiver.delay = 0.05  # a real receiver's pace: the burst takes a couple of seconds
    pushed = _kill_mid_burst(pipe, receiver, service, f"kill-{service}")

    pipe.wait(f"all {BURST} alerts after {service} restarted",
              lambda: len(receiver.unique) >= BURST, 60)
    assert_each_once(receiver, "/hooks/burst", pushed)


def test_a_killed_ingest_picks_up_what_the_page_gained_meanwhile(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver) -> None:
    page = None

    def stamp(i: int) -> str:
        return f"{6 + i // 60:02d}{i % 60:02d}"

    bodies = [swap_text("ingest", i)[1] for i in range(BURST)]

    def write(n: int) -> None:
        tmp = page.with_suffix(".tmp")
        tmp.write_text(text_blog([(stamp(i), bodies[i]) for i in range(n)]))
        tmp.replace(page)  # the poller never reads half a page

    pipe = make_pipeline("api", "classify", "notify")
    page = pipe.root / "front-live.txt"
    (pipe.root / "sources.toml").write_text(
        f'[[sources]]\nid = "front-live"\nurl = "{page}"\nkind = "text"\ninterval = 0.3\n')
    pipe.env["FRONTWIRE_SOURCES_FILE"] = str(pipe.root / "sources.toml")
    pipe.subscribe(receiver, "/hooks/page")
    write(10)
    pipe.start("ingest")
    pipe.wait("alerts for the first entries", lambda: len(receiver.unique) >= 3, 30)
    write(20)
    pipe.kill("ingest")
    write(30)  # the page grows while ingest is dead
    pipe.start("ingest")
    pipe.wait_ready("ingest")
    write(BURST)

    pipe.wait(f"alerts for all {BURST} entries", lambda: len(receiver.unique) >= BURST, 60)
    unique = [r for r in receiver.unique if r.path == "/hooks/page"]
    got = sorted(r.payload["data"]["classified"]["update"]["body"] for r in unique)
    assert got == sorted(bodies)
    assert all(len(ids) == 1 for ids in update_ids_of(unique).values())
