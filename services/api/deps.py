"""What every API route needs: the wired dependencies and the caller's identity."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from frontwire.config import Settings
from frontwire.timeutil import utcnow
from schemas.models import Update
from services.api.keys import ApiKeyStore

ADMIN = "admin"


@dataclass
class ApiDeps:
    settings: Settings
    engine: Engine
    publish: Callable[[list[Update]], None]
    registry: CollectorRegistry
    clock: Callable[[], datetime] = utcnow


def owner(request: Request) -> str:
    """The caller's identity from its bearer key; 401 without a valid one.

    The operator's FRONTWIRE_API_KEY is ADMIN; keys made with `frontwire apikey
    create` belong to their owner.
    """
    settings: Settings = request.app.state.settings
    keys: ApiKeyStore = request.app.state.api_keys
    header = request.headers.get("authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key:
        raise HTTPException(401, "missing API key: send 'Authorization: Bearer <key>'",
                            headers={"WWW-Authenticate": "Bearer"})
    expected = settings.api_key.get_secret_value() if settings.api_key else ""
    if expected and hmac.compare_digest(key.encode(), expected.encode()):
        return ADMIN
    who = keys.owner_of(key)
    if who is None:
        raise HTTPException(401, "wrong or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    return who


Owner = Annotated[str, Depends(owner)]


def scope(who: str) -> str | None:
    """The owner filter for queries: the admin sees everyone's."""
    return None if who == ADMIN else who
