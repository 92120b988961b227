"""What every API route needs: the wired dependencies, and the caller, checked.

A route declares what it needs as one of the Caller types below. The check runs in this
order: a valid key (401: missing, wrong, revoked or expired), the scope (403, naming the
scope that is missing), then, for writes, the key's rate limit (429 with Retry-After).
The caller is left in the request's state for the audit line (services/api/audit.py).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from schemas.models import Update
from services.api.keys import ApiKeyStore, KeyRefused
from services.api.ratelimit import KeyLimits, Limit
from services.api.scopes import Caller, Scope, operator
from services.runtime.config import Settings
from services.runtime.timeutil import utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}
# What the OpenAPI description says about the refusals every keyed route can give.
REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No key, or a wrong, revoked or expired one"},
    403: {"description": "The key lacks the scope this route needs; the detail names it"},
    429: {"description": "The key's rate limit is used up; Retry-After says for how long"},
}


@dataclass
class ApiDeps:
    settings: Settings
    engine: Engine
    publish: Callable[[list[Update]], None]
    registry: CollectorRegistry
    clock: Callable[[], datetime] = utcnow


def identify(token: str, settings: Settings, keys: ApiKeyStore, now: datetime) -> Caller:
    """The caller a bearer token stands for: the operator (admin) or a stored key.

    KeyRefused says why a token is refused (never repeating it).
    """
    expected = settings.api_key.get_secret_value() if settings.api_key else ""
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return operator()
    return keys.authenticate(token, now).caller


def authorize(needed: Scope | None, what: str, limit: Limit = "writes") -> Callable[..., Caller]:
    """A dependency: the caller, with a valid key and the ``needed`` scope, within its limit.

    ``what`` names the action in the 403 message ("pushing updates"); ``limit`` is the
    per-key limit a write through this route counts against (reads count against none).
    """
    def dependency(request: Request) -> Caller:
        state = request.app.state
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, "missing API key: send 'Authorization: Bearer <key>'",
                                headers=UNAUTHORIZED)
        try:
            caller = identify(token, state.settings, state.api_keys, state.clock())
        except KeyRefused as exc:
            raise HTTPException(401, str(exc), headers=UNAUTHORIZED) from None
        request.state.caller = caller
        if needed is not None and not caller.may(needed):
            raise HTTPException(403, caller.lacks(needed, what))
        if request.method not in SAFE_METHODS:
            limits: KeyLimits = state.key_limits
            wait = limits.retry_after(caller.key_id, limit)
            if wait:
                raise HTTPException(
                    429, f"API key {caller.key_id} made more than {limits.per_minute[limit]} "
                         f"{limit} in a minute; try again in {wait} s",
                    headers={"Retry-After": str(wait)})
        return caller

    return dependency


AnyKey = Annotated[Caller, Depends(authorize(None, "this"))]
SubscriptionsKey = Annotated[Caller, Depends(authorize(
    Scope.SUBSCRIPTIONS, "managing subscriptions and their deliveries"))]
PublishKey = Annotated[Caller, Depends(authorize(Scope.PUBLISH, "pushing updates", "updates"))]
SourcesKey = Annotated[Caller, Depends(authorize(Scope.SOURCES, "adding or removing sources"))]
