"""API keys: made for an owner with scopes, an optional expiry and an optional contact address,
shown once, stored only as a hash, revocable; the time of their last use kept to the minute.

A key looks like ``fwk_<id>.<secret>``; the id finds the row, the secret's SHA-256 is
compared in constant time. What a key may do is its scopes (services/api/scopes.py).
Recording each use would be a write on every request, so ``last_used_at`` is written only
when the stored one is a minute old or more: at most one write a minute per key, and a
conditional one, so several API processes do not each write it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, RowMapping, insert, or_, select, update

from services.api.scopes import (
    DEFAULT_SCOPES,
    OPERATOR_OWNER,
    Caller,
    Scope,
    format_scopes,
    parse_scopes,
)
from services.runtime.db import api_keys
from services.runtime.timeutil import aware

PREFIX = "fwk_"
LAST_USED_EVERY = timedelta(minutes=1)
# Owners whose subscriptions are not a team's own: the operator's, and the console's email
# sign-ups. A key for them would see those; an all-owners key is `--scope admin` instead.
RESERVED_OWNERS = (OPERATOR_OWNER, "console")


class KeyRefused(Exception):
    """A token that is not a usable key; the message says why, and never holds the secret."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    owner: str
    name: str
    created_at: datetime
    revoked_at: datetime | None = None
    scopes: frozenset[Scope] = DEFAULT_SCOPES
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    contact: str | None = None  # told when one of the owner's subscriptions is disabled

    def state(self, now: datetime) -> Literal["active", "revoked", "expired"]:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def caller(self) -> Caller:
        return Caller(self.id, self.owner, self.scopes)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(row: RowMapping) -> ApiKey:
    return ApiKey(row["id"], row["owner"], row["name"], aware(row["created_at"]),
                  aware(row["revoked_at"]), parse_scopes(row["scopes"]), aware(row["expires_at"]),
                  aware(row["last_used_at"]), row["contact"])


class ApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, owner: str, name: str, now: datetime,
               scopes: Iterable[Scope] = DEFAULT_SCOPES,
               expires_at: datetime | None = None, *,
               contact: str | None = None) -> tuple[ApiKey, str]:
        """A new key for ``owner``; returns it with the full token (shown once). ``contact``
        is an email address told when one of the owner's subscriptions is disabled.

        ValueError for a reserved owner, no scope, or an expiry that is already past.
        """
        chosen = frozenset(scopes)
        if owner.strip().lower() in RESERVED_OWNERS:
            raise ValueError(f"owner {owner!r} is reserved ({', '.join(RESERVED_OWNERS)}); for a "
                             "key that sees every owner, give it --scope admin")
        if not chosen:
            raise ValueError("a key needs at least one scope")
        if expires_at is not None and expires_at <= now:
            raise ValueError(f"expiry {expires_at:%Y-%m-%d %H:%M} UTC is already past")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(
                id=key_id, owner=owner, name=name, hash=_digest(secret), created_at=now,
                scopes=format_scopes(chosen), expires_at=expires_at, contact=contact))
        key = ApiKey(key_id, owner, name, now, None, chosen, expires_at, contact=contact)
        return key, f"{PREFIX}{key_id}.{secret}"

    def authenticate(self, token: str, now: datetime) -> ApiKey:
        """The active key ``token`` names, its use recorded (to the minute); KeyRefused if
        the token is wrong, or names a revoked or expired key."""
        key_id, _, secret = token.removeprefix(PREFIX).partition(".")
        if not token.startswith(PREFIX) or not secret:
            raise KeyRefused("wrong API key")
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
        if row is None or not hmac.compare_digest(row["hash"], _digest(secret)):
            raise KeyRefused("wrong API key")
        key = _key(row)
        state = key.state(now)
        if state == "revoked":
            raise KeyRefused(f"API key {key.id} was revoked")
        if state == "expired":
            assert key.expires_at is not None
            raise KeyRefused(f"API key {key.id} expired at {key.expires_at:%Y-%m-%d %H:%M} UTC; "
                             "ask the operator for a new one")
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
            self._touch(key.id, now)
        return key

    def _touch(self, key_id: str, now: datetime) -> None:
        used = api_keys.c.last_used_at
        with self.engine.begin() as conn:
            conn.execute(update(api_keys)
                         .where(api_keys.c.id == key_id,
                                or_(used.is_(None), used <= now - LAST_USED_EVERY))
                         .values(last_used_at=now))

    def list(self, owner: str | None = None) -> list[ApiKey]:
        query = select(api_keys).order_by(api_keys.c.created_at)
        if owner is not None:
            query = query.where(api_keys.c.owner == owner)
        with self.engine.connect() as conn:
            return [_key(row) for row in conn.execute(query).mappings()]

    def revoke(self, key_id: str, now: datetime) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(update(api_keys).where(api_keys.c.id == key_id)
                                     .values(revoked_at=now)).rowcount)

