"""Property tests of the record codec: whatever arrives on a topic, decode either returns
a valid CloudEvent or raises DecodeError (which the consumers dead-letter), never anything else."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.envelope import MAX_RECORD_BYTES, DecodeError, decode, encode
from schemas.models import Alert, ClassifiedUpdate, DeadLetter, Update
from schemas.topics import ALERTS, CLASSIFIED, DEADLETTER, UPDATES

MODELS = [(Update, UPDATES.event_type), (ClassifiedUpdate, CLASSIFIED.event_type),
          (Alert, ALERTS.event_type), (DeadLetter, DEADLETTER.event_type)]
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=30)


def _decodes_or_refuses(raw: bytes | str | None, model: type[Any], event_type: str) -> None:
    try:
        event = decode(raw, model, type=event_type)
    except DecodeError as exc:
        assert str(exc) and exc.category
        return
    assert isinstance(event.data, model) and event.type == event_type


@FUZZ
@given(raw=st.binary(max_size=2000), which=st.sampled_from(MODELS))
def test_any_bytes_decode_or_raise_decode_error(raw: bytes, which: tuple[type[Any], str]) -> None:
    _decodes_or_refuses(raw, *which)


@FUZZ
@given(doc=json_values, which=st.sampled_from(MODELS))
def test_any_json_value_decodes_or_raises_decode_error(doc: Any, which: tuple[type[Any], str]) -> None:
    _decodes_or_refuses(json.dumps(doc).encode(), *which)  # stdlib: big ints too


@FUZZ
@given(data=json_values, extra=st.dictionaries(st.sampled_from(
           ["specversion", "id", "source", "time", "subject", "datacontenttype"]), json_values),
       which=st.sampled_from(MODELS))
def test_cloudevent_shaped_records_with_any_data_decode_or_raise_decode_error(
        data: Any, extra: dict[str, Any], which: tuple[type[Any], str]) -> None:
    model, event_type = which
    doc = {"specversion": "1.0", "id": "e1", "source": "fuzz", "type": event_type,
           "time": "2026-01-01T00:00:00Z", "data": data, **extra}
    _decodes_or_refuses(json.dumps(doc).encode(), model, event_type)


@FUZZ
@given(headline=st.none() | st.text(max_size=200), body=st.text(min_size=1, max_size=2000),
       revision=st.integers(min_value=1, max_value=10_000))
def test_every_encoded_update_decodes_to_itself(headline: str | None, body: str, revision: int) -> None:
    upd = Update(id="fuzz:1", source="fuzz", headline=headline, body=body, revision=revision,
                 first_seen_at=datetime(2026, 1, 1, tzinfo=UTC), content_hash="h")
    assert decode(encode(upd, type=UPDATES.event_type, source="fuzz"), Update,
                  type=UPDATES.event_type).data == upd


@pytest.mark.parametrize(("model", "event_type"), MODELS)
def test_records_over_the_limit_are_refused_as_too_large(model: type[Any], event_type: str) -> None:
    raw = b'{"type": "' + event_type.encode() + b'", "pad": "' + b"x" * MAX_RECORD_BYTES + b'"}'
    with pytest.raises(DecodeError, match="too large") as err:
        decode(raw, model, type=event_type)
    assert err.value.category == "too_large"
