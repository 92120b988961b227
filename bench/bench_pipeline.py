"""The pipeline on the embedded broker: throughput, end-to-end latency, and their baselines.

One stack per run of this module: a tansu broker, a fast webhook receiver (its own
process, aiohttp, verifies nothing, records arrival times), SQLite with N
subscriptions (each follows one of SOURCES sources and one or two labels), and
``frontwire serve classify`` / ``frontwire serve notify`` as processes, exactly as
deployed. The "ingest" stage is fed by producing Update CloudEvents straight onto
frontwire.updates.v1 with ingest's own publisher (``UpdatePublisher`` over
``make_producer``); polling and parsing blogs is not part of these figures.

Phases, each in several rounds (medians):

1. no-op agent: a faust agent built with the same app factory (``make_app``) on the
   same broker that only decodes each Update CloudEvent and forwards the record;
   updates/s from first publish until the last record is on its output topic;
2. classify stage: the same, through ``frontwire serve classify`` (notify not yet
   running) until every ClassifiedUpdate is on frontwire.classified.v1; rounds of
   1 and 2 alternate, both workers running, so both see the same machine;
3. pipeline: with notify running, updates/s from first publish until the receiver
   has every expected webhook (computed up front: the classifier and the matching
   index run on the same updates in this process; texts are unique, so every match
   is a new story and one webhook);
4. latency at a steady RATE updates/s: first_seen_at (set just before publishing)
   to the webhook's arrival at the receiver, p50 and p99;
5. bare Kafka: three consume-and-forward hops (aiokafka, same fetch wait) at the
   same rate, produce to final consume, p50 and p99.

    python -m bench.bench_pipeline [--subs N] [--partitions P] [--classify-workers W]
    BENCH_PROFILE=DIR python -m bench.bench_pipeline               # + py-spy raw stacks in DIR
                                                                  # (throughput and latency rounds)
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bench_common import (
    REPO,
    FastReceiver,
    fast_receiver,
    make_subscriptions,
    make_updates,
    median,
    p,
    row,
    seed_subscriptions,
    stop_procs,
    wait_until,
)

QUICK = bool(os.environ.get("BENCH_QUICK"))
SUBS, SOURCES, PARTITIONS, CLASSIFY_WORKERS = 10_000, 20_000, 4, 1
ROUNDS = 2 if QUICK else 3
STAGE_ROUNDS = 3 if QUICK else 5    # no-op and classify rounds (cheap: ~2 s each)
N = 1000 if QUICK else 2000         # updates per throughput round
RATE, SECONDS = 100, (6 if QUICK else 10)   # latency phase: updates/s for SECONDS per round
NOOP_IN, NOOP_OUT = "bench.noop.in.v1", "bench.noop.out.v1"
HOPS = ("bench.hop0.v1", "bench.hop1.v1", "bench.hop2.v1", "bench.hop3.v1")
SESSION_TIMEOUT = 6.0
PROFILE = os.environ.get("BENCH_PROFILE", "")  # a directory: py-spy the services in round 1


@dataclass
class Config:
    subs: int = SUBS
    partitions: int = PARTITIONS
    classify_workers: int = CLASSIFY_WORKERS
    rounds: int = ROUNDS
    n: int = N
    seconds: int = SECONDS
    latency: bool = True


@dataclass
class Stack:
    cfg: Config
    bootstrap: str
    env: dict[str, str]
    tmp: Path
    receiver: FastReceiver
    subs: list[Any]
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(3))
    _batch: int = 0

    def spawn(self, name: str, args: list[str], **env: str) -> None:
        out = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen([sys.executable, *args], cwd=REPO, env=self.env | env,
                                            stdout=out, stderr=subprocess.STDOUT)

    def stop(self, *names: str) -> None:
        stop_procs({n: self.procs.pop(n) for n in names if n in self.procs})

    def updates(self, n: int) -> list[Any]:
        self._batch += 1
        return make_updates(n, self.rng, f"b{self._batch}", SOURCES)

    def log_tail(self) -> str:
        return "\n".join(f"--- {f.name}\n{f.read_text(errors='replace')[-2500:]}"
                         for f in self.tmp.glob("*.log"))


class TopicWatch:
    """Counts the keys that arrive on a topic (from its end at start) in a thread."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        from kafka import KafkaConsumer, TopicPartition

        self.consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                      fetch_max_wait_ms=10, consumer_timeout_ms=100)
        wait_until(f"partitions of {topic}", lambda: self.consumer.partitions_for_topic(topic), 20)
        parts = self.consumer.partitions_for_topic(topic)
        tps = [TopicPartition(topic, i) for i in sorted(parts)]
        self.consumer.assign(tps)
        self.consumer.seek_to_end(*tps)
        for tp in tps:
            self.consumer.position(tp)
        self.keys: set[bytes] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            batch = self.consumer.poll(timeout_ms=50)
            with self._lock:
                for records in batch.values():
                    self.keys.update(r.key for r in records)

    def has(self, keys: set[bytes]) -> bool:
        with self._lock:
            return keys <= self.keys

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.consumer.close()


