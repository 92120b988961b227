"""Push ingestion: other systems post updates; they join the stream like polled ones.

A pushed update reaches every subscriber of every owner, so it needs a key with the
``publish`` scope (or the operator's key), and counts against the key's update limit.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter
from prometheus_client import Counter

from services.api.bodies import UpdateAccepted, UpdatePush
from services.api.deps import REFUSALS, ApiDeps, PublishKey
from services.ingest.identity import diff, update_id
from services.ingest.parsers import Entry
from services.ingest.state import IngestState

log = logging.getLogger("frontwire.api")


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["updates"], responses=REFUSALS)
    ingest = IngestState(deps.engine)
    pushed = Counter("frontwire_updates_ingested_total", "New updates published",
                     ["source", "kind"], registry=deps.registry)

    @router.post("/updates", status_code=202, response_model=UpdateAccepted)
    def push_update(body: UpdatePush, _who: PublishKey) -> UpdateAccepted:
        """Publish an update as if a source had it (needs the `publish` scope)."""
        source = f"push:{body.source}"
        entry = Entry(headline=body.headline, body=body.body, url=body.url,
                      entry_id=body.id, published_at=body.published_at)
        now = deps.clock()
        change = diff(source, [entry], ingest.known(source), now)
        published = change.new + change.revised
        if not published:
            uid = update_id(source, entry)
            known = ingest.known(source).get(uid)
            return UpdateAccepted(id=uid, revision=known.revision if known else 1, status="unchanged")
        deps.publish(published)
        ingest.remember(source, published, [], now)
        upd = published[0]
        if change.new:
            pushed.labels("push", "push").inc()  # clients choose sources: keep the label bounded
        log.info("pushed update %s (revision %d) from %s", upd.id, upd.revision, source,
                 extra={"update_id": upd.id})
        return UpdateAccepted(id=upd.id, revision=upd.revision,
                              status="published" if change.new else "revised")

    return router
