"""The stories of the time window, in one worker's memory, found by what a report says.

Each story is kept with the profile of its first report (``identity.Profile``), under its
LSH band keys (similar wording) and its identity keys (places, counts, amounts, actors:
``identity.index_keys``). A new report's candidates are the stories sharing a key with
it; ``identity.compare`` then decides. Pure data structure: no SQL, no clock.
"""

from __future__ import annotations

import collections
from datetime import datetime

from services.notify.identity import Profile, index_keys
from services.notify.minhash import band_keys

LIMIT = 24  # candidate stories compared per report


class StoryIndex:
    def __init__(self) -> None:
        self.heads: dict[str, Profile] = {}
        self._keys: dict[str, list[str | int]] = {}
        self._buckets: dict[str | int, list[str]] = collections.defaultdict(list)
        self._order: collections.deque[tuple[datetime, str]] = collections.deque()
        self.seq = 0  # the last stories.seq read from SQL

    def add(self, story_id: str, head: Profile, seen_at: datetime) -> None:
        if story_id in self.heads:
            return
        keys: list[str | int] = [*band_keys(head.signature), *sorted(index_keys(head))]
        self.heads[story_id] = head
        self._keys[story_id] = keys
        for key in keys:
            self._buckets[key].append(story_id)
        self._order.append((seen_at, story_id))

    def expire(self, cutoff: datetime) -> None:
        while self._order and self._order[0][0] < cutoff:
            _, story_id = self._order.popleft()
            self.heads.pop(story_id, None)
            for key in self._keys.pop(story_id, ()):
                bucket = self._buckets[key]
                bucket.remove(story_id)
                if not bucket:
                    del self._buckets[key]

    def candidates(self, report: Profile, limit: int = LIMIT) -> list[str]:
        """Stories that share a band or an identity key with ``report``: those sharing the
        most keys first, at most ``limit`` (a busy city's name alone finds many)."""
        shared: dict[str, int] = {}
        keys: list[str | int] = [*band_keys(report.signature), *index_keys(report)]
        for key in keys:
            for story_id in self._buckets.get(key, ()):
                shared[story_id] = shared.get(story_id, 0) + 1
        if len(shared) <= limit:
            return list(shared)
        return sorted(shared, key=shared.__getitem__, reverse=True)[:limit]

    def __contains__(self, story_id: object) -> bool:
        return isinstance(story_id, str) and story_id in self.heads
