"""Turning a match into an Alert: pure, with ids derived so replays make the same alert."""

from __future__ import annotations

import hashlib
from datetime import datetime

from schemas.models import Alert, ClassifiedUpdate, Subscription, Update
from services.notify.matching import Match
from services.notify.stories import Assignment


def alert_id(subscription_id: str, story_id: str, sequence: int | str = 0) -> str:
    """Stable per (subscription, story): the webhook-id and the email Message-ID derive from it."""
    digest = hashlib.sha256(f"{subscription_id}\x00{story_id}\x00{sequence}".encode()).hexdigest()
    return f"alrt_{digest[:28]}"


def make_alert(match: Match, classified: ClassifiedUpdate, now: datetime,
               story: Assignment | None = None) -> Alert | None:
    """The alert for this match, or None when the story needs no new alert.

    One alert per (subscription, story): a later report of the same story makes the
    same alert id (so it is never shown twice) and rides along as corroboration, unless
    it raises a toll: then an 'update' alert says so. A revision sends an 'update' alert
    only when it changed a fact.
    """
    story = story or Assignment(classified.update.id, True, True)
    if not story.new_member and not story.changes:
        return None
    sequence: int | str = classified.update.revision
    if story.new_member:
        # another outlet's report: the story's own alert again (deduplicated by id), unless
        # it raises a toll, which is news of its own
        sequence = f"member:{classified.update.id}" if story.changes and not story.new_story else 0
    return Alert(
        id=alert_id(match.subscription.id, story.story_id, sequence),
        subscription_id=match.subscription.id, channel=match.subscription.channel,
        story_id=story.story_id, kind="update" if sequence else "new",
        matched_labels=list(match.labels), classified=classified,
        corroboration=story.others, changes=story.changes, joined_because=story.reasons,
        created_at=now)


def test_alert(subscription: Subscription, now: datetime) -> Alert:
    """A sample alert for `POST /v1/subscriptions/{id}/test`: clearly marked, never a real story."""
    signed = ", signed with your subscription's secret" if subscription.webhook else ""
    body = (f"This is a test alert from frontwire. Alerts for this subscription arrive like this "
            f"one{signed}.")
    update = Update(id=f"test-{now:%Y%m%dT%H%M%S%f}", source="frontwire-test",
                    headline="frontwire test alert", body=body, first_seen_at=now,
                    content_hash=hashlib.sha256(body.encode()).hexdigest()[:32])
    labels = list(subscription.labels)
    classified = ClassifiedUpdate(update=update, labels=labels, scores=dict.fromkeys(labels, 1.0),
                                  classifier_version="test", classified_at=now)
    return Alert(id=alert_id(subscription.id, update.id), subscription_id=subscription.id,
                 channel=subscription.channel, story_id=update.id, kind="test",
                 matched_labels=labels, classified=classified, created_at=now)
