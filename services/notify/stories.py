"""One story, many reports: which story each classified update belongs to.

An update joins the story of the most similar earlier update (MinHash estimate of
the Jaccard similarity of their content words >= THRESHOLD, see ``minhash``) seen
within a time window, else it starts a story of its own. SQL is the record every
notify worker shares (``story_members``: which update is in which story, with its
facts and revision; ``stories``: each story's signature); each worker keeps the LSH
bands of the stories in the window in memory and reads only the stories added since
its last look, so assigning a batch costs two queries and one write, not a query
per band.
"""

from __future__ import annotations

import collections
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update

from frontwire.db import stories as stories_table
from frontwire.db import story_members
from frontwire.timeutil import aware
from schemas.models import ClassifiedUpdate, Corroboration, Facts
from services.notify.minhash import Signature, band_keys, dumps, loads, signature, similarity

THRESHOLD = 0.5
WINDOW = timedelta(hours=36)
_IN_CHUNK = 500  # ids per IN (...): well inside SQLite's and PostgreSQL's parameter limits

__all__ = ["THRESHOLD", "WINDOW", "Assignment", "StoryStore", "fact_changes", "signature",
           "similarity"]


def fact_changes(before: Facts | None, after: Facts) -> list[str]:
    """Facts that changed between revisions, as 'killed: 4 -> 6' (new facts count as changes)."""
    if before is None:
        return []
    changes = []
    for name in ("killed", "injured", "prisoners_exchanged", "bodies_repatriated", "displaced"):
        old, new = getattr(before, name), getattr(after, name)
        if (old and old.value) != (new and new.value) and new is not None:
            changes.append(f"{name}: {old.value if old else 'none'} -> {new.value}")
    if {m.text for m in before.aid_amounts} != {m.text for m in after.aid_amounts} and after.aid_amounts:
        changes.append("aid: " + ", ".join(m.text for m in after.aid_amounts))
    return changes


@dataclass(frozen=True)
class Assignment:
    story_id: str
    new_story: bool
    new_member: bool                       # False: a revision of an update already seen
    changes: list[str] = field(default_factory=list)
    others: list[Corroboration] = field(default_factory=list)


def _changes(row: dict[str, Any]) -> list[str]:
    """The fact changes of a member's latest revision against the one before it."""
    before = Facts.model_validate(row["previous_facts"]) if row["previous_facts"] else None
    return fact_changes(before, Facts.model_validate(row["facts"] or {}))


