"""Garbage produced straight onto each topic the services consume.

Non-JSON, wrong-schema and oversized (> 1 MB) records on frontwire.updates.v1,
frontwire.classified.v1 and frontwire.alerts.v1 each land in frontwire.deadletter.v1
with a reason, and a good record behind them on the same partition is still handled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer

from schemas.envelope import decode, encode
from schemas.models import DeadLetter, Update
from schemas.topics import ALERTS, CLASSIFIED, DEADLETTER, UPDATES
from services.ingest.identity import update_id
from services.ingest.parsers import Entry
from services.runtime.kafka import make_producer
from services.runtime.timeutil import utcnow
from tests.faults.conftest import FaultReceiver, Pipeline, assert_each_once, swap_text

pytestmark = pytest.mark.faults
BIG = 1_200_000


def _garbage(event_type: str) -> dict[str, bytes]:
    """Bad records for a topic whose events are ``event_type``, by the reason they must fail."""
    event = {"specversion": "1.0", "id": "x1", "source": "faults", "type": event_type,
             "time": "2026-05-02T09:00:00Z"}
    return {
        "not json": b"\x00\xffthis is not json{",
        "wrong type": orjson.dumps({**event, "type": "frontwire.something.v9", "data": {}}),
        "wrong schema": orjson.dumps({**event, "data": {"id": 42, "unexpected": True}}),
        "not an object": b"[1, 2, 3]",
        "oversized": _oversized_update() if event_type == UPDATES.event_type
        else orjson.dumps({**event, "data": {"id": "big", "body": "x" * BIG}}),
    }


def _oversized_update() -> bytes:
    """A well-formed update event, except that it is over 1 MB."""
    body = "The two armies exchanged prisoners of war at the border. " * (BIG // 56)
    upd = Update(id="faults:big", source="faults", body=body, first_seen_at=utcnow(), content_hash="h")
    return encode(upd, type=UPDATES.event_type, source="faults")


def _dead_letters(bootstrap: str) -> list[DeadLetter]:
    consumer = KafkaConsumer(DEADLETTER.name, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=1000, enable_auto_commit=False,
                             max_partition_fetch_bytes=4_000_000)
    try:
        return [decode(r.value, DeadLetter, type=DEADLETTER.event_type).data for r in consumer]
    finally:
        consumer.close()


def test_bad_records_on_every_topic_are_dead_lettered_and_the_stream_goes_on(
        make_pipeline: Callable[..., Pipeline], receiver: FaultReceiver) -> None:
    pipe = make_pipeline("api", "classify", "notify")
    sub = pipe.subscribe(receiver, "/hooks/garbage")
    bootstrap = pipe.env["FRONTWIRE_KAFKA_BOOTSTRAP"]
    headline, body = swap_text("garbage", 0)
    good_id = update_id("push:faults", Entry(headline=headline, body=body, url=None,
                                              entry_id="garbage-0", published_at=None))
    producer = make_producer(bootstrap, "faults-garbage", max_request_size=4_000_000)
    sent: dict[str, list[str]] = {}
    # Same keys as the good records that follow, so each lands ahead of one on its partition.
    for topic, key in ((UPDATES, good_id), (CLASSIFIED, good_id), (ALERTS, sub)):
        for reason, value in _garbage(topic.event_type).items():
            producer.send(topic.name, key=key.encode(), value=value).get(30)
            sent.setdefault(topic.name, []).append(reason)
    producer.close(5)

    pushed = pipe.push_swaps("garbage", 1)
    assert pushed == [good_id]
    pipe.wait("the good update's alert behind the garbage", lambda: len(receiver.unique) >= 1, 30)
    assert_each_once(receiver, "/hooks/garbage", {good_id})

    expected = sum(len(v) for v in sent.values())
    letters: list[DeadLetter] = pipe.wait(
        "every bad record in the dead-letter topic",
        lambda: len(got := _dead_letters(bootstrap)) >= expected and got, 30)
    by_topic: dict[str, list[Any]] = {}
    for letter in letters:
        by_topic.setdefault(letter.topic, []).append(letter)
        assert letter.reason, "every dead letter says why"
        assert letter.offset is not None and letter.consumer in ("classify", "notify")
        assert len(letter.payload) <= 64 * 1024, "dead letters keep a bounded copy of the record"
    assert {t: len(v) for t, v in by_topic.items()} == {t: len(v) for t, v in sent.items()}
    reasons = [letter.reason for letter in letters]
    for words in ("not JSON", "wrong event type", "expected a JSON object", "invalid CloudEvent",
                  "record too large"):
        assert sum(words in r for r in reasons) == 3, f"not one per topic says {words!r}: {reasons}"
