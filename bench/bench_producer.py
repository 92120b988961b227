"""Ingest's producer: Update CloudEvents/s through ingest's UpdatePublisher (kafka-python).

The publisher encodes each Update as a CloudEvent and sends it to
frontwire.updates.v1 on the embedded broker with ingest's producer settings
(``services.runtime.kafka.make_producer``: acks=all, idempotent), then waits for every ack.
The figure is measured with kafka-python's C crc32c (the ``crc32c`` package) and,
as the baseline, with its pure-python crc32c, forced by rebinding the default
argument of ``kafka.record.util.calc_crc32c`` (which is how kafka-python picks the
implementation at import). Rounds alternate between the two; medians are reported.
"""

from __future__ import annotations

import os
import random
import time
from contextlib import contextmanager
from typing import Any

from bench.bench_common import make_updates, median, row

ROUNDS, N, BATCH = (2, 3000, 500) if os.environ.get("BENCH_QUICK") else (5, 6000, 500)


@contextmanager
def pure_python_crc() -> Any:
    from kafka.record import util
    from kafka.record._crc32c import crc as crc32c_py

    saved = util.calc_crc32c.__defaults__
    util.calc_crc32c.__defaults__ = (crc32c_py,)
    try:
        yield
    finally:
        util.calc_crc32c.__defaults__ = saved


def c_crc_available() -> bool:
    from kafka.record import util

    return util.crc32c_c is not None and util.calc_crc32c.__defaults__ == (util.crc32c_c,)


def _rate(publisher: Any, updates: list[Any]) -> float:
    started = time.perf_counter()
    for i in range(0, len(updates), BATCH):
        publisher(updates[i:i + BATCH])
    return len(updates) / (time.perf_counter() - started)


def measure(rounds: int = ROUNDS, n: int = N, **producer: Any) -> dict[str, list[float]]:
    from frontwire.broker import EmbeddedBroker
    from schemas.topics import UPDATES
    from services.ingest.app import UpdatePublisher
    from services.runtime.kafka import ensure_topics, make_producer

    rng = random.Random(5)
    updates = make_updates(n, rng, "prod", sources=50)
    rates: dict[str, list[float]] = {"c": [], "py": []}
    with EmbeddedBroker() as broker:
        ensure_topics(broker.bootstrap, 4, [UPDATES])
        kafka = make_producer(broker.bootstrap, "bench-producer", **producer)
        publisher = UpdatePublisher(kafka)
        try:
            _rate(publisher, updates[:BATCH])  # connect, fetch metadata, warm up
            for _ in range(rounds):
                rates["c"].append(_rate(publisher, updates))
                with pure_python_crc():
                    rates["py"].append(_rate(publisher, updates))
        finally:
            kafka.close(timeout=10)
    return rates


def run() -> list[dict[str, Any]]:
    if not c_crc_available():
        raise RuntimeError("kafka-python is not using the C crc32c: install the crc32c package")
    rates = measure()
    return [row("ingest_produce_msgs_per_s", median(rates["c"]), "msgs/s",
                "pure-python crc32c", median(rates["py"]), runs=rates["c"], baseline_runs=rates["py"])]


if __name__ == "__main__":
    for r in run():
        print(r)
