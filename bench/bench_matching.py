"""Matching one classified update against 100,000 subscriptions: index vs linear scan.

As in notify: the index is built, then ``gc.collect(); gc.freeze()`` (what
``LiveIndex`` does after a rebuild), and only updates with at least one decided
label are matched (notify skips the others). ``matching_p99_ms`` is the median
over rounds of the p99 of single ``match()`` calls (build excluded, collector on);
the linear scan, checked to give the index's answers, is the baseline.
"""

from __future__ import annotations

import gc
import os
import random
import re
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from schemas.models import (
    ClassifiedUpdate,
    Facts,
    Label,
    Severity,
    Subscription,
    Update,
    WebhookTarget,
)
from services.notify.matching import SubscriptionIndex

T = datetime(2025, 1, 1, tzinfo=UTC)
LABELS = list(Label)
WORDS = [f"place{i}" for i in range(300)] + ["drone", "convoy", "hospital", "grain", "missile"]
PLACES = [f"Town{i}" for i in range(50)]


QUICK = bool(os.environ.get("BENCH_QUICK"))
ROUNDS, N_UPDATES, N_LINEAR = (2, 400, 20) if QUICK else (3, 2000, 40)
FILLER = ("Officials said the strikes overnight hit several districts and the regional "
          "administration ordered repairs while talks continued in the capital. ") * 4


def subscriptions(n: int, rng: random.Random) -> list[Subscription]:
    hook = WebhookTarget(url="https://hooks.example.org/x")
    subs = []
    # A realistic mix: few subscribe to everything of a label; most narrow by
    # source, keyword or place (newsrooms follow their beats, NGOs their regions),
    # some only to what is severe enough.
    for i in range(n):
        roll = rng.random()
        kw = [rng.choice(WORDS)] if 0.01 <= roll < 0.4 else []
        places = [rng.choice(PLACES)] if 0.4 <= roll < 0.5 else []
        sources = [f"src{rng.randint(0, 200)}"] if roll >= 0.5 else []
        severity = rng.choice((Severity.MEDIUM, Severity.HIGH)) if rng.random() < 0.1 else None
        subs.append(Subscription(id=f"sub_{i:06d}", name="b", labels=rng.sample(LABELS, rng.randint(1, 2)),
                                 min_score=rng.choice((0.5, 0.7, 0.9, 0.97)), keywords=kw, places=places,
                                 sources=sources, min_severity=severity, webhook=hook, created_at=T))
    return subs


def updates(n: int, rng: random.Random) -> list[ClassifiedUpdate]:
    out = []
    for i in range(n):
        # One or two decided labels: notify never matches an update without one.
        decided = {lb: rng.uniform(0.5, 1.0) for lb in rng.sample(LABELS, rng.randint(1, 2))}
        upd = Update(id=f"u{i}", source=f"src{rng.randint(0, 200)}", body=" ".join(rng.sample(WORDS, 3)) + " " + FILLER,
                     first_seen_at=T, content_hash="h")
        out.append(ClassifiedUpdate(update=upd, labels=list(decided), classifier_version="b",
                                    scores={lb: decided.get(lb, 0.0) for lb in LABELS},
                                    facts=Facts(places=rng.sample(PLACES, rng.randint(0, 2))),
                                    severity=rng.choice(list(Severity)), classified_at=T))
    return out


def linear(subs: list[Subscription], cu: ClassifiedUpdate) -> list[str]:
    """What matching costs without an index: every subscription checked per update.

    The index's semantics for this workload's subscriptions (per-label minimum,
    sources, one-word keywords and places as whole words, minimum severity);
    ``run`` checks both agree.
    """
    hits = []
    words = set(re.findall(r"\w+", cu.update.text.casefold()))
    places = {p.casefold() for p in cu.facts.places}
    decided = set(cu.labels)
    for s in subs:
        if s.status != "active":
            continue
        if not any(lb in decided and cu.scores.get(lb, 0.0) >= s.threshold(lb) for lb in s.labels):
            continue
        if s.sources and cu.update.source not in s.sources:
            continue
        if s.keywords and not any(k.casefold() in words for k in s.keywords):
            continue
        if s.places and not any(p.casefold() in places for p in s.places):
            continue
        if s.min_severity is not None and cu.severity.rank < s.min_severity.rank:
            continue
        hits.append(s.id)
    return hits


def run() -> list[dict[str, Any]]:
    rng = random.Random(7)
    subs = subscriptions(100_000, rng)
    index = SubscriptionIndex(subs)
    gc.collect()
    gc.freeze()  # as notify does after each rebuild: the collector leaves the index alone
    sample = updates(N_UPDATES, rng)
    p99s, medians = [], []
    for _ in range(ROUNDS):
        times = []
        for cu in sample:
            t0 = time.perf_counter()
            index.match(cu)
            times.append(time.perf_counter() - t0)
        p99s.append(statistics.quantiles(times, n=100)[98])
        medians.append(statistics.median(times))
    linear_times = []
    for cu in sample[:N_LINEAR]:
        t0 = time.perf_counter()
        expected = linear(subs, cu)
        linear_times.append(time.perf_counter() - t0)
        got = [m.subscription.id for m in index.match(cu)]
        if sorted(got) != sorted(expected):
            raise AssertionError(f"index and linear scan disagree on update {cu.update.id}")
    p99, idx_med = statistics.median(p99s), statistics.median(medians)
    lin_med = statistics.median(linear_times)
    matches = statistics.mean(len(index.match(cu)) for cu in sample)
    return [
        {"name": "matching_p99_ms", "value": p99 * 1000, "unit": "ms", "baseline": "linear scan median",
         "baseline_value": lin_med * 1000, "ratio": lin_med / p99 if p99 else 0.0, "target": "<= 1",
         "p99_ms_per_round": [v * 1000 for v in p99s], "updates": N_UPDATES,
         "mean_matches_per_update": matches},
        {"name": "matching_vs_linear_scan", "value": lin_med / idx_med, "unit": "x",
         "baseline": "linear scan = 1", "baseline_value": 1.0, "ratio": lin_med / idx_med,
         "target": ">= 100", "index_median_ms": idx_med * 1000,
         "index_median_ms_per_round": [v * 1000 for v in medians]},
    ]
