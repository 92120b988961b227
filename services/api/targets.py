"""The chat and push targets of API requests (strict), and how they are stored.

A request carries the credentials in full (a Slack webhook URL, a Telegram bot
token, an ntfy token). ``placed`` splits a target into what is stored and shown
(``schemas.targets``, credentials masked), the credential (kept in the secret
column, like a webhook's signing secret) and the URLs the SSRF guard must pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from schemas.targets import ChatWebhookTarget, NtfyTarget, Target, TelegramTarget
from services.notify.masking import mask_secret, mask_url
from services.runtime.config import Settings


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


HttpUrl = Annotated[str, Field(max_length=2000), AfterValidator(_http_url)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChatWebhookIn(Strict):
    webhook_url: HttpUrl = Field(description="The webhook URL the service gave you (kept secret: "
                                 "shown back only as its host and last four characters)")


class TelegramIn(Strict):
    bot_token: str = Field(pattern=r"^\d{3,20}:[A-Za-z0-9_-]{30,60}$",
                           description="The token @BotFather gave the bot, e.g. 123456789:AAH…")
    chat_id: int | str = Field(description="Numeric chat id (groups and channels: -100…) or "
                               "@channelusername; the bot must be a member")
    api_url: HttpUrl | None = Field(default=None, description="A self-hosted Bot API server; "
                                    "default FRONTWIRE_TELEGRAM_API_URL")

    @field_validator("chat_id")
    @classmethod
    def _chat(cls, value: int | str) -> str:
        import re

        text = str(value).strip()
        if not re.fullmatch(r"-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31}", text):
            raise ValueError("must be a numeric chat id such as -1001234567890 or @channelname")
        return text


class NtfyIn(Strict):
    topic: str = Field(pattern=r"^[-_A-Za-z0-9]{1,64}$",
                       description="Topic to publish to (letters, digits, - and _)")
    url: HttpUrl | None = Field(default=None, description="ntfy server; default FRONTWIRE_NTFY_URL")
    token: str | None = Field(default=None, pattern=r"^[!-~]{1,200}$",
                              description="Access token (tk_…) for a protected topic")


@dataclass(frozen=True)
class Placed:
    target: Target
    secret: str | None
    urls: dict[str, str]  # field name -> URL the guard must allow


def placed(kind: str, body: ChatWebhookIn | TelegramIn | NtfyIn, settings: Settings) -> Placed:
    """What to store for a target of ``kind`` given in a request."""
    if isinstance(body, ChatWebhookIn):
        url = body.webhook_url
        return Placed(ChatWebhookTarget(webhook_url=mask_url(url)), url, {"webhook_url": url})
    if isinstance(body, TelegramIn):
        api = (body.api_url or settings.telegram_api_url).rstrip("/")
        return Placed(TelegramTarget(chat_id=str(body.chat_id), bot_token=mask_secret(body.bot_token),
                                     api_url=api), body.bot_token, {"api_url": api})
    url = (body.url or settings.ntfy_url).rstrip("/")
    token = mask_secret(body.token) if body.token else None
    return Placed(NtfyTarget(url=url, topic=body.topic, token=token), body.token, {"url": url})
