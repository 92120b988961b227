"""The contract package: every example decodes, schemas are current, bad records say why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas import CATALOGUE, DecodeError, Update, decode, encode
from schemas.generate import main as generate_main
from schemas.topics import UPDATES, by_name

EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "examples"


@pytest.mark.parametrize("topic", CATALOGUE, ids=lambda t: t.name)
def test_every_topic_has_an_example_that_decodes_and_round_trips(topic):
    path = EXAMPLES / f"{topic.event_type}.example.json"
    raw = path.read_bytes()
    event = decode(raw, topic.value, type=topic.event_type)
    again = decode(encode(event.data, type=topic.event_type, source=event.source,
                          event_id=event.id, time=event.time), topic.value, type=topic.event_type)
    assert again.data == event.data
    assert event.specversion == "1.0"


def test_committed_json_schemas_match_the_models():
    assert generate_main(["--check"]) == 0


def test_consumers_ignore_unknown_fields_so_adding_one_is_compatible():
    doc = json.loads((EXAMPLES / "frontwire.update.v1.example.json").read_text())
    doc["data"]["added_in_a_later_minor"] = {"anything": 1}
    doc["extension_attr"] = "x"
    event = decode(json.dumps(doc), Update, type=UPDATES.event_type)
    assert event.data.id == doc["data"]["id"]


@pytest.mark.parametrize(("raw", "category", "words"), [
    (b"\x00\xffnot json", "not_json", "not JSON"),
    (b"[1, 2]", "not_cloudevent", "an array"),
    (b'{"type": "frontwire.alert.v1"}', "wrong_type", "expected 'frontwire.update.v1'"),
    (b'{"type": "frontwire.update.v1", "specversion": "1.0", "id": "x", "source": "s", '
     b'"time": "2024-01-01T00:00:00Z", "data": {"id": "u"}}', "invalid", "data.source"),
    (None, "empty", "no value"),
])
def test_bad_records_raise_a_decode_error_that_names_the_problem(raw, category, words):
    with pytest.raises(DecodeError) as info:
        decode(raw, Update, type=UPDATES.event_type)
    assert info.value.category == category
    assert words in str(info.value)


def test_topic_catalogue_names_producers_and_consumers():
    assert by_name("frontwire.classified.v1").producers == ("classify",)
    assert all(t.name.endswith(".v1") for t in CATALOGUE)
    with pytest.raises(KeyError):
        by_name("nope")


def test_a_subscription_example_for_every_channel_validates_and_round_trips():
    from schemas.models import CHANNELS, Subscription

    docs = json.loads((EXAMPLES / "frontwire.subscription.v1.examples.json").read_text())
    subs = [Subscription.model_validate(doc) for doc in docs]
    assert sorted(s.channel for s in subs) == sorted(CHANNELS)
    assert [s.model_dump(mode="json") for s in subs] == docs
    assert all("…" in s.destination for s in subs if s.channel in ("slack", "teams", "discord"))


def test_the_delivery_example_carries_its_attempt_log():
    from schemas.models import Delivery

    doc = json.loads((EXAMPLES / "frontwire.delivery.v1.example.json").read_text())
    delivery = Delivery.model_validate(doc)
    assert [a.attempt for a in delivery.attempt_log] == [1, 2, 3]
    assert delivery.model_dump(mode="json") == doc
    older = {k: v for k, v in doc.items() if k != "attempt_log"}  # written before the log existed
    assert Delivery.model_validate(older).attempt_log == []
