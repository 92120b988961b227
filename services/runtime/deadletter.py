"""Building dead-letter records: what a consumer could not use, and why."""

from __future__ import annotations

from schemas.envelope import encode
from schemas.models import DeadLetter
from schemas.topics import DEADLETTER

MAX_PAYLOAD = 64 * 1024


def dead_letter(*, topic: str, partition: int | None, offset: int | None, key: bytes | None,
                value: bytes | None, reason: str, consumer: str) -> tuple[bytes | None, bytes]:
    """(key, value) for the dead-letter topic; the original key is kept for ordering."""
    text = (value or b"")[:MAX_PAYLOAD].decode("utf-8", errors="replace")
    record = DeadLetter(topic=topic, partition=partition, offset=offset,
                        key=key.decode("utf-8", errors="replace") if key else None,
                        reason=reason, consumer=consumer, payload=text)
    return key, encode(record, type=DEADLETTER.event_type, source=f"frontwire/{consumer}")
