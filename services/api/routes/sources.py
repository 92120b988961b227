"""Source routes: declare, list, inspect and remove the sources ingest polls, with their health.

Sources are shared by everyone, so only keys with the ``sources`` scope (and the
operator's key) may add or remove them; any key may read them. Ingest picks changes up within seconds (it re-reads the
table). Sources from the sources file are owned by that file: the API refuses to
replace or delete them, since the next ingest start would bring them back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Response
from fastapi.exceptions import RequestValidationError

from services.api.bodies import SourceIn, SourceOut
from services.api.deps import REFUSALS, AnyKey, ApiDeps, SourcesKey
from services.ingest.health import flags
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState, SourceHealth


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["sources"], responses=REFUSALS)
    ingest = IngestState(deps.engine)

    @router.post("/sources", status_code=201, response_model=SourceOut,
                 responses={200: {"description": "The same source was already declared"},
                            409: {"description": "Another source has this id"}})
    def add_source(body: SourceIn, _who: SourcesKey, response: Response) -> SourceOut:
        try:
            spec = SourceSpec.model_validate(body.model_dump())
        except ValueError as exc:
            raise RequestValidationError(_errors(exc)) from None
        if urlsplit(spec.url).scheme not in ("http", "https"):
            # A file path would let an API caller publish any file ingest can read.
            raise RequestValidationError([{"loc": ("body", "url"), "type": "value_error",
                                           "msg": "the API takes http(s) URLs only; declare local "
                                                  "files in the sources file"}])
        existing = ingest.source(spec.id)
        if existing is not None:
            if existing.spec != spec or existing.origin != "api":
                raise HTTPException(409, f"source {spec.id!r} already exists ({existing.origin}); "
                                         "delete it first or choose another id")
            response.status_code = 200  # a retried POST: same source, nothing to do
            return _source_out(existing, deps.clock())
        ingest.upsert_source(spec, "api", deps.clock())
        health = ingest.source(spec.id)
        assert health is not None
        return _source_out(health, deps.clock())

    @router.get("/sources", response_model=list[SourceOut])
    def list_sources(_who: AnyKey) -> list[SourceOut]:
        now = deps.clock()
        return [_source_out(h, now) for h in ingest.sources()]

    @router.get("/sources/{source_id}", response_model=SourceOut)
    def get_source(source_id: str, _who: AnyKey) -> SourceOut:
        health = ingest.source(source_id)
        if health is None:
            raise HTTPException(404, f"no source {source_id!r}")
        return _source_out(health, deps.clock())

    @router.delete("/sources/{source_id}", status_code=204)
    def delete_source(source_id: str, _who: SourcesKey) -> Response:
        health = ingest.source(source_id)
        if health is None:
            raise HTTPException(404, f"no source {source_id!r}")
        if health.origin == "config":
            raise HTTPException(409, f"source {source_id!r} is declared in the sources file; "
                                     "remove it there and restart ingest")
        ingest.remove_source(source_id)
        return Response(status_code=204)

    return router


def _errors(exc: ValueError) -> list[dict[str, Any]]:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return [{"loc": ("body", *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors()]
    return [{"loc": ("body",), "msg": str(exc), "type": "value_error"}]


def _source_out(h: SourceHealth, now: datetime) -> SourceOut:
    spec, flagged = h.spec, flags(h, now)
    return SourceOut(id=spec.id, url=spec.url, kind=spec.kind, interval=spec.interval, origin=h.origin,
                     last_success_at=h.last_success_at, last_attempt_at=h.last_attempt_at,
                     last_new_at=h.last_new_at, consecutive_failures=h.consecutive_failures,
                     updates_found=h.updates_found, last_error=h.last_error,
                     failing=flagged.failing, silent=flagged.silent)
