"""Audit lines: one log line for every write through the API process (API routes and the
console's forms): the key's id (never its secret), its owner, the route and the outcome.

An ASGI middleware writes the line once the response has started, so refusals (401, 403,
429), invalid requests and failures are logged as well as successes. The route is the
route's template (``DELETE /v1/subscriptions/{sub_id}``), never the raw path, which can
carry a manage or unsubscribe token; the ids in the path are logged as the fields they are
(``subscription_id``, ``delivery_id``, ``source``). Logger ``frontwire.audit``, at INFO.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.scopes import Caller

log = logging.getLogger("frontwire.audit")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PATH_IDS = {"sub_id": "subscription_id", "delivery_id": "delivery_id", "source_id": "source"}


def outcome(status: int) -> str:
    """One word for how a request ended."""
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "denied"
    if status == 429:
        return "rate_limited"
    return "rejected" if status < 500 else "failed"


def audit_line(method: str, route: str, status: int, caller: Caller | None,
               path_params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The audit line's message and its fields (the ``extra`` of the log record)."""
    key_id, owner = (caller.key_id, caller.owner) if caller else ("-", "-")
    fields: dict[str, Any] = {"key_id": key_id, "owner": owner, "route": f"{method} {route}",
                              "status": status, "outcome": outcome(status)}
    for param, field in PATH_IDS.items():
        if param in path_params:
            fields[field] = str(path_params[param])
    message = (f"audit: {method} {route} by key {key_id} (owner {owner}): "
               f"{status} {fields['outcome']}")
    return message, fields


class AuditLog:
    """ASGI middleware that logs one audit line per write request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})  # where routes leave the caller (request.state)
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "(no route)"
            message, fields = audit_line(scope["method"], template, status, state.get("caller"),
                                         scope.get("path_params") or {})
            log.info(message, extra=fields)
