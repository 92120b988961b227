"""Message models shared by every frontwire service.

These are the *only* definitions of what travels on the topics and through the
API. Consumers are tolerant readers (unknown fields are ignored); API request
bodies are strict (see ``schemas.api``). Adding an optional field is
compatible; removing, renaming or retyping one is a new version (``.v2``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.targets import CHANNELS as CHANNELS
from schemas.targets import Channel as Channel
from schemas.targets import ChatWebhookTarget as ChatWebhookTarget
from schemas.targets import EmailTarget as EmailTarget
from schemas.targets import NtfyTarget as NtfyTarget
from schemas.targets import TelegramTarget as TelegramTarget
from schemas.targets import WebhookTarget as WebhookTarget


class Label(StrEnum):
    """The four things frontwire alerts on (see LABELS.md for definitions)."""

    ESCALATION = "escalation"
    AID = "aid"
    PRISONER_EXCHANGE = "prisoner_exchange"
    CIVILIAN_HARM = "civilian_harm"


LABELS: tuple[Label, ...] = tuple(Label)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Message(BaseModel):
    """Base of every topic payload: tolerant of fields added by newer writers."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Update(Message):
    """One entry of a live blog (or a pushed item), as ingest cut it out of a page.

    ``id`` is stable across polls and restarts. A changed text under the same id
    is published again with ``revision`` + 1 and ``previous_hash`` set.
    """

    id: str = Field(min_length=1, max_length=200, description="Stable update id.")
    source: str = Field(min_length=1, max_length=200, description="Id of the source it came from.")
    kind: Literal["update", "summary"] = Field(
        default="update", description="'summary' for a page's own digest of its updates."
    )
    headline: str | None = Field(default=None, description="Headline or first line, if any.")
    body: str = Field(description="The entry's text, paragraphs separated by newlines.")
    section: str | None = Field(default=None, description="Heading the entry sits under.")
    url: str | None = Field(default=None, description="Permalink of the entry or its page.")
    page_url: str | None = Field(default=None, description="The page or feed polled.")
    published_at: datetime | None = Field(default=None, description="When the page says it was published.")
    first_seen_at: datetime = Field(description="When frontwire first saw this entry (UTC).")
    revision: int = Field(default=1, ge=1, description="1 for a new entry, +1 per edit.")
    revised_at: datetime | None = Field(
        default=None, description="When frontwire saw this revision (revisions after the first).")
    content_hash: str = Field(description="Digest of the normalised text of this revision.")
    previous_hash: str | None = Field(default=None, description="content_hash of the prior revision.")

    @property
    def text(self) -> str:
        """Headline and body as one text, as the classifier reads it."""
        return f"{self.headline}\n{self.body}" if self.headline else self.body

    @property
    def seen_at(self) -> datetime:
        """When frontwire saw this revision: the start of its end-to-end latency."""
        return self.revised_at or self.first_seen_at


class Span(Message):
    """A piece of the update's text (``text[start:end]`` of ``Update.text``)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Count(Message):
    """A number as reported: 'at least 20' -> value 20, qualifier 'at least'."""

    value: int = Field(ge=0)
    qualifier: str | None = Field(default=None, description="'at least', 'about', 'more than', ...")
    text: str = Field(description="The words it was read from.")


class Money(Message):
    amount: float = Field(ge=0, description="Amount in units of the currency ($425m -> 425000000).")
    currency: str = Field(description="ISO 4217 code where known: USD, GBP, EUR, ...")
    text: str = Field(description="The words it was read from.")


class Facts(Message):
    """Numbers and names extracted from an update, as reported."""

    killed: Count | None = None
    injured: Count | None = None
    prisoners_exchanged: Count | None = None
    bodies_repatriated: Count | None = None
    displaced: Count | None = None
    aid_amounts: list[Money] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)


class ClassifiedUpdate(Message):
    """An Update with the classifier's verdict."""

    update: Update
    labels: list[Label] = Field(description="Labels decided (score >= that label's threshold).")
    scores: dict[Label, float] = Field(description="Score in [0, 1] for every label.")
    evidence: dict[Label, list[Span]] = Field(
        default_factory=dict, description="For each decided label, the spans that drove it."
    )
    facts: Facts = Field(default_factory=Facts)
    severity: Severity = Severity.LOW
    classifier_version: str
    classified_at: datetime
    language: str | None = Field(
        default=None, description="ISO 639-1 code of the text's language as detected, 'und' when "
        "it cannot be told (very short text); None from classifiers before language detection.")
    language_supported: bool = Field(
        default=True, description="False when the text is in a language the classifier does not "
        "read: its labels are then empty because it was not classified, not because it is quiet.")


class Corroboration(Message):
    """Another report of the same story, attached to its alert."""

    update_id: str
    source: str
    headline: str | None = None
    url: str | None = None
    seen_at: datetime
    joined_because: list[str] = Field(
        default_factory=list, description="Why this report was taken for the same event: shared "
        "place, actors, counts, similar wording (or that an operator split it out).")


