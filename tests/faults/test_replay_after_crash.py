"""The crash window inside notify's matcher, replayed deterministically.

notify commits an update's story membership to SQL, then sends the alert to
Kafka, then (every 0.5 s) commits the consumer offset. A SIGKILL after the first
step and before the others makes Kafka hand the same classified record over again;
the replay must make the same alert again (deduplicated downstream by its id),
not conclude that the update was already handled and send nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas.models import Alert, ClassifiedUpdate, Label, Subscription, Update, WebhookTarget
from services.notify.alerts import make_alert
from services.notify.matching import Match
from services.notify.store import DeliveryStore
from services.notify.stories import StoryStore
from services.runtime.db import connect
from tests.faults.conftest import swap_text

pytestmark = pytest.mark.faults
T = datetime(2026, 5, 2, 9, tzinfo=UTC)


def _classified(uid: str, tag: str, revision: int = 1) -> ClassifiedUpdate:
    headline, body = swap_text(tag, 0)
    update = Update(id=uid, source="faults", headline=headline, body=body, first_seen_at=T,
                    content_hash=f"h{revision}", revision=revision)
    return ClassifiedUpdate(update=update, labels=[Label.PRISONER_EXCHANGE],
                            scores={Label.PRISONER_EXCHANGE: 0.95}, classifier_version="t",
                            classified_at=T)


@pytest.fixture
def match() -> Match:
    sub = Subscription(id="sub_replay", name="swaps", labels=[Label.PRISONER_EXCHANGE], created_at=T,
                       webhook=WebhookTarget(url="https://hooks.example.org/swaps"))
    return Match(sub, (Label.PRISONER_EXCHANGE,))


def test_a_record_replayed_after_a_crash_still_makes_its_alert(tmp_path: Path, match: Match) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'replay.db'}")
    stories = StoryStore(engine)
    record = _classified("faults:swap-1", "replay")

    first = make_alert(match, record, T, stories.assign(record, T))
    assert first is not None
    # ... SIGKILL here: the alert never reached Kafka, the offset was not committed ...
    again = make_alert(match, record, T + timedelta(seconds=5),
                       stories.assign(record, T + timedelta(seconds=5)))
    assert again is not None, "the replayed record made no alert: this update's alert is lost"
    assert again.id == first.id, "the replay must reuse the alert id so receivers dedupe it"


def test_a_replay_of_a_delivered_alert_is_stored_once(tmp_path: Path, match: Match) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'replay.db'}")
    stories, deliveries = StoryStore(engine), DeliveryStore(engine)
    record = _classified("faults:swap-2", "replay-twice")
    alerts: list[Alert] = []
    for n in range(3):  # the first time, then two redeliveries of the same record
        now = T + timedelta(seconds=n)
        alert = make_alert(match, record, now, stories.assign(record, now))
        assert alert is not None
        alerts.append(alert)
    added = [deliveries.add_pending(a, T, T) for a in alerts]
    assert added == [True, False, False]
    assert {a.id for a in alerts} == {alerts[0].id}


def test_a_revision_replayed_after_a_crash_still_makes_its_update_alert(tmp_path: Path,
                                                                        match: Match) -> None:
    from schemas.models import Count, Facts

    engine = connect(f"sqlite:///{tmp_path / 'replay.db'}")
    stories = StoryStore(engine)

    def with_killed(record: ClassifiedUpdate, killed: int) -> ClassifiedUpdate:
        return record.model_copy(update={"facts": Facts(killed=Count(value=killed, text=str(killed)))})

    original = with_killed(_classified("faults:swap-3", "revised"), 4)
    make_alert(match, original, T, stories.assign(original, T))
    revision = with_killed(_classified("faults:swap-3", "revised", revision=2), 6)
    first = make_alert(match, revision, T, stories.assign(revision, T))
    assert first is not None and first.kind == "update" and first.changes == ["killed: 4 -> 6"]
    # ... SIGKILL here: the update alert never reached Kafka; the revision comes again,
    # to this worker or (a fresh process) another ...
    for worker in (stories, StoryStore(engine)):
        again = make_alert(match, revision, T, worker.assign(revision, T + timedelta(seconds=5)))
        assert again is not None, "the replayed revision made no alert: its update alert is lost"
        assert (again.id, again.changes) == (first.id, first.changes)
