"""Microsoft Teams channel: an Adaptive Card to a workflow webhook.

Teams' Office 365 connectors (incoming webhooks) are retired; a Teams channel now
takes webhooks through a Power Automate workflow ("Post to a channel when a webhook
request is received"), which expects a ``message`` whose attachment is an Adaptive
Card (https://learn.microsoft.com/en-us/connectors/teams/#microsoft-teams-webhook).
The stored secret is the workflow URL, whose ``sig`` parameter is its key. Teams
takes messages up to about 28 KB; the evidence is cut to fit, the link never. The
workflow answers 202 Accepted; 401, 403 or 404 mean the flow or its key is gone.
"""

from __future__ import annotations

from typing import Any

import orjson

from services.notify.channels.chat import ChatWebhookFormat
from services.notify.channels.content import Card, about

MAX_BYTES = 27 * 1024  # under Teams' ~28 KB message limit, with room for its own wrapping
CARD_VERSION = "1.4"   # what Teams renders (https://adaptivecards.io/designer, host Teams)
COLOURS = {"low": "Default", "medium": "Warning", "high": "Attention", "critical": "Attention"}


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def adaptive_card(c: Card) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        _text(c.title, size="Medium", weight="Bolder", color=COLOURS.get(c.severity, "Default")),
        _text(" · ".join(about(c)), isSubtle=True, spacing="None")]
    if c.changes:
        body.append(_text("What changed: " + "; ".join(c.changes)))
    for q in c.evidence:
        body.append(_text((f"{q.label}: " if q.label else "") + f"“{q.text}”", separator=True))
    if c.facts:
        body.append({"type": "FactSet", "facts": [
            {"title": title, "value": value} for title, _, value in
            (line.partition(": ") for line in c.facts)]})
    for story in c.stories:
        head = f"[{story.headline}]({story.link})" if story.link else story.headline
        body.append(_text(f"**{head}** · {', '.join(story.labels)} · {story.source}", separator=True))
        if story.quote:
            body.append(_text(f"“{story.quote}”", isSubtle=True, spacing="None"))
    out: dict[str, Any] = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                           "type": "AdaptiveCard", "version": CARD_VERSION, "body": body}
    if c.link:
        out["actions"] = [{"type": "Action.OpenUrl", "title": "Read the report", "url": c.link}]
    return out


def payload(c: Card) -> dict[str, Any]:
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
        "content": adaptive_card(c)}]}


def within_limits(message: dict[str, Any]) -> bool:
    return len(orjson.dumps(message)) <= MAX_BYTES


class TeamsFormat(ChatWebhookFormat):
    def __init__(self) -> None:
        super().__init__("teams", "Teams workflow", payload, within_limits)
