"""The topic catalogue: every topic, its key, its value type, who writes and who reads it."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.models import Alert, ClassifiedUpdate, DeadLetter, Message, Update


@dataclass(frozen=True)
class Topic:
    name: str
    key: str
    value: type[Message]
    event_type: str
    producers: tuple[str, ...]
    consumers: tuple[str, ...]
    partitions: int = 4
    description: str = ""


UPDATES = Topic(
    name="frontwire.updates.v1", key="update id", value=Update,
    event_type="frontwire.update.v1", producers=("ingest", "api"), consumers=("classify",),
    description="Every new entry, and every revision of an entry, cut out of a source.",
)
CLASSIFIED = Topic(
    name="frontwire.classified.v1", key="update id", value=ClassifiedUpdate,
    event_type="frontwire.classified-update.v1", producers=("classify",), consumers=("notify",),
    description="Updates with labels, scores, evidence, facts and severity.",
)
ALERTS = Topic(
    name="frontwire.alerts.v1", key="subscription id", value=Alert,
    event_type="frontwire.alert.v1", producers=("notify",), consumers=("notify",),
    description="One alert per (subscription, story), to be delivered.",
)
DEADLETTER = Topic(
    name="frontwire.deadletter.v1", key="original key", value=DeadLetter,
    event_type="frontwire.deadletter.v1", producers=("classify", "notify"), consumers=(),
    partitions=1, description="Records a consumer could not decode or process, with the reason.",
)

CATALOGUE: tuple[Topic, ...] = (UPDATES, CLASSIFIED, ALERTS, DEADLETTER)


def by_name(name: str) -> Topic:
    for topic in CATALOGUE:
        if topic.name == name:
            return topic
    raise KeyError(f"unknown topic {name!r}")
