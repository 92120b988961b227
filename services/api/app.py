"""The HTTP API (FastAPI): subscriptions, push ingestion, sources, deliveries, ops endpoints.

Every /v1 route needs ``Authorization: Bearer <key>``, and most a scope of that key
(services/api/scopes.py); writes count against the key's rate limit, and each write is
logged as an audit line (services/api/audit.py). Request bodies are strict: an unknown
field, a bad label, URL or address is a 422 that names the field.

``/docs`` is FastAPI's Swagger UI, whose script and stylesheet FastAPI links from a CDN
(cdn.jsdelivr.net): without internet access the page is blank. No installed package
ships the Swagger UI files to serve them locally, so it is left so (README, "Subscribe");
``/openapi.json`` is always served locally.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from kafka.errors import KafkaError
from sqlalchemy.exc import OperationalError

from services.api import console
from services.api.audit import AuditLog
from services.api.deps import ApiDeps
from services.api.keys import ApiKeyStore
from services.api.ratelimit import KeyLimits
from services.api.routes import (
    deliveries,
    feeds,
    ops,
    sources,
    stories,
    subscriptions,
    unsubscribe,
    updates,
)

log = logging.getLogger("frontwire.api")

__all__ = ["ApiDeps", "create_app"]


def create_app(deps: ApiDeps) -> FastAPI:
    app = FastAPI(title="frontwire API", version="1.0",
                  description="Subscribe to labelled live-blog alerts, push updates, watch sources.")
    app.state.settings = deps.settings
    app.state.clock = deps.clock
    app.state.api_keys = ApiKeyStore(deps.engine)
    app.state.key_limits = KeyLimits(deps.settings.api_writes_per_minute,
                                     deps.settings.api_updates_per_minute, deps.registry)
    app.add_middleware(AuditLog)

    @app.exception_handler(OperationalError)
    async def db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc.orig)
        return JSONResponse({"detail": "database unavailable, try again shortly"}, status_code=503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(KafkaError)
    async def broker_down(_request: Request, exc: KafkaError) -> JSONResponse:
        log.warning("message broker unavailable: %s", exc)
        return JSONResponse({"detail": "message broker unavailable, try again shortly"},
                            status_code=503, headers={"Retry-After": "5"})

    for module in (subscriptions, deliveries, feeds, updates, sources, stories, unsubscribe, ops):
        app.include_router(module.router(deps))
    app.include_router(console.router(deps))  # the web console at /
    app.mount("/static", StaticFiles(directory=console.static_dir()), name="static")
    return app
