"""Telegram channel: the Bot API's ``sendMessage`` in HTML parse mode (https://core.telegram.org/bots/api#sendmessage).

POST ``{api_url}/bot<token>/sendMessage`` with ``chat_id``, ``text`` and
``parse_mode: HTML``; every piece of scraped text is escaped (``<``, ``>``, ``&``,
and ``"`` inside an href), so a headline can never open a tag. ``text`` may hold
4,096 characters: the evidence is cut to fit, the link never. Errors come as
``{"ok": false, "error_code", "description", "parameters": {"retry_after"}}``: a 429's
``retry_after`` is honoured; 401 (bad token), 403 (bot blocked or removed), 404, and
400 "chat not found" disable the subscription.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson

from schemas.models import Alert, Subscription
from services.notify.channels.base import SendResult
from services.notify.channels.content import Card, about, card, fit
from services.notify.channels.http import HttpRequest, target_of
from services.notify.channels.posting import Reply
from services.notify.channels.verdicts import chat_verdict

MAX_TEXT = 4096
_NUMERIC = re.compile(r"-?\d+")


def e(text: str) -> str:
    return html.escape(text, quote=False)


def a(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{e(label)}</a>'


def text(c: Card) -> str:
    lines = [f"<b>{e(c.title)}</b>", f"<i>{e(' · '.join(about(c)))}</i>"]
    if c.changes:
        lines.append("<b>What changed:</b> " + e("; ".join(c.changes)))
    for q in c.evidence:
        lines.append((f"<b>{e(q.label)}</b>\n" if q.label else "") + f"<blockquote>{e(q.text)}</blockquote>")
    lines += [e(fact) for fact in c.facts]
    for story in c.stories:
        head = a(story.link, story.headline) if story.link else e(story.headline)
        lines.append(f"• <b>{head}</b> ({e(', '.join(story.labels))}, {e(story.source)})"
                     + (f"\n<blockquote>{e(story.quote)}</blockquote>" if story.quote else ""))
    if c.link:
        lines.append(a(c.link, "Read the report") + f" ({e(c.source)})")
    return "\n".join(lines)


def length(value: str) -> int:
    """Telegram counts UTF-16 code units; the markup is counted too, to stay on the safe side."""
    return len(value.encode("utf-16-le")) // 2


def chat(chat_id: str) -> int | str:
    return int(chat_id) if _NUMERIC.fullmatch(chat_id) else chat_id


class TelegramFormat:
    channel = "telegram"

    def request(self, alert: Alert, subscription: Subscription, secrets: Sequence[str],
                now: datetime) -> HttpRequest:
        target = target_of(subscription, "telegram", secrets, "Telegram bot token")
        body = {"chat_id": chat(target.chat_id), "parse_mode": "HTML",
                "text": fit(card(alert), text, lambda t: length(t) <= MAX_TEXT),
                "link_preview_options": {"is_disabled": True}}
        return HttpRequest(f"{target.api_url.rstrip('/')}/bot{secrets[0]}/sendMessage",
                           orjson.dumps(body), {})

    def verdict(self, reply: Reply, now: datetime) -> SendResult:
        answer = _json(reply.body)
        parameters = answer.get("parameters") if isinstance(answer.get("parameters"), dict) else {}
        wait = parameters.get("retry_after") if parameters else None
        result = chat_verdict(reply, now, float(wait) if isinstance(wait, int | float) else None)
        description = str(answer.get("description") or "")
        if result.ok and answer.get("ok") is False:  # never seen, but not a delivery
            return SendResult(ok=False, retryable=True, status_code=reply.status,
                              error=f"Telegram answered ok=false: {description}")
        if reply.status == 400 and "chat not found" in description.lower():
            return replace(result, disable=True, error=f"{result.error} (destination disabled)")
        return result


def _json(body: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
