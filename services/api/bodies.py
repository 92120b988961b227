"""Request and response bodies of the HTTP API: strict (unknown fields are a 422)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from schemas.models import Corroboration, Label, QuietHours, Severity, Subscription
from services.api.targets import ChatWebhookIn, NtfyIn, TelegramIn

CHANNEL_FIELDS = ("webhook", "email", "slack", "teams", "discord", "telegram", "ntfy")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookIn(Strict):
    url: str = Field(max_length=2000, description="http(s) URL that receives signed POSTs")

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value


class EmailIn(Strict):
    address: EmailStr


Phrase = Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
Score = Annotated[float, Field(ge=0, le=1)]


class Filters(Strict):
    """What a subscription selects; every field optional so PATCH can reuse it."""

    labels: list[Label] | None = Field(default=None, min_length=1,
                                       description="Alert on any of these labels")
    min_score: Score | None = None
    min_scores: dict[Label, Score] | None = Field(default=None, description="Per-label minimum")
    keywords: list[Phrase] | None = Field(default=None, max_length=50)
    keywords_mode: Literal["any", "all"] | None = None
    places: list[Phrase] | None = Field(default=None, max_length=50)
    sources: list[Phrase] | None = Field(default=None, max_length=100)
    min_severity: Severity | None = None
    mode: Literal["immediate", "digest"] | None = None
    digest_minutes: int | None = Field(default=None, ge=1, le=10080)
    quiet_hours: QuietHours | None = None

    @field_validator("quiet_hours")
    @classmethod
    def _zone(cls, value: QuietHours | None) -> QuietHours | None:
        if value is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(value.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone {value.timezone!r}") from None
        return value


class Channels(Filters):
    """Where alerts go: exactly one of these at creation; the same kind again to change it."""

    webhook: WebhookIn | None = Field(default=None, description="Signed Standard Webhooks POSTs")
    email: EmailIn | None = Field(default=None, description="Alert mails")
    slack: ChatWebhookIn | None = Field(default=None, description="Slack incoming webhook")
    teams: ChatWebhookIn | None = Field(
        default=None, description="Microsoft Teams workflow webhook (Power Automate)")
    discord: ChatWebhookIn | None = Field(default=None, description="Discord channel webhook")
    telegram: TelegramIn | None = Field(default=None, description="Telegram bot and chat")
    ntfy: NtfyIn | None = Field(default=None, description="ntfy topic")
    contact: EmailStr | None = Field(
        default=None, description="Address told when this subscription is disabled (default: "
        "the contact of your API key)")

    def channels(self) -> list[str]:
        return [c for c in CHANNEL_FIELDS if getattr(self, c) is not None]


class SubscriptionCreate(Channels):
    name: str = Field(min_length=1, max_length=200)
    labels: list[Label] = Field(min_length=1, description="Alert on any of these labels")

    @model_validator(mode="after")
    def _one_channel(self) -> SubscriptionCreate:
        if len(self.channels()) != 1:
            raise ValueError("give exactly one channel: " + ", ".join(CHANNEL_FIELDS))
        return self


class SubscriptionPatch(Channels):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    status: Literal["active", "paused"] | None = None


class TestFired(BaseModel):
    alert_id: str
    delivery_id: str | None
    status: str


class SecretRotated(BaseModel):
    secret: str
    previous_valid_until: datetime


class SubscriptionView(Subscription):
    feed_url: str | None = Field(default=None, description="Secret URL of this subscription's Atom "
                                 "feed, for feed readers: keep it to yourself")


class SubscriptionOut(SubscriptionView):
    secret: str | None = Field(default=None, description="whsec_ signing secret; shown only at creation")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionView]
    next_after: str | None = Field(description="Pass as ?after= to get the next page; null at the end")


class UpdatePush(Strict):
    source: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    headline: str | None = Field(default=None, max_length=1000)
    body: str = Field(min_length=1, max_length=100_000)
    url: str | None = Field(default=None, max_length=2000)
    published_at: datetime | None = None
    id: str | None = Field(default=None, max_length=150, pattern=r"^[A-Za-z0-9._:-]+$",
                           description="Your id for the entry; default: derived from source + headline")

    @field_validator("published_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("needs a timezone, e.g. 2024-10-18T15:19:00Z")
        return value


class UpdateAccepted(BaseModel):
    id: str
    revision: int
    status: str = Field(description="'published', 'revised' or 'unchanged'")


class SourceIn(Strict):
    """A source to poll; checked like a sources-file table (services.ingest.sources.SourceSpec)."""

    id: str = Field(description="Short stable name: letters, digits, '.', '_', '-'")
    url: str = Field(description="http(s) URL of the page or feed")
    kind: str = Field(default="auto", description="auto, jsonld, microdata, feed, text or html")
    interval: float = Field(default=30.0, description="Seconds between polls (0.2 to 86400)")


class SourceOut(BaseModel):
    id: str
    url: str
    kind: str
    interval: float
    origin: str = Field(description="'config' (sources file) or 'api'")
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_new_at: datetime | None = Field(default=None, description="When a new entry last appeared")
    consecutive_failures: int
    updates_found: int = Field(description="New entries found since the source was declared")
    last_error: str | None = Field(description="Last poll's error, or its parser warning")
    failing: bool = Field(description="Polls have failed for long (see services/ingest/health.py)")
    silent: bool = Field(description="Polls succeed but nothing new for longer than expected")


def error_body(loc: tuple[Any, ...], msg: str) -> dict[str, Any]:
    return {"detail": [{"loc": list(loc), "msg": msg, "type": "value_error"}]}


class StorySplit(Strict):
    """Which report to take out of a story."""

    update_id: str = Field(min_length=1, max_length=200, description="A report of the story")


class StoryOut(BaseModel):
    story_id: str
    members: list[Corroboration] = Field(description="Its reports, first first; each says why it joined")


class StorySplitDone(BaseModel):
    story_id: str = Field(description="The split report's own story (its update id)")
    update_id: str
    status: str = Field(description="'split': its alerts go out as for a new story")
