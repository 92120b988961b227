"""One story per event: which story each classified update belongs to.

A report joins the story of an earlier report of the same event within a time window,
else it starts a story of its own. What "the same event" means is ``identity``: places,
actors, event type and identifying counts decide, and wording is one signal among them;
the first rule is "when in doubt, alert". Candidates come from ``story_index`` (band keys
of the wording and identity keys of the first report of each story), then every report
of a candidate story is compared. A report that brings a higher toll to a story is
``changes`` of the story, so its subscribers get an update alert that says so.

SQL is the record every notify worker shares (``story_members``: each report's story,
facts, profile and why it joined; ``stories``: each story's first report); each worker
keeps the index of the window in memory and reads only the stories added since its last
look. An operator may split a wrongly joined report out of its story (``split``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, insert, select, update

from schemas.models import ClassifiedUpdate, Corroboration, Facts
from services.notify.identity import Profile, Verdict, compare, from_json, profile, to_json
from services.notify.minhash import dumps, loads, signature, similarity
from services.notify.story_index import StoryIndex
from services.runtime.db import stories as stories_table
from services.runtime.db import story_members
from services.runtime.timeutil import aware

WINDOW = timedelta(hours=36)
_IN_CHUNK = 500  # ids per IN (...): well inside SQLite's and PostgreSQL's parameter limits
_TOLLS = ("killed", "injured")
_RECENT = 4  # a story's latest reports a new one is compared with, beside its first

__all__ = ["WINDOW", "Assignment", "StoryStore", "NotAMember", "fact_changes", "signature",
           "similarity"]


class NotAMember(LookupError):
    """No story holds that update (never placed, or gone with the window)."""


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
    reasons: list[str] = field(default_factory=list)  # why this report joined its story


def _changes(row: dict[str, Any]) -> list[str]:
    """The fact changes of a member's latest revision against the one before it."""
    before = Facts.model_validate(row["previous_facts"]) if row["previous_facts"] else None
    return fact_changes(before, Facts.model_validate(row["facts"] or {}))


def _rising(report: Profile, members: list[Profile]) -> list[str]:
    """The tolls this report raises above every earlier report of its story."""
    out = []
    for name in _TOLLS:
        known = [m.counts[name] for m in members if name in m.counts]
        if name in report.counts and known and report.counts[name] > max(known):
            out.append(f"{name}: {max(known)} -> {report.counts[name]}")
    return out


@dataclass
class _Batch:
    """What one batch has placed so far, before it is committed."""

    index: StoryIndex = field(default_factory=StoryIndex)
    members: list[dict[str, Any]] = field(default_factory=list)
    stories: list[dict[str, Any]] = field(default_factory=list)


