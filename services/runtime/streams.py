"""Building faust apps the way every frontwire stream service needs them.

Two settings matter on any broker and a lot on the embedded one: the consumer's
fetch wait (faust hard-codes 1,500 ms; tansu holds a fetch about half of it even
when data is waiting, so each hop would cost ~0.5 s) and the group session timeout
(joins take about half of it on tansu).
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka

from schemas.topics import Topic
from services.runtime.config import Settings


def _transport_for(fetch_wait_ms: int) -> type[faust_aiokafka.Transport]:
    class ConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
        def _create_worker_consumer(self, transport: Any) -> Any:
            consumer = super()._create_worker_consumer(transport)
            consumer._fetch_max_wait_ms = fetch_wait_ms  # read by aiokafka at start()
            return consumer

    class FastConsumer(faust_aiokafka.Consumer):
        def _new_consumer_thread(self) -> ConsumerThread:
            return ConsumerThread(self, loop=self.loop, beacon=self.beacon)

    class Transport(faust_aiokafka.Transport):
        Consumer = FastConsumer

    return Transport


class FrontwireApp(faust.App):
    """faust.App whose consumers use a short fetch wait."""

    fetch_wait_ms: int = 10

    def _new_transport(self) -> Any:
        return _transport_for(self.fetch_wait_ms)(self.conf.broker_consumer, self)


def make_app(name: str, settings: Settings, bootstrap: str, **overrides: Any) -> FrontwireApp:
    session = settings.consumer_session_timeout
    conf: dict[str, Any] = {
        "broker": ";".join(f"kafka://{s.strip()}" for s in bootstrap.split(",")),
        "store": "memory://",
        "processing_guarantee": "at_least_once",  # exactly_once needs transactions tansu lacks
        "broker_session_timeout": session,
        "broker_heartbeat_interval": max(0.5, session / 6),
        "broker_request_timeout": max(session * 2, 30.0),
        "broker_rebalance_timeout": session,
        "broker_commit_interval": 0.5,
        "topic_partitions": settings.partitions,
        "topic_replication_factor": 1,
        "web_enabled": False,
        "consumer_auto_offset_reset": "earliest",
        "producer_linger_ms": 1,
        "stream_wait_empty": False,
    }
    conf.update(overrides)
    app = FrontwireApp(f"frontwire-{name}", **conf)
    app.fetch_wait_ms = settings.consumer_fetch_wait_ms
    return app


def raw_topic(app: faust.App, topic: Topic) -> Any:
    """A faust topic of raw bytes: we decode CloudEvents ourselves to dead-letter bad ones."""
    return app.topic(topic.name, key_type=bytes, value_type=bytes, key_serializer="raw",
                     value_serializer="raw", partitions=None, internal=False)


async def decoded(stream: Any, model: type[Any], topic: Topic, dead_topic: Any, consumer: str,
                  on_dead: Any = None) -> Any:
    """Yield (event, CloudEvent) for good records; send bad ones to the dead-letter topic.

    One bad record never stops a partition: it is parked with its reason and the
    stream goes on.
    """
    park = _dead_letterer(topic, dead_topic, consumer, on_dead)
    async for event in stream.events():
        ce = await park(event, model)
        if ce is not None:
            yield event, ce


# Batches: one database transaction per batch instead of one per record. A batch is
# what arrived within BATCH_WAIT (or BATCH_MAX records, whichever comes first), so a
# quiet stream pays at most BATCH_WAIT of latency per hop.
BATCH_MAX = 500
BATCH_WAIT = 0.01


async def decoded_batches(stream: Any, model: type[Any], topic: Topic, dead_topic: Any,
                          consumer: str, on_dead: Any = None, *, max_records: int = BATCH_MAX,
                          within: float = BATCH_WAIT) -> Any:
    """Yield lists of CloudEvents (good records only; bad ones are dead-lettered).

    The batch's offsets are acknowledged once the loop body that got it is done,
    so a crash in the middle of a batch redelivers all of it (at least once).
    """
    park = _dead_letterer(topic, dead_topic, consumer, on_dead)
    async for events in stream.take_events(max_records, within):
        batch = []
        for event in events:
            ce = await park(event, model)
            if ce is not None:
                batch.append(ce)
        if batch:
            yield batch


def _dead_letterer(topic: Topic, dead_topic: Any, consumer: str, on_dead: Any) -> Any:
    import logging

    from schemas.envelope import DecodeError, decode
    from services.runtime.deadletter import dead_letter

    log = logging.getLogger(f"frontwire.{consumer}")

    async def park(event: Any, model: type[Any]) -> Any:
        """The decoded record, or None once a bad one is on the dead-letter topic."""
        try:
            return decode(event.value, model, type=topic.event_type)
        except DecodeError as exc:
            msg = event.message
            key, value = dead_letter(topic=topic.name, partition=msg.partition, offset=msg.offset,
                                     key=event.key, value=event.value, reason=str(exc),
                                     consumer=consumer)
            await dead_topic.send(key=key, value=value)
            if on_dead is not None:
                on_dead(topic.name, exc.category)
            log.warning("dead-lettered %s[%s]@%s: %s", topic.name, msg.partition, msg.offset, exc)
            return None

    return park