def _topics(bootstrap: str, partitions: int) -> None:
    from kafka.admin import NewTopic
    from kafka.errors import TopicAlreadyExistsError

    from services.runtime.kafka import admin_client, ensure_topics

    ensure_topics(bootstrap, partitions)
    admin = admin_client(bootstrap)
    try:
        for name in (NOOP_IN, NOOP_OUT, *HOPS):
            with suppress(TopicAlreadyExistsError):
                admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        admin.close()


@contextmanager
def stack(cfg: Config) -> Iterator[Stack]:
    from frontwire.broker import EmbeddedBroker, free_port
    from services.runtime.db import connect

    with tempfile.TemporaryDirectory(prefix="fw-bench-") as tmpdir, \
            EmbeddedBroker(log_path=Path(tmpdir) / "broker.log") as broker, \
            fast_receiver(record=True) as receiver:
        tmp = Path(tmpdir)
        _topics(broker.bootstrap, cfg.partitions)
        data = tmp / "data"
        engine = connect(f"sqlite:///{(data / 'frontwire.db').resolve()}")
        subs = make_subscriptions(cfg.subs, random.Random(1), receiver.base_url, SOURCES)
        seed_subscriptions(engine, subs)
        engine.dispose()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({
            "FRONTWIRE_KAFKA_BOOTSTRAP": broker.bootstrap, "FRONTWIRE_DATA_DIR": str(data),
            "FRONTWIRE_PARTITIONS": str(cfg.partitions), "FRONTWIRE_LOG_LEVEL": "WARNING",
            "FRONTWIRE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8", "FRONTWIRE_API_KEY": "bench-key-xxxxxxxx",
            "FRONTWIRE_SMTP_URL": f"smtp://127.0.0.1:{free_port()}",
            "FRONTWIRE_CONSUMER_SESSION_TIMEOUT": str(SESSION_TIMEOUT),
            "FRONTWIRE_CLASSIFY_METRICS_PORT": "0", "FRONTWIRE_NOTIFY_METRICS_PORT": "0",
        })
        st = Stack(cfg, broker.bootstrap, env, tmp, receiver, subs)
        try:
            yield st
        except BaseException:
            print(st.log_tail(), file=sys.stderr)
            raise
        finally:
            stop_procs(st.procs)


# Feeding and waiting ------------------------------------------------------------------

def _publisher(bootstrap: str, topic: str) -> tuple[Any, Any]:
    from services.ingest.app import UpdatePublisher
    from services.runtime.kafka import make_producer

    producer = make_producer(bootstrap, "bench-ingest")
    publisher = UpdatePublisher(producer, "frontwire/ingest")
    if topic != "frontwire.updates.v1":
        import schemas.topics as topics_mod

        publisher = _Retargeted(publisher, topic, topics_mod)
    return producer, publisher


class _Retargeted:
    """ingest's publisher, sending to another topic (for the no-op agent's input)."""

    def __init__(self, inner: Any, topic: str, topics_mod: Any) -> None:
        from dataclasses import replace

        self.inner = inner
        self.topic = replace(topics_mod.UPDATES, name=topic)
        self.topics_mod = topics_mod

    def __call__(self, updates: list[Any]) -> None:
        import services.ingest.app as ingest_app

        saved = ingest_app.UPDATES
        ingest_app.UPDATES = self.topic
        try:
            self.inner(updates)
        finally:
            ingest_app.UPDATES = saved


def _publish_all(publisher: Any, updates: list[Any], batch: int = 500) -> None:
    for i in range(0, len(updates), batch):
        publisher(updates[i:i + batch])


def _expected_webhooks(updates: list[Any], index: Any, classifier: Any) -> int:
    now = datetime.now(UTC)
    total = 0
    for upd in updates:
        cu = classifier.classify(upd, classified_at=now)
        if cu.labels and cu.update.kind != "summary":
            total += len(index.match(cu))
    return total


def _stage_rate(st: Stack, publisher: Any, watch: TopicWatch, n: int, what: str) -> float:
    updates = st.updates(n)
    keys = {u.id.encode() for u in updates}
    started = time.perf_counter()
    _publish_all(publisher, updates)
    wait_until(what, lambda: watch.has(keys), 300, procs=st.procs)
    return n / (time.perf_counter() - started)


