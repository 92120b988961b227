"""Operational endpoints: liveness, readiness (database and broker reachable), Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from services.api.deps import ApiDeps
from services.runtime.db import ping


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok\n")

    @router.get("/readyz", include_in_schema=False)
    def readyz(request: Request) -> PlainTextResponse:
        broker = getattr(request.app.state, "broker_check", None)  # set by `frontwire serve api`
        problem = "; ".join(p for p in (ping(deps.engine), broker() if broker else None) if p)
        return PlainTextResponse(f"{problem or 'ready'}\n", status_code=503 if problem else 200)

    @router.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(deps.registry), media_type=CONTENT_TYPE_LATEST)

    return router
