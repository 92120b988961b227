"""Consumer lag read from a real faust consumer on the embedded broker.

Pins down the faust internals that services.runtime.lag reads (assignment, committed
offsets, end offsets), which a faust upgrade could change.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from faust.types import TP
from kafka import KafkaProducer

from services.runtime.config import Settings
from services.runtime.lag import measure
from services.runtime.streams import make_app

pytestmark = pytest.mark.integration


async def test_lag_counts_the_records_a_stuck_agent_has_not_acknowledged(broker: str) -> None:
    topic = "frontwire.lagtest.v1"
    producer = KafkaProducer(bootstrap_servers=broker)
    for i in range(5):
        producer.send(topic, key=b"k", value=b"%d" % i, partition=0)
    producer.flush()
    producer.close()
    settings = Settings(consumer_session_timeout=2.0, partitions=1)
    app = make_app(f"lagtest-{time.time_ns()}", settings, broker, topic_partitions=1)
    source = app.topic(topic, value_serializer="raw", partitions=1)
    release = asyncio.Event()

    @app.agent(source)
    async def stuck(stream):  # type: ignore[no-untyped-def]
        async for _ in stream:
            await release.wait()  # one record taken, the others stay unprocessed

    await app.start()
    try:
        deadline = time.monotonic() + 30
        lags: dict[TP, int] = {}
        while time.monotonic() < deadline:
            try:
                lags = await measure(app.consumer)
            except Exception:  # noqa: BLE001 - not assigned yet
                lags = {}
            if lags.get(TP(topic, 0)) == 5:
                break
            await asyncio.sleep(0.2)
        assert lags.get(TP(topic, 0)) == 5, lags  # one taken, none acked: all five to redo
    finally:
        release.set()
        await app.stop()
