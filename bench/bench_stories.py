"""Placing updates in stories: milliseconds per update, as notify does it per batch.

Updates are the classify benchmark's ~600-character texts (harm, aid, swaps, escalation
and filler, with places and counts), classified once by the real classifier, then placed
by ``StoryStore.assign_many`` in batches of 50 on a SQLite file: profile, candidates from
the window's index, member profiles from SQL, ``identity.compare``, one transaction. The
baseline is the wording-only work the store did before story identity: a MinHash signature
and an LSH look-up per update, in memory.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.bench_classify import _texts
from schemas.models import Update
from services.classify.core import Classifier
from services.notify.minhash import band_keys, signature
from services.notify.stories import StoryStore
from services.runtime.db import connect

QUICK = bool(os.environ.get("BENCH_QUICK"))
ROUNDS, N_UPDATES, BATCH = (2, 300, 50) if QUICK else (3, 1000, 50)
T = datetime(2025, 1, 1, tzinfo=UTC)


def run() -> list[dict[str, Any]]:
    rng = random.Random(11)
    classifier = Classifier()
    batch = [classifier.classify(Update(id=f"u{i}", source=f"s{i % 7}", body=t, first_seen_at=T,
                                        content_hash=str(i)), classified_at=T)
             for i, t in enumerate(_texts(N_UPDATES, rng))]
    labelled = [c for c in batch if c.labels]  # notify places only these
    new_ms, base_ms = [], []
    for n in range(ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            store = StoryStore(connect(f"sqlite:///{tmp}/stories.db"))
            started = time.perf_counter()
            for k in range(0, len(labelled), BATCH):
                store.assign_many(labelled[k:k + BATCH], T + timedelta(minutes=n * 10 + k // BATCH))
            new_ms.append((time.perf_counter() - started) * 1000 / len(labelled))
        buckets: dict[int, list[int]] = {}
        started = time.perf_counter()
        for i, c in enumerate(labelled):
            keys = band_keys(signature(c.update.text))
            _ = {s for key in keys for s in buckets.get(key, ())}
            for key in keys:
                buckets.setdefault(key, []).append(i)
        base_ms.append((time.perf_counter() - started) * 1000 / len(labelled))
    value, base = statistics.median(new_ms), statistics.median(base_ms)
    return [{"name": "story_assign_ms_per_update", "value": value, "unit": "ms/update",
             "baseline": "MinHash signature + LSH look-up alone (the wording-only rule, in memory)",
             "baseline_value": base, "ratio": value / base, "updates": len(labelled), "batch": BATCH,
             "rounds": new_ms}]


if __name__ == "__main__":
    for row in run():
        print(row)
