"""What the chat channels reached at a webhook URL share (Slack, Teams, Discord).

The stored credential is the webhook URL itself; the message is a card rendered in
the service's shape and cut to its limits (``content.fit``); the answer is read by
``chat_verdict``. Each service module gives its renderer, its limits and, where it
has one, how its URL or its 429 body differ.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson

from schemas.models import Alert, Subscription
from services.notify.channels.base import SendResult
from services.notify.channels.content import Card, card, fit
from services.notify.channels.http import HttpRequest, target_of
from services.notify.channels.posting import Reply
from services.notify.channels.verdicts import chat_verdict

Message = dict[str, Any]


class ChatWebhookFormat:
    def __init__(self, channel: str, title: str, render: Callable[[Card], Message],
                 fits: Callable[[Message], bool], *, url: Callable[[str], str] = str,
                 retry_after: Callable[[bytes], float | None] = lambda _body: None) -> None:
        self.channel, self.title = channel, title
        self._render, self._fits, self._url, self._retry_after = render, fits, url, retry_after

    def request(self, alert: Alert, subscription: Subscription, secrets: Sequence[str],
                now: datetime) -> HttpRequest:
        target_of(subscription, self.channel, secrets, f"{self.title} webhook URL")
        message = fit(card(alert), self._render, self._fits)
        return HttpRequest(self._url(secrets[0]), orjson.dumps(message), {})

    def verdict(self, reply: Reply, now: datetime) -> SendResult:
        return chat_verdict(reply, now, self._retry_after(reply.body))
