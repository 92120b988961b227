"""The live feed: every classified update notify reads, newest first, for the console.

Kept in SQL so the API process can show it without consuming Kafka; pruned to a
bounded number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select

from schemas.models import ClassifiedUpdate, Severity
from services.runtime.db import dialect_insert, feed

KEEP = 5000
_REPLACED = ("source", "severity", "story_id", "labels", "revision", "classified_at", "doc")


@dataclass(frozen=True)
class FeedItem:
    classified: ClassifiedUpdate
    story_id: str | None


class FeedStore:
    def __init__(self, engine: Engine, keep: int = KEEP) -> None:
        self.engine = engine
        self.keep = keep

    def add(self, classified: ClassifiedUpdate, story_id: str | None = None) -> None:
        self.add_many([(classified, story_id)])

    def add_many(self, items: Sequence[tuple[ClassifiedUpdate, str | None]]) -> None:
        """Add or replace updates in one statement; an older revision never replaces a newer."""
        latest: dict[str, tuple[ClassifiedUpdate, str | None]] = {}
        for classified, story_id in items:  # one row per update: a statement touches it once
            had = latest.get(classified.update.id)
            if had is None or had[0].update.revision <= classified.update.revision:
                latest[classified.update.id] = (classified, story_id)
        rows = []
        for classified, story_id in latest.values():
            upd = classified.update
            rows.append({"update_id": upd.id, "source": upd.source,
                         "severity": classified.severity.value, "story_id": story_id,
                         "labels": " ".join(lb.value for lb in classified.labels),
                         "revision": upd.revision, "classified_at": classified.classified_at,
                         "doc": classified.model_dump_json()})
        if not rows:
            return
        with self.engine.begin() as conn:
            stmt = dialect_insert(conn, feed)
            stmt = stmt.on_conflict_do_update(
                index_elements=[feed.c.update_id],
                set_={c: stmt.excluded[c] for c in _REPLACED},
                where=feed.c.revision <= stmt.excluded.revision)
            conn.execute(stmt, rows)

    def latest(self, *, limit: int = 50, label: str | None = None, source: str | None = None,
               min_severity: Severity | None = None, text: str | None = None,
               before: datetime | None = None) -> list[FeedItem]:
        query = select(feed.c.doc, feed.c.story_id).order_by(feed.c.classified_at.desc()).limit(limit)
        if label:
            query = query.where(or_(feed.c.labels == label, feed.c.labels.like(f"{label} %"),
                                    feed.c.labels.like(f"% {label}"), feed.c.labels.like(f"% {label} %")))
        if source:
            query = query.where(feed.c.source == source)
        if min_severity is not None:
            allowed = [s.value for s in Severity if s.rank >= min_severity.rank]
            query = query.where(feed.c.severity.in_(allowed))
        if text:
            query = query.where(func.lower(feed.c.doc).like(f"%{text.lower()}%"))
        if before is not None:
            query = query.where(feed.c.classified_at < before)
        with self.engine.connect() as conn:
            return [FeedItem(ClassifiedUpdate.model_validate_json(doc), story)
                    for doc, story in conn.execute(query)]

    def set_story(self, update_id: str, story_id: str) -> None:
        """Move an update to another story (an operator split it out of its own)."""
        with self.engine.begin() as conn:
            conn.execute(feed.update().where(feed.c.update_id == update_id).values(story_id=story_id))

    def story(self, story_id: str) -> list[FeedItem]:
        query = select(feed.c.doc, feed.c.story_id).where(feed.c.story_id == story_id) \
            .order_by(feed.c.classified_at)
        with self.engine.connect() as conn:
            return [FeedItem(ClassifiedUpdate.model_validate_json(d), s) for d, s in conn.execute(query)]

    def prune(self) -> int:
        with self.engine.begin() as conn:
            cutoff = conn.execute(select(feed.c.classified_at).order_by(feed.c.classified_at.desc())
                                  .offset(self.keep).limit(1)).scalar()
            if cutoff is None:
                return 0
            return int(conn.execute(delete(feed).where(feed.c.classified_at <= cutoff)).rowcount)
