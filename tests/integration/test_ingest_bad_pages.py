"""Pages that are not live blogs, served over HTTP to the real poller and read through the API.

Each must give one clear log line and a health mark (in the SQL store and on
GET /v1/sources/{id}), never an exception and never a bogus update.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from pydantic import SecretStr
from sqlalchemy import Engine

from schemas.models import Update
from services.api.app import ApiDeps, create_app
from services.ingest.fetch import MAX_BYTES, Fetcher
from services.ingest.metrics import ingest_metrics
from services.ingest.poller import Poller, PollOutcome
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState
from services.runtime.config import load
from services.runtime.timeutil import utcnow
from tests.fixtures.ingest.blog_server import BlogServer

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
KEY = "sources-test-key"
HTML = "text/html; charset=utf-8"


def _filler(size: int) -> bytes:
    # Ten megabytes of one long article: real words, no live-blog shape.
    sentence = b"The committee discussed the budget for the coming year at some length. "
    return (sentence * (size // len(sentence) + 1))[:size]


@dataclass(frozen=True)
class Bad:
    name: str
    body: bytes
    content_type: str
    says: str  # what the log line and last_error must say


BAD = [
    Bad("not-a-live-blog", (FIXTURES / "not_liveblog.html").read_bytes(), HTML, "not a live blog"),
    Bad("empty", (FIXTURES / "empty.html").read_bytes(), HTML, "empty page"),
    Bad("binary-junk", (FIXTURES / "binary.bin").read_bytes(), "application/octet-stream",
        "binary content"),
    # Over the cap: refused before it is read, by its Content-Length.
    Bad("over-ten-mib", b"<html><body>" + b"x" * MAX_BYTES + b"</body></html>", HTML,
        "larger than the 10 MiB limit"),
    # Over the cap with no Content-Length: the fetcher stops reading at the cap.
    Bad("over-ten-mib-streamed", b"x" * (MAX_BYTES + 4096), "text/plain",
        "larger than the 10 MiB limit"),
    # 10 MB (decimal) is under the cap: fetched and parsed (off the event loop), and refused.
    Bad("ten-mb-article", _filler(10_000_000), "text/plain", "not a live blog"),
    Bad("malformed-json-ld", (FIXTURES / "malformed_jsonld_only.html").read_bytes(), HTML,
        "malformed JSON-LD"),
]


class Recorder:
    def __init__(self) -> None:
        self.published: list[Update] = []

    def __call__(self, updates: list[Update]) -> None:
        self.published.extend(updates)


@pytest.fixture(scope="module")
def blog() -> Iterator[BlogServer]:
    with BlogServer() as server:
        for bad in BAD:
            server.publish(f"/{bad.name}", bad.body, bad.content_type,
                           declare_length=not bad.name.endswith("-streamed"))
        server.publish("/half-broken", (FIXTURES / "malformed_jsonld.html").read_bytes(), HTML)
        yield server


@pytest.fixture
def api(engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    settings = load(api_key=SecretStr(KEY), data_dir=tmp_path)
    with TestClient(create_app(ApiDeps(settings, engine, Recorder(), CollectorRegistry()))) as client:
        yield client


def poll(engine: Engine, spec: SourceSpec, times: int, registry: CollectorRegistry | None = None,
         deadline: float = 60.0) -> tuple[list[PollOutcome], Recorder]:
    state = IngestState(engine)
    metrics = ingest_metrics(registry or CollectorRegistry())
    state.upsert_source(spec, "config", utcnow())
    recorder = Recorder()

    async def run() -> list[PollOutcome]:
        async with httpx.AsyncClient(timeout=10) as client:
            poller = Poller(Fetcher(client, deadline=deadline), state, recorder, metrics, utcnow)
            return [await poller.poll(spec) for _ in range(times)]

    return asyncio.run(run()), recorder


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_bad_page_gives_a_log_line_and_a_health_mark_and_no_update(
        bad: Bad, blog: BlogServer, engine: Engine, api: TestClient,
        caplog: pytest.LogCaptureFixture) -> None:
    spec = SourceSpec(id=bad.name, url=blog.url(f"/{bad.name}"))
    registry = CollectorRegistry()
    with caplog.at_level(logging.WARNING, logger="frontwire.ingest"):
        outcomes, recorder = poll(engine, spec, times=3, registry=registry)

    assert [o.ok for o in outcomes] == [False, False, False]
    assert recorder.published == []
    lines = [r.getMessage() for r in caplog.records if r.name == "frontwire.ingest"]
    assert len(lines) == 3 and all(bad.name in ln and bad.says in ln for ln in lines), lines
    health = IngestState(engine).source(bad.name)
    assert health is not None and health.consecutive_failures == 3
    assert health.last_error and bad.says in health.last_error and health.updates_found == 0
    shown = api.get(f"/v1/sources/{bad.name}", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert shown["consecutive_failures"] == 3 and bad.says in shown["last_error"]
    assert shown["failing"] is True and shown["last_success_at"] is None
    gauge = {"source": bad.name, "flag": "failing"}
    assert registry.get_sample_value("frontwire_source_flagged", gauge) == 1
    assert registry.get_sample_value("frontwire_source_consecutive_failures", {"source": bad.name}) == 3


def test_page_over_the_cap_is_refused_by_its_length_or_while_streaming(
        blog: BlogServer, engine: Engine) -> None:
    for name, says in (("over-ten-mib", f"({MAX_BYTES + 26} bytes)"), ("over-ten-mib-streamed", "limit")):
        outcomes, _ = poll(engine, SourceSpec(id=name, url=blog.url(f"/{name}")), times=1)
        health = IngestState(engine).source(name)
        assert not outcomes[0].ok and health is not None and health.last_error
        assert health.last_error.endswith(says), health.last_error


def test_broken_json_ld_beside_readable_entries_publishes_only_the_real_ones_with_a_warning(
        blog: BlogServer, engine: Engine, api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    spec = SourceSpec(id="half-broken", url=blog.url("/half-broken"))
    with caplog.at_level(logging.WARNING, logger="frontwire.ingest"):
        outcomes, recorder = poll(engine, spec, times=2)  # the second is a 304

    assert [o.ok for o in outcomes] == [True, True]
    assert sorted(u.headline or "" for u in recorder.published) == [
        "Curfew extended in Marenko", "Grain ship leaves southern port"]
    assert any("malformed JSON-LD" in r.getMessage() for r in caplog.records)
    shown = api.get("/v1/sources/half-broken", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert shown["consecutive_failures"] == 0 and shown["failing"] is False
    assert shown["last_error"].startswith("warning: malformed JSON-LD")
    assert shown["updates_found"] == 2


def test_a_server_that_drips_its_page_is_cut_off_at_the_fetch_deadline(
        blog: BlogServer, engine: Engine) -> None:
    # Each byte comes well within the client's read timeout; the whole never would.
    blog.script("/drip", 200, {"Content-Type": "text/plain"}, body=b"x" * 1000, drip=0.05)
    started = time.monotonic()
    outcomes, recorder = poll(engine, SourceSpec(id="drip", url=blog.url("/drip")), times=1,
                              deadline=0.5)
    assert not outcomes[0].ok and recorder.published == []
    assert time.monotonic() - started < 5
    health = IngestState(engine).source("drip")
    assert health is not None and health.last_error == "timed out after 0.5 s"