class _Bands:
    """The LSH bands of the stories seen within the window, in this worker's memory."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[str]] = collections.defaultdict(list)
        self.signatures: dict[str, tuple[Signature, list[int]]] = {}
        self.order: collections.deque[tuple[datetime, str]] = collections.deque()
        self.seq = 0  # the last stories.seq read from SQL

    def add(self, story_id: str, sig: Signature, seen_at: datetime) -> None:
        if story_id in self.signatures:
            return
        keys = band_keys(sig)
        self.signatures[story_id] = (sig, keys)
        for key in keys:
            self.buckets[key].append(story_id)
        self.order.append((seen_at, story_id))

    def expire(self, cutoff: datetime) -> None:
        while self.order and self.order[0][0] < cutoff:
            _, story_id = self.order.popleft()
            _, keys = self.signatures.pop(story_id)
            for key in keys:
                bucket = self.buckets[key]
                bucket.remove(story_id)
                if not bucket:
                    del self.buckets[key]

    def best(self, sig: Signature, threshold: float) -> tuple[str | None, float]:
        """The most similar story at or above ``threshold`` (None, 0.0 if there is none)."""
        seen: set[str] = set()
        best_id, best = None, 0.0
        for key in band_keys(sig):
            for candidate in self.buckets.get(key, ()):
                if candidate in seen:
                    continue
                seen.add(candidate)
                score = similarity(sig, self.signatures[candidate][0])
                if score >= threshold and score > best:
                    best_id, best = candidate, score
        return best_id, best


class StoryStore:
    """Assigns updates to stories. One instance per worker process (it caches bands)."""

    def __init__(self, engine: Engine, window: timedelta = WINDOW, threshold: float = THRESHOLD) -> None:
        self.engine = engine
        self.window = window
        self.threshold = threshold
        self._bands = _Bands()
        self._loaded = False

    def assign(self, classified: ClassifiedUpdate, now: datetime) -> Assignment:
        return self.assign_many([classified], now)[0]

    def assign_many(self, batch: Sequence[ClassifiedUpdate], now: datetime) -> list[Assignment]:
        """The story of each update, in order, recorded in one transaction.

        A redelivered record (same update id and revision) gets the answer it got the
        first time, so the same alert id is made again and deduplicated downstream.
        """
        with self.engine.begin() as conn:
            self._sync(conn, now)
            known = self._members(conn, [c.update.id for c in batch])
            out: list[Assignment] = []
            new_members: list[dict[str, Any]] = []
            new_stories: list[dict[str, Any]] = []
            fresh = _Bands()  # this batch's new stories: known to the worker once committed
            for classified in batch:
                upd = classified.update
                facts = classified.facts.model_dump(mode="json")
                row = known.get(upd.id)
                if row is not None:
                    out.append(self._known(conn, row, classified, facts, new_members))
                    continue
                sig = signature(upd.text)
                story_id, score = self._bands.best(sig, self.threshold)
                in_batch, batch_score = fresh.best(sig, self.threshold)
                if in_batch is not None and batch_score > score:
                    story_id = in_batch
                new_story = story_id is None
                if story_id is None:
                    story_id = upd.id
                    fresh.add(story_id, sig, now)
                    new_stories.append({"story_id": story_id, "signature": dumps(sig), "seen_at": now})
                member = {"update_id": upd.id, "story_id": story_id, "source": upd.source,
                          "headline": upd.headline, "url": upd.url, "facts": facts,
                          "previous_facts": None, "revision": upd.revision, "seen_at": now}
                others = [] if new_story else self._others(conn, story_id, upd.id, new_members)
                new_members.append(member)
                known[upd.id] = member
                out.append(Assignment(story_id, new_story, True, [], others))
            if new_members:
                conn.execute(insert(story_members), new_members)
            if new_stories:
                conn.execute(insert(stories_table), new_stories)
        for story_id, (sig, _keys) in fresh.signatures.items():
            self._bands.add(story_id, sig, now)
        return out

    def _known(self, conn: Any, row: dict[str, Any], classified: ClassifiedUpdate,
               facts: dict[str, Any], pending: list[dict[str, Any]]) -> Assignment:
        """The answer for an update already a member (``row``, maybe still in ``pending``)."""
        upd = classified.update
        story_id = row["story_id"]
        others = self._others(conn, story_id, upd.id, pending)
        if upd.revision > row["revision"]:
            changes = {"facts": facts, "previous_facts": row["facts"], "revision": upd.revision,
                       "headline": upd.headline}
            if not any(m is row for m in pending):
                conn.execute(update(story_members).where(story_members.c.update_id == upd.id)
                             .values(**changes))
            row.update(changes)
            return Assignment(story_id, False, False, _changes(row), others)
        if upd.revision == row["revision"]:
            # A redelivery of the record that made this member or revision (at least once:
            # e.g. a crash after this commit, before the alert reached Kafka). Answer as
            # the first time, so the same alert id is made again.
            if row.get("previous_facts") is not None:
                return Assignment(story_id, False, False, _changes(row), others)
            return Assignment(story_id, story_id == upd.id, True, [], others)
        return Assignment(story_id, False, False, [], others)  # an older revision, arriving late

    def _sync(self, conn: Any, now: datetime) -> None:
        """Read the stories other workers (or an earlier run) added; forget expired ones."""
        cutoff = now - self.window
        query = select(stories_table.c.seq, stories_table.c.story_id, stories_table.c.signature,
                       stories_table.c.seen_at).order_by(stories_table.c.seq)
        if self._loaded:
            query = query.where(stories_table.c.seq > self._bands.seq)
        else:
            query = query.where(stories_table.c.seen_at >= cutoff)
        rows = conn.execute(query).all()
        self._loaded = True
        for seq, story_id, text, seen_at in rows:
            self._bands.seq = max(self._bands.seq, seq)
            if story_id in self._bands.signatures:
                continue  # one of ours
            sig = loads(text)
            seen = aware(seen_at)
            if sig is not None and seen is not None and seen >= cutoff:
                self._bands.add(story_id, sig, seen)
        self._bands.expire(cutoff)

    @staticmethod
    def _members(conn: Any, ids: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start:start + _IN_CHUNK]
            for row in conn.execute(select(story_members).where(
                    story_members.c.update_id.in_(chunk))).mappings():
                found[row["update_id"]] = dict(row)
        return found

    @staticmethod
    def _others(conn: Any, story_id: str, update_id: str,
                pending: list[dict[str, Any]]) -> list[Corroboration]:
        """The story's other reports, oldest first (``pending``: members not yet written)."""
        rows = [dict(r) for r in conn.execute(select(story_members).where(and_(
            story_members.c.story_id == story_id, story_members.c.update_id != update_id))
            .order_by(story_members.c.seen_at)).mappings()]
        rows += [m for m in pending if m["story_id"] == story_id and m["update_id"] != update_id]
        return [Corroboration(update_id=r["update_id"], source=r["source"], headline=r["headline"],
                              url=r["url"], seen_at=aware(r["seen_at"])) for r in rows]
