"""Masked forms of credentials: what the API, the console and error texts show of them.

A Slack, Teams or Discord webhook URL is itself a credential, and so are a Telegram
bot token and an ntfy access token. They are stored apart (like a webhook's signing
secret) and shown back only as their host and last four characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

SHOWN = 4


def mask_secret(value: str) -> str:
    """``…wxyz``: enough to tell two secrets apart, nothing to use."""
    return "…" + value[-SHOWN:] if len(value) > 2 * SHOWN else "…"


def mask_url(url: str) -> str:
    """``https://hooks.slack.com/…wxyz``: the scheme and host, and the last four characters."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]  # never show user:password@
    return f"{parts.scheme}://{host}/{mask_secret(url)}" if host else mask_secret(url)


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every secret in it masked (error texts may quote a URL or a path)."""
    for secret in secrets:
        if secret and len(secret) >= 8 and secret in text:
            text = text.replace(secret, mask_secret(secret))
    return text
