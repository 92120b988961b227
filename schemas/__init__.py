"""frontwire's contract package: message models, CloudEvent codec, topic catalogue."""

from schemas.envelope import CloudEvent, DecodeError, decode, encode, envelope
from schemas.models import (
    LABELS,
    Alert,
    ClassifiedUpdate,
    Corroboration,
    Count,
    DeadLetter,
    Delivery,
    DeliveryAttempt,
    EmailTarget,
    Facts,
    Label,
    Message,
    Money,
    Severity,
    Span,
    Subscription,
    Update,
    WebhookTarget,
)
from schemas.topics import ALERTS, CATALOGUE, CLASSIFIED, DEADLETTER, UPDATES, Topic

__all__ = [
    "ALERTS", "CATALOGUE", "CLASSIFIED", "DEADLETTER", "LABELS", "UPDATES",
    "Alert", "ClassifiedUpdate", "CloudEvent", "Corroboration", "Count", "DeadLetter",
    "DecodeError", "Delivery", "DeliveryAttempt", "EmailTarget", "Facts", "Label", "Message", "Money",
    "Severity", "Span", "Subscription", "Topic", "Update", "WebhookTarget",
    "decode", "encode", "envelope",
]