class Alert(Message):
    """One alert for one (subscription, story); its id is the receiver's idempotency key."""

    id: str = Field(description="Derived from subscription id + story id (+ sequence for updates).")
    subscription_id: str
    channel: Channel
    story_id: str = Field(description="Id of the first update of the story.")
    kind: Literal["new", "update", "test", "digest"] = Field(
        default="new", description="'update' when a revision changed a fact of an alerted story."
    )
    matched_labels: list[Label]
    classified: ClassifiedUpdate
    corroboration: list[Corroboration] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list,
                               description="For kind 'update': the facts that changed, e.g. 'killed: 4 -> 6'.")
    joined_because: list[str] = Field(
        default_factory=list, description="When this report joined an earlier story: why it was "
        "taken for the same event (shared place, actors, counts, similar wording).")
    digest: list[Alert] = Field(default_factory=list,
                                description="For kind 'digest': the alerts it gathers, one per story.")
    created_at: datetime


class QuietHours(BaseModel):
    """A daily window with no immediate alerts (held until it ends); critical ones still go."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM local time")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM local time")
    timezone: str = Field(default="UTC", description="IANA zone, e.g. Europe/Kyiv")


class Subscription(Message):
    """A subscriber's filter and channel, as stored and as returned by the API."""

    id: str
    name: str
    labels: list[Label]
    min_score: float = Field(default=0.5, ge=0, le=1)
    min_scores: dict[Label, float] = Field(
        default_factory=dict, description="Per-label minimum score, overriding min_score")
    keywords: list[str] = Field(default_factory=list, description="Whole words or phrases")
    keywords_mode: Literal["any", "all"] = "any"
    places: list[str] = Field(default_factory=list, description="Any of these places named")
    sources: list[str] = Field(default_factory=list, description="Only these source ids")
    min_severity: Severity | None = None
    mode: Literal["immediate", "digest"] = "immediate"
    digest_minutes: int = Field(default=60, ge=1, le=10080)
    quiet_hours: QuietHours | None = None
    webhook: WebhookTarget | None = None
    email: EmailTarget | None = None
    slack: ChatWebhookTarget | None = Field(default=None, description="Slack incoming webhook")
    teams: ChatWebhookTarget | None = Field(
        default=None, description="Microsoft Teams (Power Automate) workflow webhook")
    discord: ChatWebhookTarget | None = Field(default=None, description="Discord webhook")
    telegram: TelegramTarget | None = Field(default=None, description="Telegram Bot API chat")
    ntfy: NtfyTarget | None = Field(default=None, description="ntfy topic")
    contact: str | None = Field(
        default=None, description="Email address told when this subscription is disabled "
        "(else the contact of its owner's API key)")
    status: Literal["active", "paused", "disabled", "pending"] = Field(
        default="active", description="pending: an email subscription waiting for its owner's "
        "confirmation (double opt-in); only active ones are matched")
    disabled_reason: str | None = None
    created_at: datetime

    def threshold(self, label: Label) -> float:
        return self.min_scores.get(label, self.min_score)

    @property
    def channel(self) -> Channel:
        """The one channel this subscription has a target for."""
        return next((c for c in CHANNELS if getattr(self, c) is not None), "email")

    @property
    def destination(self) -> str:
        """Where alerts go, as shown to people (credentials masked)."""
        target = getattr(self, self.channel)
        if isinstance(target, WebhookTarget):
            return target.url
        if isinstance(target, EmailTarget):
            return target.address
        if isinstance(target, ChatWebhookTarget):
            return target.webhook_url
        if isinstance(target, TelegramTarget):
            return f"chat {target.chat_id}"
        if isinstance(target, NtfyTarget):
            return f"{target.url.rstrip('/')}/{target.topic}"
        return ""


class DeliveryAttempt(Message):
    """One try at delivering an alert, as it went: kept for the delivery-log retention period."""

    attempt: int = Field(ge=1, description="1 for the first try, 2 for the first retry, ...")
    at: datetime = Field(description="When the attempt started (UTC).")
    channel: Channel
    outcome: Literal["delivered", "retry", "failed"]
    status_code: int | None = Field(default=None, description="HTTP status or SMTP reply code")
    error_class: str | None = Field(
        default=None, description="Without a status code: timeout, connection, dns, blocked, "
        "config or smtp")
    error: str | None = None
    latency_ms: float | None = None
    response: str | None = Field(default=None,
                                 description="The first 512 bytes of the response body, as text")


class Delivery(Message):
    """The state of delivering one alert to its subscriber."""

    id: str
    alert_id: str
    subscription_id: str
    channel: Channel
    status: Literal["pending", "held", "digested", "delivered", "failed"] = Field(
        description="held: waiting for its digest; digested: sent inside a digest")
    attempts: int = 0
    last_status_code: int | None = None
    last_error: str | None = None
    latency_ms: float | None = None
    next_attempt_at: datetime | None = None
    created_at: datetime
    delivered_at: datetime | None = None
    attempt_log: list[DeliveryAttempt] = Field(
        default_factory=list, description="Every attempt still on record, oldest first")


class DeadLetter(Message):
    """A record a consumer could not decode or process, with the reason."""

    topic: str
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    reason: str
    consumer: str = Field(description="Service that gave up on it.")
    payload: str = Field(description="The record's value as text (truncated to 64 KiB).")
