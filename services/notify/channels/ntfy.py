"""ntfy channel: a JSON publish to an ntfy server (https://docs.ntfy.sh/publish/#publish-as-json).

POST the server's root with ``{"topic", "title", "message", "priority", "tags",
"click", "actions"}``; an access token, when the subscription has one, goes in
``Authorization: Bearer``. The priority follows the severity (low 2, medium 3, high 4,
critical 5) and the tags are the matched labels. ntfy keeps messages up to 4,096
bytes (longer ones turn into attachments): the evidence is cut to fit, the link
(``click`` and a "view" action) never. 401 or 403 mean the token no longer works.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from schemas.models import Alert, Subscription
from services.notify.channels.base import SendResult
from services.notify.channels.content import Card, about, card, clip, fit
from services.notify.channels.http import HttpRequest, target_of
from services.notify.channels.posting import Reply
from services.notify.channels.verdicts import chat_verdict

MAX_MESSAGE = 4096  # bytes, ntfy's default message-size-limit
TITLE = 250
PRIORITY = {"low": 2, "medium": 3, "high": 4, "critical": 5}


def message(c: Card) -> str:
    lines = [" · ".join(about(c))]
    if c.changes:
        lines.append("What changed: " + "; ".join(c.changes))
    lines += [(f"{q.label}: " if q.label else "") + f"“{q.text}”" for q in c.evidence]
    lines += list(c.facts)
    for story in c.stories:
        lines.append(f"• {story.headline} ({', '.join(story.labels)}, {story.source})"
                     + (f" {story.link}" if story.link else ""))
    if c.link:
        lines.append(c.link)
    return "\n".join(lines)


def publish(c: Card, topic: str) -> dict[str, Any]:
    out: dict[str, Any] = {"topic": topic, "title": clip(c.title, TITLE), "message": message(c),
                           "priority": PRIORITY.get(c.severity, 3), "tags": list(c.labels)}
    if c.link:
        out["click"] = c.link
        out["actions"] = [{"action": "view", "label": "Read the report", "url": c.link}]
    return out


class NtfyFormat:
    channel = "ntfy"

    def request(self, alert: Alert, subscription: Subscription, secrets: Sequence[str],
                now: datetime) -> HttpRequest:
        target = target_of(subscription, "ntfy", secrets,
                           "ntfy access token" if subscription.ntfy and subscription.ntfy.token else None)
        body = fit(card(alert), lambda c: publish(c, target.topic),
                   lambda p: len(p["message"].encode()) <= MAX_MESSAGE)
        headers = {"authorization": f"Bearer {secrets[0]}"} if target.token and secrets else {}
        return HttpRequest(target.url.rstrip("/") + "/", orjson.dumps(body), headers)

    def verdict(self, reply: Reply, now: datetime) -> SendResult:
        return chat_verdict(reply, now)
