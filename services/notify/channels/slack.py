"""Slack channel: a Block Kit message to an incoming webhook (https://api.slack.com/messaging/webhooks).

The stored secret is the webhook URL itself. Limits (Slack's Block Kit reference):
at most 50 blocks, a header's text 150 characters, a section's text 3,000; the
evidence is cut to fit, the link never. Slack answers 200 ``ok``; 429 with
Retry-After when rate limited; 404 ``no_service``, 403 ``invalid_token`` or 410
``channel_is_archived`` when the webhook is gone, which disables the subscription.
"""

from __future__ import annotations

from typing import Any

from services.notify.channels.chat import ChatWebhookFormat
from services.notify.channels.content import Card, about, clip

MAX_BLOCKS, HEADER_CHARS, SECTION_CHARS, FALLBACK_CHARS = 50, 150, 3000, 300
MAX_STORIES = 45  # a digest's sections, leaving room for the header, context and a last line

Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's mrkdwn escapes: &, < and > only (https://api.slack.com/reference/surfaces/formatting)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    # "|" and ">" end a <url|label> link early: percent-encode them in the URL.
    safe = url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{safe}|{escape(label)}>"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def blocks(c: Card) -> list[Block]:
    """The Block Kit blocks of a card, uncut."""
    out: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(c.title, HEADER_CHARS),
                                    "emoji": False}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(" · ".join(about(c)))}]}]
    if c.changes:
        out.append(_section("*What changed:* " + escape("; ".join(c.changes))))
    if c.evidence:
        out.append(_section("\n".join(
            (f"*{escape(q.label)}*\n" if q.label else "") + f">{escape(q.text)}" for q in c.evidence)))
    if c.facts:
        out.append(_section("\n".join(f"• {escape(line)}" for line in c.facts)))
    for story in c.stories[:MAX_STORIES]:
        head = link(story.link, story.headline) if story.link else escape(story.headline)
        text = f"*{head}*\n{escape(', '.join(story.labels))} · {escape(story.source)}"
        out.append(_section(text + (f"\n>{escape(story.quote)}" if story.quote else "")))
    if len(c.stories) > MAX_STORIES:
        out.append(_section(f"…and {len(c.stories) - MAX_STORIES} more stories"))
    if c.link:
        out.append(_section(f"{link(c.link, 'Read the report')} ({escape(c.source)})"))
    return out


def payload(c: Card) -> dict[str, Any]:
    # "text" is what notifications and screen readers show beside the blocks.
    return {"text": clip(f"[{', '.join(c.labels)}] {c.title}", FALLBACK_CHARS), "blocks": blocks(c)}


def within_limits(message: dict[str, Any]) -> bool:
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    return len(message["blocks"]) <= MAX_BLOCKS and all(len(t) <= SECTION_CHARS for t in sections)


class SlackFormat(ChatWebhookFormat):
    def __init__(self) -> None:
        super().__init__("slack", "Slack", payload, within_limits)