def _warm(st: Stack, publisher: Any, watch: TopicWatch, what: str) -> None:
    """Publish small batches until one passes quickly: consumers joined, partitions assigned."""
    settle = time.monotonic() + SESSION_TIMEOUT
    while True:
        updates = st.updates(32)
        started = time.monotonic()
        publisher(updates)
        wait_until(what, lambda u=updates: watch.has({x.id.encode() for x in u}), 120, procs=st.procs)
        if time.monotonic() - started < 1.0 and time.monotonic() > settle:
            return


def _healthy(st: Stack, names: list[str]) -> None:
    for name in names:
        wait_until(f"{name} to start", lambda n=name: (st.tmp / f"{n}.log").exists(), 30, procs=st.procs)


def _skip_backlog(bootstrap: str, group: str, topic: str) -> None:
    """Commit the group's offsets at the topic's end: notify starts after phase 2's records."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.structs import OffsetAndMetadata

    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        tps = [TopicPartition(topic, i) for i in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(tps)
        consumer.seek_to_end(*tps)
        consumer.commit({tp: OffsetAndMetadata(consumer.position(tp), "", -1) for tp in tps})
    finally:
        consumer.close()


# The phases ---------------------------------------------------------------------------

def stage_rates(st: Stack, publisher: Any) -> tuple[list[float], list[float]]:
    """No-op agent and classify stage, both running, measured in alternate rounds."""
    st.spawn("noop", ["-m", "bench.bench_pipeline", "noop-worker"])
    for w in range(st.cfg.classify_workers):
        st.spawn(f"classify{w}", ["-m", "frontwire", "serve", "classify"])
    noop_producer, noop_publisher = _publisher(st.bootstrap, NOOP_IN)
    noop_watch = TopicWatch(st.bootstrap, NOOP_OUT)
    classified_watch = TopicWatch(st.bootstrap, "frontwire.classified.v1")
    noop, classify = [], []
    try:
        _warm(st, noop_publisher, noop_watch, "the no-op agent")
        _warm(st, publisher, classified_watch, "classify")
        for _ in range(STAGE_ROUNDS):
            noop.append(_stage_rate(st, noop_publisher, noop_watch, st.cfg.n, "no-op output"))
            classify.append(_stage_rate(st, publisher, classified_watch, st.cfg.n, "classified updates"))
        return noop, classify
    finally:
        noop_watch.close()
        classified_watch.close()
        noop_producer.close(timeout=10)
        st.stop("noop")


def pipeline_rates(st: Stack, publisher: Any) -> tuple[list[float], list[float], float]:
    from services.classify.core import Classifier
    from services.notify.matching import SubscriptionIndex

    index = SubscriptionIndex(st.subs)
    classifier = Classifier()
    _skip_backlog(st.bootstrap, "frontwire-notify", "frontwire.classified.v1")
    st.spawn("notify", ["-m", "frontwire", "serve", "notify"])
    # Warm up until a small batch's webhooks arrive quickly (group joined, index built).
    settle = time.monotonic() + SESSION_TIMEOUT
    while True:
        updates = st.updates(64)
        expected = _expected_webhooks(updates, index, classifier)
        target = st.receiver.stats()["unique"] + expected
        started = time.monotonic()
        publisher(updates)
        wait_until("warm-up webhooks", lambda t=target: st.receiver.stats()["unique"] >= t, 180,
                   every=0.05, procs=st.procs)
        if expected and time.monotonic() - started < 1.5 and time.monotonic() > settle:
            break
    rates, per_update = [], []
    for r in range(st.cfg.rounds):
        updates = st.updates(st.cfg.n)
        expected = _expected_webhooks(updates, index, classifier)
        target = st.receiver.stats()["unique"] + expected
        if r == 0 and PROFILE:
            _profile(st, PROFILE)
        started = time.perf_counter()
        _publish_all(publisher, updates)
        wait_until("pipeline webhooks", lambda t=target: st.receiver.stats()["unique"] >= t, 600,
                   every=0.02, procs=st.procs)
        elapsed = time.perf_counter() - started
        rates.append(len(updates) / elapsed)
        per_update.append(expected / len(updates))
    deliveries = median([r * w for r, w in zip(rates, per_update, strict=True)])
    return rates, per_update, deliveries


def _profile(st: Stack, out_dir: str, seconds: int = 10, tag: str = "") -> None:
    """Sample every service process with py-spy (raw stacks) during the next round; a
    ``tag`` ("latency") also samples idle time, which is where waits show."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for name, proc in st.procs.items():
        suffix = f"-{tag}" if tag else ""
        subprocess.Popen(["py-spy", "record", "-p", str(proc.pid), "-d", str(seconds), "-r", "100",
                          "-f", "raw", "-o", str(Path(out_dir) / f"{name}-{st.cfg.subs}{suffix}.txt"),
                          "--nonblocking", *(["--idle"] if tag else [])], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=os.environ | {"PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"})


