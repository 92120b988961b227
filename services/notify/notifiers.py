"""The HTTP delivery channels as notify runs them: one ``Notifier`` per channel kind.

The HTTP channels post through aiohttp's connection pool, whose resolver refuses,
when it connects, addresses the guard does not allow (channels/posting.py); each
channel has its own pool.
"""

from __future__ import annotations

from services.notify.channels.base import Notifier
from services.notify.channels.discord import DiscordFormat
from services.notify.channels.http import Format, HttpNotifier
from services.notify.channels.ntfy import NtfyFormat
from services.notify.channels.posting import AiohttpPoster
from services.notify.channels.slack import SlackFormat
from services.notify.channels.teams import TeamsFormat
from services.notify.channels.telegram import TelegramFormat
from services.notify.channels.webhook import WebhookNotifier
from services.notify.guard import NetworkGuard

USER_AGENT = "frontwire-notify/0.1 (+https://github.com/frontwire/frontwire)"
FORMATS: tuple[Format, ...] = (SlackFormat(), TeamsFormat(), DiscordFormat(), TelegramFormat(),
                               NtfyFormat())


def webhook_notifier(guard: NetworkGuard, timeout: float = 10.0) -> WebhookNotifier:
    """The webhook channel as notify runs it."""
    return WebhookNotifier(AiohttpPoster(guard), guard, USER_AGENT, timeout)


def http_notifiers(guard: NetworkGuard, *, timeout: float = 10.0) -> dict[str, Notifier]:
    """Channel kind -> its notifier, for every channel but email; ``aclose`` each when done."""
    out: dict[str, Notifier] = {"webhook": webhook_notifier(guard, timeout)}
    for fmt in FORMATS:
        out[fmt.channel] = HttpNotifier(fmt, AiohttpPoster(guard), guard, USER_AGENT, timeout)
    return out
