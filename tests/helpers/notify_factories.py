"""Alerts and subscriptions for notify tests, with every field filled in plausibly."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from schemas.models import (
    Alert,
    ClassifiedUpdate,
    Corroboration,
    Count,
    EmailTarget,
    Facts,
    Label,
    Money,
    Severity,
    Span,
    Subscription,
    Update,
    WebhookTarget,
)

CREATED = datetime(2026, 3, 1, 15, 19, tzinfo=UTC)
HEADLINE = "Four civilians killed in strike on Kharkiv"
BODY = "UPDATE 1519 GMT: Four civilians were killed and 12 injured in a strike on Kharkiv.\nAid of $425m was pledged."


def whsec(seed: bytes = b"frontwire-test-secret-0123456789") -> str:
    """A valid Standard Webhooks secret (``whsec_`` + base64 of 32 bytes)."""
    return "whsec_" + base64.b64encode(seed.ljust(32, b"x")[:32]).decode()


def make_update(**overrides: Any) -> Update:
    fields: dict[str, Any] = dict(
        id="upd-1", source="bbc-live", headline=HEADLINE, body=BODY,
        url="https://example.org/live#upd-1", page_url="https://example.org/live",
        first_seen_at=CREATED, content_hash="h1")
    return Update(**(fields | overrides))


def make_alert(**overrides: Any) -> Alert:
    update = overrides.pop("update", None) or make_update()
    text = update.text
    start = text.index("Four civilians were killed")
    classified = ClassifiedUpdate(
        update=update,
        labels=[Label.CIVILIAN_HARM, Label.AID],
        scores={label: (0.9 if label in (Label.CIVILIAN_HARM, Label.AID) else 0.1) for label in Label},
        evidence={Label.CIVILIAN_HARM: [Span(start=start, end=start + 26, text=text[start:start + 26])]},
        facts=Facts(killed=Count(value=4, text="Four civilians were killed"),
                    injured=Count(value=12, text="12 injured"),
                    aid_amounts=[Money(amount=425e6, currency="USD", text="$425m")],
                    places=["Kharkiv"]),
        severity=Severity.HIGH, classifier_version="rules-1", classified_at=CREATED)
    fields: dict[str, Any] = dict(
        id="alert-sub1-upd1", subscription_id="sub-1", channel="webhook", story_id=update.id,
        matched_labels=[Label.CIVILIAN_HARM], classified=classified,
        corroboration=[Corroboration(update_id="upd-9", source="guardian-live",
                                     headline="Strike on Kharkiv kills four",
                                     url="https://example.com/live/9", seen_at=CREATED)],
        created_at=CREATED)
    return Alert(**(fields | overrides))


def make_subscription(*, url: str | None = None, address: str | None = None,
                      **overrides: Any) -> Subscription:
    """A webhook subscription to ``url``, or an email one to ``address``."""
    fields: dict[str, Any] = dict(
        id="sub-1", name="Kharkiv civilians", labels=[Label.CIVILIAN_HARM], created_at=CREATED,
        webhook=WebhookTarget(url=url) if url else None,
        email=EmailTarget(address=address) if address else None)
    return Subscription(**(fields | overrides))


def report(uid: str, text: str, source: str, label: Label, *, at: datetime = CREATED,
           revision: int = 1, killed: int | None = None) -> ClassifiedUpdate:
    """One outlet's report of an event, classified with one label (and a death toll)."""
    upd = Update(id=uid, source=source, body=text, first_seen_at=at, content_hash=f"{uid}/{revision}",
                 revision=revision)
    facts = Facts(killed=Count(value=killed, text=str(killed)) if killed is not None else None)
    return ClassifiedUpdate(update=upd, labels=[label], scores={label: 0.9}, facts=facts,
                            classifier_version="t", classified_at=at)