def steady(publisher: Any, updates: list[Any], rate: float) -> None:
    """Publish one update every 1/rate s, stamping first_seen_at just before each send."""
    started = time.perf_counter()
    for i, upd in enumerate(updates):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        publisher([upd.model_copy(update={"first_seen_at": datetime.now(UTC)})])


def latency_runs(st: Stack, publisher: Any, stages: list[list[float]] | None = None) -> list[list[float]]:
    from services.classify.core import Classifier
    from services.notify.matching import SubscriptionIndex

    index, classifier = SubscriptionIndex(st.subs), Classifier()
    runs = []
    for _ in range(st.cfg.rounds):
        updates = st.updates(RATE * st.cfg.seconds)
        expected = _expected_webhooks(updates, index, classifier)
        target = st.receiver.stats()["unique"] + expected
        since = time.time()
        if not runs and PROFILE:
            _profile(st, PROFILE, st.cfg.seconds, tag="latency")
        steady(publisher, updates, RATE)
        wait_until("latency webhooks", lambda t=target: st.receiver.stats()["unique"] >= t, 120,
                   every=0.05, procs=st.procs)
        runs.append(st.receiver.latencies(since))
        if stages is not None:
            stages.extend(st.receiver.stages(since))
    return runs


async def _bare_hops(bootstrap: str, seconds: float, rate: float) -> list[float]:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    async def consumer(topic: str, group: str) -> AIOKafkaConsumer:
        c = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, fetch_max_wait_ms=10,
                             auto_offset_reset="latest", session_timeout_ms=int(SESSION_TIMEOUT * 1000),
                             heartbeat_interval_ms=1000, enable_auto_commit=True)
        await c.start()
        return c

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=1, acks="all")
    await producer.start()
    tag = f"{time.time():.6f}".encode()
    forwarders = [await consumer(HOPS[i], f"bench-hop{i}-{tag.decode()}") for i in range(3)]
    final = await consumer(HOPS[3], f"bench-final-{tag.decode()}")
    latencies: list[float] = []
    stop = asyncio.Event()

    async def forward(c: AIOKafkaConsumer, out: str) -> None:
        while not stop.is_set():
            batch = await c.getmany(timeout_ms=50)
            for records in batch.values():
                for r in records:
                    await producer.send(out, key=r.key, value=r.value)

    async def collect() -> None:
        while not stop.is_set():
            batch = await final.getmany(timeout_ms=50)
            for records in batch.values():
                for r in records:
                    sent_tag, _, stamp = r.value.partition(b" ")
                    if sent_tag == tag and r.key != b"warm":
                        latencies.append(time.time() - float(stamp))

    tasks = [asyncio.create_task(forward(c, HOPS[i + 1])) for i, c in enumerate(forwarders)]
    tasks.append(asyncio.create_task(collect()))
    try:
        # Warm up until all four consumers have their partitions and a record goes through.
        async def through() -> bool:
            before = len(latencies)
            probe_key = b"probe"
            await producer.send_and_wait(HOPS[0], key=probe_key, value=tag + b" " + str(time.time()).encode())
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and len(latencies) == before:
                await asyncio.sleep(0.01)
            return len(latencies) > before

        deadline = time.monotonic() + 60
        while not await through():
            if time.monotonic() > deadline:
                raise TimeoutError("bare Kafka hops did not come up")
        await asyncio.sleep(SESSION_TIMEOUT / 2)
        latencies.clear()
        started = time.perf_counter()
        n = int(seconds * rate)
        for i in range(n):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await producer.send_and_wait(HOPS[0], key=str(i).encode(),
                                         value=tag + b" " + repr(time.time()).encode())
        deadline = time.monotonic() + 30
        while len(latencies) < n and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return list(latencies)
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for c in (*forwarders, final):
            await c.stop()
        await producer.stop()


def bare_runs(st: Stack) -> list[list[float]]:
    return [asyncio.run(_bare_hops(st.bootstrap, st.cfg.seconds, RATE)) for _ in range(st.cfg.rounds)]


