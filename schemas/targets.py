"""Where a subscription's alerts go: one target model per channel kind.

The chat and push targets carry credentials (a Slack, Teams or Discord webhook URL
is itself the key; a Telegram bot token; an ntfy access token). They are stored
apart, like a webhook's signing secret, and these models hold only a masked form
(``https://hooks.slack.com/…a1b2``): what the API and the console show back.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Channel = Literal["webhook", "email", "slack", "teams", "discord", "telegram", "ntfy"]
CHANNELS: tuple[Channel, ...] = ("webhook", "email", "slack", "teams", "discord", "telegram", "ntfy")
# The kinds whose target is a URL the subscriber gives (checked by the SSRF guard).
CHAT_WEBHOOKS: tuple[Channel, ...] = ("slack", "teams", "discord")

_MASKED = "masked: its host and last four characters only; the full value is stored apart"


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookTarget(Target):
    url: str = Field(description="http(s) URL that receives signed POSTs.")


class EmailTarget(Target):
    address: str = Field(description="Mailbox that receives the alerts.")


class ChatWebhookTarget(Target):
    """A Slack incoming webhook, a Teams workflow webhook or a Discord webhook."""

    webhook_url: str = Field(description=f"The webhook URL, {_MASKED}.")


class TelegramTarget(Target):
    chat_id: str = Field(description="Chat, group or channel id (-100…) or @channelusername.")
    bot_token: str = Field(description=f"The bot's token, {_MASKED}.")
    api_url: str = Field(description="Bot API server the messages go through.")


class NtfyTarget(Target):
    url: str = Field(description="ntfy server, e.g. https://ntfy.sh.")
    topic: str = Field(description="Topic the alerts are published to.")
    token: str | None = Field(default=None, description=f"Access token, if any, {_MASKED}.")
