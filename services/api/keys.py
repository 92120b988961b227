"""API keys: created for an owner, shown once, stored only as a hash, revocable.

A key looks like ``fwk_<id>.<secret>``; the id finds the row, the secret's
SHA-256 is compared in constant time. The operator's ``FRONTWIRE_API_KEY`` is the
admin key: it sees every owner's subscriptions.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update

from frontwire.db import api_keys
from frontwire.timeutil import aware

PREFIX = "fwk_"


@dataclass(frozen=True)
class ApiKey:
    id: str
    owner: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    contact: str | None = None  # told when one of the owner's subscriptions is disabled


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, owner: str, name: str, now: datetime,
               contact: str | None = None) -> tuple[ApiKey, str]:
        """A new key for ``owner``; returns it with the full token (shown once)."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(id=key_id, owner=owner, name=name, contact=contact,
                                                 hash=_digest(secret), created_at=now))
        return ApiKey(key_id, owner, name, now, None, contact), f"{PREFIX}{key_id}.{secret}"

    def owner_of(self, token: str) -> str | None:
        """The owner of a valid, unrevoked token; None otherwise."""
        if not token.startswith(PREFIX) or "." not in token:
            return None
        key_id, _, secret = token[len(PREFIX):].partition(".")
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
        if row is None or row["revoked_at"] is not None:
            return None
        return str(row["owner"]) if hmac.compare_digest(row["hash"], _digest(secret)) else None

    def list(self, owner: str | None = None) -> list[ApiKey]:
        query = select(api_keys).order_by(api_keys.c.created_at)
        if owner is not None:
            query = query.where(api_keys.c.owner == owner)
        with self.engine.connect() as conn:
            return [ApiKey(r["id"], r["owner"], r["name"], aware(r["created_at"]),
                           aware(r["revoked_at"]), r["contact"]) for r in conn.execute(query).mappings()]

    def revoke(self, key_id: str, now: datetime) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(update(api_keys).where(api_keys.c.id == key_id)
                                     .values(revoked_at=now)).rowcount)

