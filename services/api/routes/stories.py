"""Stories: which reports were taken for one event and why; an operator splits a wrong join.

A split report gets a story of its own and is sent through the pipeline again, so its
subscribers get the alert it would have had on its own (a new alert id: receivers that
deduplicate by ``webhook-id`` still see it).
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select

from schemas.models import ClassifiedUpdate, Corroboration
from services.api.bodies import StoryOut, StorySplit, StorySplitDone
from services.api.deps import AnyKey, ApiDeps, authorize
from services.api.scopes import Caller, Scope
from services.notify.feed import FeedStore
from services.notify.stories import NotAMember, StoryStore
from services.runtime.db import feed, story_members
from services.runtime.timeutil import aware

log = logging.getLogger("frontwire.api")
AdminKey = Annotated[Caller, Depends(authorize(Scope.ADMIN, "splitting stories"))]


def router(deps: ApiDeps) -> APIRouter:
    router = APIRouter(prefix="/v1/stories", tags=["stories"])
    stories = StoryStore(deps.engine)
    feeds = FeedStore(deps.engine)

    def members(story_id: str) -> list[Corroboration]:
        m = story_members.c
        with deps.engine.connect() as conn:
            rows = conn.execute(select(m.update_id, m.source, m.headline, m.url, m.seen_at, m.reasons)
                                .where(m.story_id == story_id).order_by(m.seen_at)).all()
        return [Corroboration(update_id=r.update_id, source=r.source, headline=r.headline, url=r.url,
                            seen_at=aware(r.seen_at), joined_because=list(r.reasons or [])) for r in rows]

    @router.get("/{story_id}", response_model=StoryOut)
    def get_story(story_id: str, _who: AnyKey) -> StoryOut:
        found = members(story_id)
        if not found:
            raise HTTPException(404, f"no story {story_id!r} (stories last 36 hours)")
        return StoryOut(story_id=story_id, members=found)

    @router.post("/{story_id}/split", status_code=202, response_model=StorySplitDone)
    def split_story(story_id: str, body: StorySplit, _who: AdminKey) -> StorySplitDone:
        ids = {m.update_id for m in members(story_id)}
        if body.update_id not in ids:
            raise HTTPException(404, f"update {body.update_id!r} is not a report of story {story_id!r}")
        if body.update_id == story_id:
            raise HTTPException(409, "that is the story's first report: split out the others instead")
        with deps.engine.connect() as conn:
            doc = conn.execute(select(feed.c.doc).where(feed.c.update_id == body.update_id)).scalar()
        if doc is None:
            raise HTTPException(409, f"update {body.update_id!r} is no longer in the feed; cannot resend it")
        try:
            new_id = stories.split(body.update_id, deps.clock())
        except NotAMember as exc:
            raise HTTPException(404, str(exc)) from None
        classified = ClassifiedUpdate.model_validate_json(doc)
        feeds.set_story(body.update_id, new_id)
        deps.publish([classified.update])  # classified again, then alerted as a story of its own
        log.info("split update %s out of story %s", body.update_id, story_id,
                 extra={"update_id": body.update_id})
        return StorySplitDone(story_id=new_id, update_id=body.update_id, status="split")

    return router
