"""Ingest as a process against a live-blog server whose page grows, changes and errors.

The real thing end to end on one edge: `frontwire serve ingest` polls a local HTTP
server (scripted: new versions, a 304 for an unchanged page, a 500, a 429 with
Retry-After) and publishes to the embedded broker; it is stopped with SIGTERM in the
middle and started again over the same data dir. The updates topic must then hold
each entry exactly once and the edit exactly once, as revision 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from kafka import KafkaConsumer, TopicPartition

from frontwire.broker import free_port
from schemas import UPDATES, Update, decode
from tests.fixtures.ingest.blog_server import BlogServer
from tests.helpers import processes

pytestmark = pytest.mark.integration

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest" / "growing"
T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T], timeout: float = 20.0,
             proc: subprocess.Popen[bytes] | None = None, log: Path | None = None) -> T:
    """Wait while watching ``proc`` (ingest); a failure ends with the tail of ``log``."""
    return processes.wait_for(what, check, timeout, every=0.05,
                              procs={"ingest": proc} if proc is not None else None,
                              detail=(lambda: log.read_text()[-3000:]) if log else None)


class TopicReader:
    """Everything on the updates topic for one source, read from the beginning, no group."""

    def __init__(self, bootstrap: str, source: str) -> None:
        self.source = source
        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        parts = [TopicPartition(UPDATES.name, p) for p in self.consumer.partitions_for_topic(UPDATES.name)]
        self.consumer.assign(parts)
        self.consumer.seek_to_beginning()
        self.seen: list[Update] = []

    def updates(self) -> list[Update]:
        for records in self.consumer.poll(timeout_ms=100).values():
            for record in records:
                upd = decode(record.value, Update, type=UPDATES.event_type).data
                if upd.source == self.source:
                    self.seen.append(upd)
        return self.seen

    def drain(self) -> list[Update]:
        """Read up to the end of every partition as it is now."""
        parts = list(self.consumer.assignment())
        end = self.consumer.end_offsets(parts)
        wait_for("the end of the updates topic",
                 lambda: self.updates() is not None and all(
                     self.consumer.position(tp) >= end[tp] for tp in parts))
        return self.seen


@pytest.fixture
def blog() -> Iterator[BlogServer]:
    with BlogServer() as server:
        yield server


def start_ingest(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115 - the process owns it until it exits
    return subprocess.Popen([sys.executable, "-m", "frontwire", "serve", "ingest"],
                            env=env, stdout=out, stderr=subprocess.STDOUT)


def stop_ingest(proc: subprocess.Popen[bytes], log: Path) -> None:
    code = processes.stop({"ingest": proc}, 20)["ingest"]
    if code == processes.KILLED:
        raise AssertionError(f"ingest did not stop within 20 s of SIGTERM\n{log.read_text()[-3000:]}")
    assert code == 0, log.read_text()[-3000:]


def page(version: int) -> bytes:
    return (PAGES / f"v{version}.txt").read_bytes()


def metric(port: str, line_start: str) -> float | None:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return None
    found = [ln for ln in text.splitlines() if ln.startswith(line_start)]
    return float(found[0].rsplit(" ", 1)[1]) if found else None


def test_growing_page_gives_each_entry_once_and_the_edit_as_one_revision_across_a_restart(
        blog: BlogServer, broker: str, tmp_path: Path) -> None:
    source = f"tolvar-{uuid.uuid4().hex[:6]}"
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nid = "{source}"\nurl = "{blog.url("/live")}"\n'
                       f'kind = "text"\ninterval = 0.3\n')
    port = str(free_port())
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
    env.update({"FRONTWIRE_KAFKA_BOOTSTRAP": broker, "FRONTWIRE_DATA_DIR": str(tmp_path / "data"),
                "FRONTWIRE_SOURCES_FILE": str(sources), "FRONTWIRE_INGEST_METRICS_PORT": port})
    log = tmp_path / "ingest.log"
    topic = TopicReader(broker, source)

    # A blog with one entry so far, then an unchanged page (304), a 500, and growth.
    blog.publish("/live", page(1))
    ingest = start_ingest(env, log)
    seen: dict[str, Any] = {"proc": ingest, "log": log}
    wait_for("the first entry", lambda: len(topic.updates()) == 1, **seen)
    wait_for("a conditional GET answered 304",
             lambda: any(r.status == 304 for r in blog.requests("/live")), **seen)
    blog.script("/live", 500, body=b"upstream trouble")
    v2 = blog.publish("/live", page(2))
    wait_for("the second entry", lambda: len(topic.updates()) == 2, **seen)
    assert [r.status for r in blog.requests("/live")].count(500) == 1
    wait_for("v2 answered 304", lambda: blog.requests("/live")[-1].status == 304, **seen)
    stop_ingest(ingest, log)

    # While ingest is down the blog gains an entry and edits its first one; the first
    # answer after the restart is a 429 asking for a second's pause.
    blog.publish("/live", page(3))
    before = len(blog.requests("/live"))
    blog.script("/live", 429, {"Retry-After": "1"})
    ingest = start_ingest(env, log)
    seen["proc"] = ingest
    wait_for("the third entry and the edit", lambda: len(topic.updates()) == 4, **seen)
    after = blog.requests("/live")[before:]
    assert after[0].status == 429
    # Validators survived the restart: the first poll was conditional on what v2 said.
    assert after[0].headers.get("if-none-match") == v2.etag
    assert after[0].headers.get("if-modified-since") == v2.last_modified
    assert after[1].at - after[0].at >= 1.0, "polled again before Retry-After"
    assert after[0].headers["user-agent"].startswith("frontwire/")
    assert metric(port, f'frontwire_source_polls_total{{source="{source}",status="rate_limited"}}') == 1

    blog.publish("/live", page(4))
    wait_for("the fourth entry", lambda: len(topic.updates()) == 5, **seen)
    wait_for("v4 answered 304", lambda: blog.requests("/live")[-1].status == 304, **seen)
    stop_ingest(ingest, log)

    got = topic.drain()
    firsts = [u for u in got if u.revision == 1]
    edits = [u for u in got if u.revision != 1]
    assert len(got) == 5, [(u.id, u.revision) for u in got]
    assert len({u.id for u in firsts}) == 4, "an entry was published twice"
    [edit] = edits
    original = next(u for u in firsts if u.id == edit.id)
    assert edit.revision == 2 and edit.previous_hash == original.content_hash
    assert edit.content_hash != original.content_hash and "Saturday" in edit.body
    assert edit.first_seen_at == original.first_seen_at
    # Marker times resolve against the page's date, in UTC; furniture stays out.
    assert sorted(u.published_at.strftime("%H:%M") for u in firsts if u.published_at) == [
        "09:05", "11:42", "15:19", "16:10"]
    assert all(u.published_at and u.published_at.utcoffset() is not None for u in firsts)
    assert not any("Telegram" in u.body or "Photo:" in u.body for u in got)
    assert {u.page_url for u in got} == {blog.url("/live")}