def measure(cfg: Config) -> dict[str, Any]:
    out: dict[str, Any] = {"config": cfg.__dict__.copy()}
    with stack(cfg) as st:
        producer, publisher = _publisher(st.bootstrap, "frontwire.updates.v1")
        try:
            out["noop"], out["classify"] = stage_rates(st, publisher)
            out["pipeline"], out["webhooks_per_update"], out["deliveries_per_s"] = pipeline_rates(st, publisher)
            if cfg.latency:
                out["stages"] = []
                out["latency"] = latency_runs(st, publisher, out["stages"])
        finally:
            producer.close(timeout=10)
        st.stop(*list(st.procs))
        if cfg.latency:
            out["bare"] = bare_runs(st)
    return out


def rows(m: dict[str, Any]) -> list[dict[str, Any]]:
    noop, classify, pipe = median(m["noop"]), median(m["classify"]), median(m["pipeline"])
    cfg = m["config"]
    where = f"{cfg['subs']:,} subs, {cfg['partitions']} partitions, {cfg['classify_workers']} classify worker(s)"
    out = [
        row("pipeline_updates_per_s", pipe, "updates/s", "no-op faust agent (decode+forward)", noop,
            runs=m["pipeline"], target=">= 1500", setup=where,
            webhooks_per_update=median(m["webhooks_per_update"]),
            deliveries_per_s=m["deliveries_per_s"]),
        row("classify_stage_updates_per_s", classify, "updates/s", "no-op faust agent (decode+forward)",
            noop, runs=m["classify"], noop_runs=m["noop"]),
        row("classify_vs_noop_agent", classify / noop, "x", "no-op faust agent = 1", 1.0,
            classify / noop, target=">= 0.5"),
    ]
    if "latency" in m:
        p50s = [p(r, 50) for r in m["latency"]]
        p99s = [p(r, 99) for r in m["latency"]]
        b50s = [p(r, 50) for r in m["bare"]]
        b99s = [p(r, 99) for r in m["bare"]]
        out += [
            row("e2e_latency_p50_s", median(p50s), "s", "3 bare Kafka hops p50", median(b50s),
                runs=p50s, samples=[len(r) for r in m["latency"]]),
            row("e2e_latency_p99_s", median(p99s), "s", "3 bare Kafka hops p99", median(b99s),
                runs=p99s, baseline_runs=b99s, target="<= 0.25", **stage_split(m.get("stages", []))),
        ]
    return out


def stage_split(stages: list[list[float]]) -> dict[str, dict[str, float]]:
    """p50 and p99 of each leg of the latency runs' webhooks: ingest to classified (the
    updates topic and classify), classified to alert made (the classified topic and notify's
    matching), alert made to arrival (the alerts record, the dispatcher, the HTTP post)."""
    if not stages:
        return {}
    legs = ("to_classified_s", "to_alert_s", "to_arrival_s")
    return {f"stages_p{q}": {leg: round(p([s[i] for s in stages], q), 4) for i, leg in enumerate(legs)}
            for q in (50, 99)}


def run() -> list[dict[str, Any]]:
    return rows(measure(Config()))


# The no-op agent's worker process ------------------------------------------------------

def noop_worker() -> int:
    import logging

    import faust
    from prometheus_client import CollectorRegistry  # noqa: F401 - same imports as classify

    from schemas.envelope import decode
    from schemas.models import Update
    from schemas.topics import UPDATES
    from services.runtime.config import Settings
    from services.runtime.streams import make_app

    settings = Settings()
    app = make_app("bench-noop", settings, settings.kafka_bootstrap or "")
    source = app.topic(NOOP_IN, key_type=bytes, value_type=bytes, key_serializer="raw",
                       value_serializer="raw", partitions=None, internal=False)
    sink = app.topic(NOOP_OUT, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw", partitions=None, internal=False)

    @app.agent(source)
    async def forward(stream: Any) -> None:
        async for event in stream.events():
            decode(event.value, Update, type=UPDATES.event_type)
            await sink.send(key=event.key, value=event.value)

    worker = faust.Worker(app, loglevel=logging.WARNING, quiet=True, override_logging=False,
                          redirect_stdouts=False)
    worker.spinner = None
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["noop-worker"]:
        return noop_worker()
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.bench_pipeline")
    parser.add_argument("--subs", type=int, default=SUBS)
    parser.add_argument("--partitions", type=int, default=PARTITIONS)
    parser.add_argument("--classify-workers", type=int, default=CLASSIFY_WORKERS)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--no-latency", action="store_true")
    args = parser.parse_args(argv)
    m = measure(Config(args.subs, args.partitions, args.classify_workers, args.rounds, args.n,
                       latency=not args.no_latency))
    for r in rows(m):
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
