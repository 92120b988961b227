"""Signed unsubscribe tokens: the link in every email, usable without logging in.

A token is ``<subscription id, base64url>.<HMAC-SHA256 tag, base64url>``. It does
not expire: an unsubscribe link in an old email must still work (RFC 8058), and
all it can do is unsubscribe that one subscription. Rotating the key revokes
every outstanding link.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

# Domain separation, so a tag made with the same key for another purpose never verifies here.
_PURPOSE = b"frontwire-unsubscribe-v1\x00"
_TAG_BYTES = 16  # 128-bit tag: unforgeable, and keeps the URL short


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(subscription_id: bytes, key: bytes) -> bytes:
    return hmac.new(key, _PURPOSE + subscription_id, hashlib.sha256).digest()[:_TAG_BYTES]


def unsubscribe_token(subscription_id: str, key: bytes) -> str:
    """A URL-safe token naming ``subscription_id``, signed with ``key``."""
    if not key:
        raise ValueError("unsubscribe token key must not be empty")
    sid = subscription_id.encode("utf-8")
    return f"{_b64(sid)}.{_b64(_tag(sid, key))}"


def verify_unsubscribe_token(token: str, key: bytes) -> str | None:
    """The subscription id if ``token`` was signed with ``key``, else None."""
    if not key or token.count(".") != 1:
        return None
    sid_part, tag_part = token.split(".")
    try:
        sid, tag = _unb64(sid_part), _unb64(tag_part)
        if not hmac.compare_digest(tag, _tag(sid, key)):
            return None
        return sid.decode("utf-8")
    except (binascii.Error, ValueError):
        return None


# Links of the web console. Same format, other purposes: an unsubscribe token never
# opens a manage page, and a manage token never confirms a pending subscription.
_MANAGE = b"frontwire-manage-v1\x00"
_CONFIRM = b"frontwire-confirm-v1\x00"


def _sign(purpose: bytes, payload: str, key: bytes) -> str:
    if not key:
        raise ValueError("link token key must not be empty")
    raw = payload.encode("utf-8")
    return f"{_b64(raw)}.{_b64(hmac.new(key, purpose + raw, hashlib.sha256).digest()[:_TAG_BYTES])}"


def _open(purpose: bytes, token: str, key: bytes) -> str | None:
    if not key or token.count(".") != 1:
        return None
    raw_part, tag_part = token.split(".")
    try:
        raw, tag = _unb64(raw_part), _unb64(tag_part)
        if not hmac.compare_digest(tag, hmac.new(key, purpose + raw, hashlib.sha256).digest()[:_TAG_BYTES]):
            return None
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def manage_token(subscription_id: str, key: bytes) -> str:
    """The token of the manage page link in every email: opens that one subscription only."""
    return _sign(_MANAGE, subscription_id, key)


def verify_manage_token(token: str, key: bytes) -> str | None:
    return _open(_MANAGE, token, key)


def confirm_token(subscription_id: str, expires_at: int, key: bytes) -> str:
    """The double opt-in link: confirms ``subscription_id`` until ``expires_at`` (Unix seconds)."""
    return _sign(_CONFIRM, f"{subscription_id}|{expires_at}", key)


def verify_confirm_token(token: str, key: bytes, now: float) -> str | None:
    """The subscription id of a valid, unexpired confirm token, else None."""
    payload = _open(_CONFIRM, token, key)
    sid, _, expires = (payload or "").rpartition("|")
    if not sid or not expires.isdigit() or int(expires) < now:
        return None
    return sid


_FEED = b"frontwire-feed-v1\x00"


def feed_token(subscription_id: str, key: bytes) -> str:
    """The secret part of a subscription's Atom feed URL: reads that one feed, nothing else."""
    return _sign(_FEED, subscription_id, key)


def verify_feed_token(token: str, key: bytes) -> str | None:
    return _open(_FEED, token, key)
