"""Kafka plumbing shared by the services: topic creation and the kafka-python producer."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from schemas.topics import CATALOGUE, Topic

log = logging.getLogger("frontwire.kafka")


class KafkaUnavailable(RuntimeError):
    """Kafka did not answer; the message names the bootstrap servers."""


def admin_client(bootstrap: str, timeout: float = 20.0) -> KafkaAdminClient:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return KafkaAdminClient(bootstrap_servers=bootstrap, client_id="frontwire-admin",
                                    request_timeout_ms=10_000)
        except (KafkaError, OSError) as exc:
            if time.monotonic() > deadline:
                raise KafkaUnavailable(f"Kafka at {bootstrap} did not answer: {exc}") from None
            time.sleep(0.2)


def ensure_topics(bootstrap: str, partitions: int, topics: Iterable[Topic] = CATALOGUE,
                  timeout: float = 20.0) -> list[str]:
    """Create the catalogue's topics that are missing; return the names created."""
    admin = admin_client(bootstrap, timeout)
    try:
        existing = set(admin.list_topics())
        wanted = [t for t in topics if t.name not in existing]
        created: list[str] = []
        for topic in wanted:
            count = partitions if topic.partitions > 1 else 1
            try:
                admin.create_topics([NewTopic(topic.name, count, 1)])
                created.append(topic.name)
            except TopicAlreadyExistsError:
                pass  # another process won the race: fine
        if created:
            log.info("created topics: %s", ", ".join(created))
        return created
    finally:
        admin.close()


def keep_topics(bootstrap: str, partitions: int, every: float = 2.0) -> threading.Event:
    """Recreate missing catalogue topics every ``every`` seconds, in a daemon thread, until
    the returned event is set: a broker that restarted empty (the embedded one keeps
    nothing) gets its topics back before clients auto-create them half-configured."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                ensure_topics(bootstrap, partitions, timeout=every)
            except Exception as exc:  # noqa: BLE001 - broker away: try again next round
                log.debug("cannot check topics: %s", exc)

    threading.Thread(target=loop, name="frontwire-keep-topics", daemon=True).start()
    return stop


def make_producer(bootstrap: str, client_id: str, **overrides: object) -> KafkaProducer:
    """An acks=all producer with small batching, as DESIGN.md asks of ingest."""
    config: dict[str, object] = {
        "bootstrap_servers": bootstrap, "client_id": client_id, "acks": "all",
        "linger_ms": 5, "enable_idempotence": True,
        # 256 KiB batches (default 16 KiB, ~13 updates): a burst of updates goes out in
        # fewer, larger requests, doubling throughput (BENCHMARKS.md); no added latency.
        "batch_size": 262_144,
        "compression_type": None, "request_timeout_ms": 15_000,
    }
    config.update(overrides)
    deadline = time.monotonic() + 20
    while True:
        try:
            return KafkaProducer(**config)
        except (KafkaError, OSError) as exc:
            if time.monotonic() > deadline:
                raise KafkaUnavailable(f"Kafka at {bootstrap} did not answer: {exc}") from None
            time.sleep(0.2)
