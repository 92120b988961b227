"""Discord channel: an embed posted to a channel webhook (https://discord.com/developers/docs/resources/webhook).

The stored secret is the webhook URL; ``?wait=true`` makes Discord answer 200 once the
message is posted (and say why when it is not), instead of 204 before it knows.
Embed limits (Discord's reference): title 256 characters, description 4,096, 25
fields of 1,024, footer 2,048, and 6,000 in all; the evidence is cut to fit, the
link never. Mentions are switched off, so no scraped text pings @everyone. A 429
carries Retry-After and ``retry_after`` in the body; 401 or 404 (``Unknown Webhook``)
disables the subscription.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from services.notify.channels.chat import ChatWebhookFormat
from services.notify.channels.content import Card, about, clip

TITLE, DESCRIPTION, FIELD_VALUE, FOOTER, TOTAL = 256, 4096, 1024, 2048, 6000
COLOURS = {"low": 0x607D8B, "medium": 0xF9A825, "high": 0xEF6C00, "critical": 0xC62828}


def escape(text: str) -> str:
    """Discord markdown characters taken literally."""
    for ch in "\\*_~`|>[]#":
        text = text.replace(ch, "\\" + ch)
    return text


def embed(c: Card) -> dict[str, Any]:
    lines: list[str] = []
    if c.changes:
        lines += ["**What changed:** " + escape("; ".join(c.changes)), ""]
    lines += [(f"**{escape(q.label)}**\n" if q.label else "") + f"> {escape(q.text)}" for q in c.evidence]
    for story in c.stories:
        head = f"[{escape(story.headline)}]({story.link})" if story.link else escape(story.headline)
        lines.append(f"**{head}** · {escape(', '.join(story.labels))} · {escape(story.source)}"
                     + (f"\n> {escape(story.quote)}" if story.quote else ""))
    if c.link:
        lines += ["", f"[Read the report]({c.link}) ({escape(c.source)})"]
    out: dict[str, Any] = {"title": clip(c.title, TITLE), "description": "\n".join(lines),
                           "color": COLOURS.get(c.severity, COLOURS["low"]),
                           "footer": {"text": clip(" · ".join(about(c)), FOOTER)},
                           "timestamp": c.when.isoformat()}
    if c.link:
        out["url"] = c.link
    if c.facts:
        out["fields"] = [{"name": "Facts", "value": clip("\n".join(c.facts), FIELD_VALUE)}]
    return out


def payload(c: Card) -> dict[str, Any]:
    return {"username": "frontwire", "allowed_mentions": {"parse": []}, "embeds": [embed(c)]}


def within_limits(message: dict[str, Any]) -> bool:
    e = message["embeds"][0]
    texts = [e["title"], e["description"], e["footer"]["text"],
             *(f["name"] + f["value"] for f in e.get("fields", []))]
    return len(e["description"]) <= DESCRIPTION and sum(len(t) for t in texts) <= TOTAL


def waiting(url: str) -> str:
    """The webhook URL with ``wait=true`` added to any query it has (e.g. ``thread_id``)."""
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, "wait=true") if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class DiscordFormat(ChatWebhookFormat):
    def __init__(self) -> None:
        super().__init__("discord", "Discord", payload, within_limits, url=waiting,
                         retry_after=_retry_after)


def _retry_after(body: bytes) -> float | None:
    try:
        value = orjson.loads(body).get("retry_after")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None