class StoryStore:
    """Assigns updates to stories. One instance per worker process (it caches the index)."""

    def __init__(self, engine: Engine, window: timedelta = WINDOW) -> None:
        self.engine = engine
        self.window = window
        self._index = StoryIndex()
        self._loaded = False

    def assign(self, classified: ClassifiedUpdate, now: datetime) -> Assignment:
        return self.assign_many([classified], now)[0]

    def assign_many(self, batch: Sequence[ClassifiedUpdate], now: datetime) -> list[Assignment]:
        """The story of each update, in order, recorded in one transaction.

        A redelivered record (same update id and revision) gets the answer it got the
        first time, so the same alert id is made again and deduplicated downstream.
        """
        placed = _Batch()
        with self.engine.begin() as conn:
            self._sync(conn, now)
            known = self._members(conn, [c.update.id for c in batch])
            profiles = {c.update.id: profile(c, signature(c.update.text), now)
                        for c in batch if c.update.id not in known}
            wanted = {s for p in profiles.values() for s in self._index.candidates(p)}
            members = self._member_profiles(conn, wanted)
            out: list[Assignment] = []
            for classified in batch:
                upd = classified.update
                facts = classified.facts.model_dump(mode="json")
                row = known.get(upd.id)
                if row is not None:
                    out.append(self._known(conn, row, classified, facts, placed.members))
                    continue
                report = profiles[upd.id]
                story_id, verdict = self._best(report, members, placed)
                new_story = story_id is None
                if story_id is None:
                    story_id = upd.id
                    placed.index.add(story_id, report, now)
                    placed.stories.append({"story_id": story_id, "signature": dumps(report.signature),
                                           "profile": to_json(report), "seen_at": now})
                reasons = [] if new_story else verdict.reasons
                changes = [] if new_story else _rising(report, members.get(story_id, []))
                member = {"update_id": upd.id, "story_id": story_id, "source": upd.source,
                          "headline": upd.headline, "url": upd.url, "facts": facts,
                          "previous_facts": None, "revision": upd.revision, "seen_at": now,
                          "profile": to_json(report), "reasons": reasons}
                others = [] if new_story else self._others(conn, story_id, upd.id, placed.members)
                placed.members.append(member)
                members.setdefault(story_id, []).append(report)
                known[upd.id] = member
                out.append(Assignment(story_id, new_story, True, changes, others, reasons))
            if placed.members:
                conn.execute(insert(story_members), placed.members)
            if placed.stories:
                conn.execute(insert(stories_table), placed.stories)
        for story_id, head in placed.index.heads.items():
            self._index.add(story_id, head, now)
        return out

    def _best(self, report: Profile, members: dict[str, list[Profile]],
              placed: _Batch) -> tuple[str | None, Verdict]:
        """The story whose reports best match ``report`` by ``identity.compare``, if any."""
        best_id, best = None, Verdict(False)
        for index in (self._index, placed.index):
            for story_id in index.candidates(report):
                head = index.heads[story_id]
                if compare(report, head).apart:
                    continue  # what tells this report from the story's first one
                known = members.get(story_id, [head])
                for member in known[:1] + known[-_RECENT:]:  # the first report and the latest ones
                    verdict = compare(report, member)
                    if verdict.same and verdict.score > best.score:
                        best_id, best = story_id, verdict
        return best_id, best

    def split(self, update_id: str, now: datetime) -> str:
        """Take a report out of its story into a story of its own (an operator's call);
        returns the new story id. Its alerts then go out as for a new story."""
        with self.engine.begin() as conn:
            row = conn.execute(select(story_members).where(
                story_members.c.update_id == update_id)).mappings().first()
            if row is None:
                raise NotAMember(f"update {update_id!r} is in no story")
            if row["story_id"] == update_id:
                return update_id
            doc = dict(row["profile"] or {})
            sig = loads(doc.get("signature", "")) if doc else None
            conn.execute(update(story_members).where(story_members.c.update_id == update_id).values(
                story_id=update_id, reasons=[f"split out of story {row['story_id']} by an operator"]))
            conn.execute(insert(stories_table).values(
                story_id=update_id, signature=dumps(sig) if sig is not None else doc.get("signature", ""),
                profile=doc or None, seen_at=now))
        return update_id

    def reasons(self, story_id: str) -> dict[str, list[str]]:
        """Why each report of a story joined it, by update id (empty for the first)."""
        m = story_members.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(m.update_id, m.reasons).where(m.story_id == story_id)).all()
        return {update_id: list(why or []) for update_id, why in rows}

    def _known(self, conn: Any, row: dict[str, Any], classified: ClassifiedUpdate,
               facts: dict[str, Any], pending: list[dict[str, Any]]) -> Assignment:
        """The answer for an update already a member (``row``, maybe still in ``pending``)."""
        upd = classified.update
        story_id = row["story_id"]
        others = self._others(conn, story_id, upd.id, pending)
        reasons = list(row.get("reasons") or [])
        if upd.revision > row["revision"]:
            changes = {"facts": facts, "previous_facts": row["facts"], "revision": upd.revision,
                       "headline": upd.headline}
            if not any(m is row for m in pending):
                conn.execute(update(story_members).where(story_members.c.update_id == upd.id)
                             .values(**changes))
            row.update(changes)
            return Assignment(story_id, False, False, _changes(row), others, reasons)
        if upd.revision == row["revision"]:
            # A redelivery of the record that made this member or revision (at least once:
            # e.g. a crash after this commit, before the alert reached Kafka), or a report
            # an operator split out. Answer as the first time, so the same alert id is made.
            if row.get("previous_facts") is not None:
                return Assignment(story_id, False, False, _changes(row), others, reasons)
            return Assignment(story_id, story_id == upd.id, True, [], others, reasons)
        return Assignment(story_id, False, False, [], others, reasons)  # an older revision, arriving late

    def _sync(self, conn: Any, now: datetime) -> None:
        """Read the stories other workers (or an earlier run) added; forget expired ones."""
        cutoff = now - self.window
        t = stories_table.c
        query = select(t.seq, t.story_id, t.signature, t.profile, t.seen_at).order_by(t.seq)
        if self._loaded:
            query = query.where(t.seq > self._index.seq)
        else:
            query = query.where(t.seen_at >= cutoff)
        rows = conn.execute(query).all()
        self._loaded = True
        for seq, story_id, sig_text, doc, seen_at in rows:
            self._index.seq = max(self._index.seq, seq)
            seen = aware(seen_at)
            if story_id in self._index or seen is None or seen < cutoff:
                continue
            head = _head(doc, sig_text, seen)
            if head is not None:
                self._index.add(story_id, head, seen)
        self._index.expire(cutoff)

    @staticmethod
    def _member_profiles(conn: Any, story_ids: set[str]) -> dict[str, list[Profile]]:
        """The profiles of every report of the given stories, oldest first."""
        out: dict[str, list[Profile]] = {}
        ids = sorted(story_ids)
        for start in range(0, len(ids), _IN_CHUNK):
            rows = conn.execute(select(story_members.c.story_id, story_members.c.profile).where(
                story_members.c.story_id.in_(ids[start:start + _IN_CHUNK]))
                .order_by(story_members.c.seen_at)).all()
            for story_id, doc in rows:
                prof = from_json(doc) if doc else None
                if prof is not None:
                    out.setdefault(story_id, []).append(prof)
        return out

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
                              url=r["url"], seen_at=aware(r["seen_at"]),
                              joined_because=list(r.get("reasons") or [])) for r in rows]


def _head(doc: dict[str, Any] | None, sig_text: str, seen_at: datetime) -> Profile | None:
    """A story's first report as stored; a row from before profiles keeps its wording only."""
    head = from_json(doc) if doc else None
    if head is not None:
        return head
    sig = loads(sig_text)
    if sig is None:
        return None
    return Profile(labels=frozenset(), places=frozenset(), actors=frozenset(), counts={},
                   amounts=frozenset(), signature=sig, seen_at=seen_at)
