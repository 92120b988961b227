"""A real Prometheus scrapes the running pipeline and answers PromQL about it.

The four services run as processes on the embedded broker (like tests/e2e), a
text live blog grows while the test watches, and Debian's `prometheus` scrapes
every service each second. Each live /metrics also passes `promtool check metrics`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontwire.broker import EmbeddedBroker, free_port
from services.runtime.kafka import ensure_topics
from tests.helpers import processes
from tests.helpers.observability import prometheus_tools

pytestmark = pytest.mark.integration

API_KEY = "prom-test-" + "k" * 8
SERVICES = ("api", "notify", "classify", "ingest")

# Written for this test: a plain-text live blog, newest entry first.
BLOG_HEAD = "Live: harbour city under curfew, day 37\n\n"
ENTRY = """UPDATE {hhmm} GMT:

Volunteers handed out {n} food parcels at the harbour gate on shift {n}, the city council said,
as ferries stayed in port for the {n}th hour.

"""


@dataclass
class Stack:
    procs: dict[str, subprocess.Popen[bytes]]
    ports: dict[str, int]  # service -> port serving /metrics
    prometheus: str
    blog: Path
    logs: Path
    entries: int = 0

    def add_entry(self) -> None:
        """Put one more update on top of the blog: ingest keeps publishing while we watch."""
        self.entries += 1
        body = self.blog.read_text().removeprefix(BLOG_HEAD)
        hhmm = f"{(self.entries // 60) % 24:02d}{self.entries % 60:02d}"
        self.blog.write_text(BLOG_HEAD + ENTRY.format(hhmm=hhmm, n=self.entries) + body)

    def query(self, promql: str) -> list[dict[str, Any]]:
        try:
            answer = httpx.get(f"{self.prometheus}/api/v1/query", params={"query": promql},
                               timeout=2).json()
        except (httpx.HTTPError, ValueError):
            return []
        assert answer["status"] == "success", answer
        return answer["data"]["result"]  # type: ignore[no-any-return]

    def log_tail(self) -> str:
        return processes.log_tail(self.logs, 2500)


def until(what: str, check: Callable[[], Any], stack: Stack, timeout: float,
          every: float = 0.3, tick: Callable[[], None] | None = None) -> Any:
    """Wait while watching every process of ``stack``; ``tick`` runs before each check."""
    def ticked() -> Any:
        if tick:
            tick()
        return check()

    return processes.wait_for(what, ticked, timeout, every=every, procs=stack.procs,
                              detail=stack.log_tail)


def ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def prometheus_config(ports: dict[str, int]) -> str:
    jobs = "".join(f"  - job_name: {name}\n    static_configs:\n"
                   f"      - targets: ['127.0.0.1:{port}']\n" for name, port in ports.items())
    return f"global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n{jobs}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    _, prometheus = prometheus_tools()
    tmp = tmp_path_factory.mktemp("prometheus")
    blog = tmp / "harbour-live.txt"
    blog.write_text(BLOG_HEAD)
    sources = tmp / "sources.toml"
    sources.write_text(f'[[sources]]\nid = "harbour-live"\nurl = "{blog}"\nkind = "text"\n'
                       "interval = 0.3\n")
    logs = tmp / "logs"
    logs.mkdir()
    ports = {"api": free_port(), "notify": free_port(), "classify": free_port(),
             "ingest": free_port()}
    with EmbeddedBroker(log_path=tmp / "broker.log") as broker:
        ensure_topics(broker.bootstrap, 2)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({
            "FRONTWIRE_KAFKA_BOOTSTRAP": broker.bootstrap, "FRONTWIRE_DATA_DIR": str(tmp / "data"),
            "FRONTWIRE_API_KEY": API_KEY, "FRONTWIRE_API_PORT": str(ports["api"]),
            "FRONTWIRE_SOURCES_FILE": str(sources), "FRONTWIRE_PARTITIONS": "2",
            "FRONTWIRE_CONSUMER_SESSION_TIMEOUT": "2",
            "FRONTWIRE_INGEST_METRICS_PORT": str(ports["ingest"]),
            "FRONTWIRE_CLASSIFY_METRICS_PORT": str(ports["classify"]),
            "FRONTWIRE_NOTIFY_METRICS_PORT": str(ports["notify"]),
        })
        procs: dict[str, subprocess.Popen[bytes]] = {}
        for name in SERVICES:
            out = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            procs[name] = subprocess.Popen([sys.executable, "-m", "frontwire", "serve", name],
                                           env=env, stdout=out, stderr=subprocess.STDOUT)
        config = tmp / "prometheus.yml"
        config.write_text(prometheus_config(ports))
        prom_port = free_port()
        out = open(logs / "prometheus.log", "wb")  # noqa: SIM115
        procs["prometheus"] = subprocess.Popen(
            [prometheus, f"--config.file={config}", f"--storage.tsdb.path={tmp / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{prom_port}"], stdout=out, stderr=subprocess.STDOUT)
        stack = Stack(procs, ports, f"http://127.0.0.1:{prom_port}", blog, logs)
        try:
            for name, port in ports.items():
                until(f"{name} /healthz", lambda p=port: ok(f"http://127.0.0.1:{p}/healthz"),
                      stack, 30)
            until("prometheus", lambda: ok(f"{stack.prometheus}/-/ready"), stack, 30)
            yield stack
        finally:
            processes.stop(procs, 20)


def test_prometheus_sees_updates_being_ingested(stack: Stack) -> None:
    def ingest_rate() -> float:
        result = stack.query("sum(rate(frontwire_updates_ingested_total[15s]))")
        return float(result[0]["value"][1]) if result else 0.0

    rate = until("a positive ingest rate in Prometheus", lambda: ingest_rate() > 0 and ingest_rate(),
                 stack, 40, every=0.5, tick=stack.add_entry)
    assert rate > 0
    up = {r["metric"]["job"]: r["value"][1] for r in stack.query("up")}
    assert up == dict.fromkeys(stack.ports, "1"), up


def test_updates_flow_on_to_classify(stack: Stack) -> None:
    until("classified updates in Prometheus",
          lambda: stack.query("sum(frontwire_updates_classified_total) > 0"), stack, 30,
          every=0.5, tick=stack.add_entry)


def test_consumer_lag_is_reported_per_topic_and_partition(stack: Stack) -> None:
    series = until("consumer lag series from classify",
                   lambda: stack.query('frontwire_consumer_lag_records{job="classify"}'), stack, 30,
                   every=0.5)
    assert {(s["metric"]["topic"], s["metric"]["partition"]) for s in series} == {
        ("frontwire.updates.v1", "0"), ("frontwire.updates.v1", "1")}


def test_every_live_exposition_passes_promtool(stack: Stack) -> None:
    promtool, _ = prometheus_tools()
    pushed = httpx.post(f"http://127.0.0.1:{stack.ports['api']}/v1/updates", timeout=10,
                        headers={"Authorization": f"Bearer {API_KEY}"},
                        json={"source": "wire", "headline": "Ferry service resumes",
                              "body": "The first ferry in three days left the harbour at noon."})
    assert pushed.status_code == 202, pushed.text
    for name, port in stack.ports.items():
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).content
        assert b"frontwire_" in text, name
        done = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                              timeout=60, check=False)
        assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
            name, done.stdout.decode() + done.stderr.decode())


def test_every_service_is_ready_with_broker_and_database_up(stack: Stack) -> None:
    for name, port in stack.ports.items():
        answer = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert answer.status_code == 200, (name, answer.text)
