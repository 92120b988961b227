"""CloudEvents 1.0 envelope (structured JSON mode) and the codec for topic records.

Every record on every topic is one JSON CloudEvent whose ``type`` names the
payload schema and version, e.g. ``frontwire.update.v1``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from schemas.models import Message

T = TypeVar("T", bound=Message)
# Kafka's default message.max.bytes: a bigger record is a producer's mistake, not an update.
MAX_RECORD_BYTES = 1024 * 1024


class DecodeError(ValueError):
    """A record that is not a valid CloudEvent of the expected type; the message says why.

    ``category`` is a short, bounded name for metrics labels.
    """

    def __init__(self, message: str, category: str = "invalid") -> None:
        super().__init__(message)
        self.category = category


class CloudEvent(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="ignore", frozen=True)

    specversion: str = Field(default="1.0", pattern=r"^1\.0$")
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    time: datetime
    subject: str | None = None
    datacontenttype: str = "application/json"
    data: T


def new_event_id() -> str:
    return uuid.uuid4().hex


def envelope(data: Message, *, type: str, source: str, subject: str | None = None,
             event_id: str | None = None, time: datetime | None = None) -> dict[str, Any]:
    """The CloudEvent (as a JSON-ready dict) around ``data``."""
    return {
        "specversion": "1.0",
        "id": event_id or new_event_id(),
        "source": source,
        "type": type,
        "time": (time or datetime.now(UTC)).isoformat(),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data.model_dump(mode="json"),
    }


def encode(data: Message, *, type: str, source: str, subject: str | None = None,
           event_id: str | None = None, time: datetime | None = None) -> bytes:
    """Serialise ``data`` as one CloudEvent JSON document."""
    return orjson.dumps(envelope(data, type=type, source=source, subject=subject,
                                 event_id=event_id, time=time))


def decode(raw: bytes | str | None, model: type[T], *, type: str) -> CloudEvent[T]:
    """Parse and validate a record; raise DecodeError naming the problem."""
    if raw is None:
        raise DecodeError("record has no value", "empty")
    if len(raw) > MAX_RECORD_BYTES:
        raise DecodeError(f"record too large: {len(raw)} bytes, the limit is {MAX_RECORD_BYTES}",
                          "too_large")
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(f"not JSON: {exc}", "not_json") from None
    if not isinstance(doc, dict):
        raise DecodeError(f"not a CloudEvent: expected a JSON object, got {_kind(doc)}", "not_cloudevent")
    got = doc.get("type")
    if got != type:
        raise DecodeError(f"wrong event type {got!r}, expected {type!r}", "wrong_type")
    try:
        return CloudEvent[model].model_validate(doc)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise DecodeError(_describe(exc), "invalid") from None


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number",
            bool: "a boolean", type(None): "null"}.get(type(value), type(value).__name__)


def _describe(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        parts.append(f"{loc}: {err['msg']}")
    more = exc.error_count() - len(parts)
    return "invalid CloudEvent: " + "; ".join(parts) + (f" (+{more} more)" if more > 0 else "")
