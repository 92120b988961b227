"""What ingest has seen, and each source's health, in SQL: survives restarts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, delete, insert, select, update

from schemas.models import Update
from services.ingest.identity import KnownEntry
from services.ingest.sources import SourceSpec
from services.runtime.db import ingest_seen, sources
from services.runtime.timeutil import aware


@dataclass(frozen=True)
class SourceHealth:
    spec: SourceSpec
    origin: str
    etag: str | None
    last_modified: str | None
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_new_at: datetime | None
    consecutive_failures: int
    updates_found: int
    last_error: str | None  # the last poll's error, or its parser warning when it succeeded
    created_at: datetime | None = None


class IngestState:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # what was seen ---------------------------------------------------------------
    def known(self, source: str) -> dict[str, KnownEntry]:
        """Every update published for ``source``, vanished ones included (they may come back)."""
        cols = ingest_seen.c
        query = select(cols.update_id, cols.hash, cols.revision, cols.first_seen_at,
                       cols.vanished_at).where(cols.source == source)
        with self.engine.connect() as conn:
            return {r.update_id: KnownEntry(r.hash, r.revision, aware(r.first_seen_at),
                                            r.vanished_at is not None) for r in conn.execute(query)}

    def remember(self, source: str, published: Iterable[Update], vanished: Iterable[str],
                 now: datetime, returned: Iterable[str] = ()) -> None:
        """Record updates as published (after the broker acknowledged them), and entries
        that left the page (``vanished``) or came back to it unchanged (``returned``)."""
        with self.engine.begin() as conn:
            for update_id in returned:
                conn.execute(update(ingest_seen).where(and_(
                    ingest_seen.c.source == source, ingest_seen.c.update_id == update_id))
                    .values(vanished_at=None, last_seen_at=now))
            for upd in published:
                conn.execute(delete(ingest_seen).where(and_(
                    ingest_seen.c.source == source, ingest_seen.c.update_id == upd.id)))
                conn.execute(insert(ingest_seen).values(
                    source=source, update_id=upd.id, hash=upd.content_hash, revision=upd.revision,
                    first_seen_at=upd.first_seen_at, last_seen_at=now, vanished_at=None))
            for update_id in vanished:
                conn.execute(update(ingest_seen).where(and_(
                    ingest_seen.c.source == source, ingest_seen.c.update_id == update_id))
                    .values(vanished_at=now))

    # sources and their health ------------------------------------------------------
    def upsert_source(self, spec: SourceSpec, origin: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            exists = conn.execute(select(sources.c.url).where(sources.c.id == spec.id)).first()
            values: dict[str, Any] = {"url": spec.url, "kind": spec.kind, "interval": spec.interval,
                                      "origin": origin}
            if exists and exists.url != spec.url:
                values.update(etag=None, last_modified=None)  # validators of another URL
            if exists:
                conn.execute(update(sources).where(sources.c.id == spec.id).values(**values))
            else:
                conn.execute(insert(sources).values(id=spec.id, created_at=now,
                                                    consecutive_failures=0, updates_found=0, **values))

    def remove_source(self, source_id: str) -> bool:
        with self.engine.begin() as conn:
            return bool(conn.execute(delete(sources).where(sources.c.id == source_id)).rowcount)

    def sources(self) -> list[SourceHealth]:
        with self.engine.connect() as conn:
            return [_health(r) for r in conn.execute(select(sources).order_by(sources.c.id)).mappings()]

    def source(self, source_id: str) -> SourceHealth | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).mappings().first()
        return _health(row) if row else None

    def record_poll(self, source_id: str, *, now: datetime, ok: bool, error: str | None = None,
                    etag: str | None = None, last_modified: str | None = None, found: int = 0) -> None:
        """One poll's outcome; on success ``error`` may carry a parser warning to show."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sources).where(sources.c.id == source_id)).mappings().first()
            if row is None:
                return
            values: dict[str, Any] = {"last_attempt_at": now}
            if ok:
                values.update(last_success_at=now, consecutive_failures=0, last_error=error,
                              updates_found=row["updates_found"] + found)
                if etag is not None or last_modified is not None:
                    values.update(etag=etag, last_modified=last_modified)
                if found:
                    values["last_new_at"] = now
            else:
                values.update(consecutive_failures=row["consecutive_failures"] + 1, last_error=error)
            conn.execute(update(sources).where(sources.c.id == source_id).values(**values))


def _health(row: Any) -> SourceHealth:
    spec = SourceSpec(id=row["id"], url=row["url"], kind=row["kind"], interval=row["interval"])
    return SourceHealth(spec=spec, origin=row["origin"], etag=row["etag"],
                        last_modified=row["last_modified"], last_success_at=aware(row["last_success_at"]),
                        last_attempt_at=aware(row["last_attempt_at"]), last_new_at=aware(row["last_new_at"]),
                        consecutive_failures=row["consecutive_failures"],
                        updates_found=row["updates_found"], last_error=row["last_error"],
                        created_at=aware(row["created_at"]))
