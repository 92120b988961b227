"""The operator view's numbers, read from each service's own /metrics.

Scraping is an edge (``scrape``); turning samples into the page's figures
(``summarise``, ``quantile``) is pure. A service that does not answer within the
timeout is shown as unavailable, never as zeros.
"""

from __future__ import annotations

import asyncio
import math
from collections import defaultdict
from dataclasses import dataclass, field

import httpx
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

Sample = tuple[str, dict[str, str], float]


def parse(text: str) -> list[Sample]:
    return [(s.name, dict(s.labels), s.value) for fam in text_string_to_metric_families(text)
            for s in fam.samples]


async def scrape(urls: dict[str, str], timeout: float = 1.0) -> dict[str, list[Sample] | None]:
    """Each service's samples, or None if it did not answer."""
    async with httpx.AsyncClient(timeout=timeout) as client:
        async def one(url: str) -> list[Sample] | None:
            try:
                resp = await client.get(url)
                resp.raise_for_status()
                return parse(resp.text)
            except (httpx.HTTPError, ValueError):
                return None
        results = await asyncio.gather(*(one(u) for u in urls.values()))
    return dict(zip(urls, results, strict=True))


def own(registry: CollectorRegistry) -> list[Sample]:
    return parse(generate_latest(registry).decode())


def total(samples: list[Sample] | None, name: str, **match: str) -> float | None:
    if samples is None:
        return None
    return sum(v for n, labels, v in samples
               if n == name and all(labels.get(k) == want for k, want in match.items()))


def quantile(samples: list[Sample] | None, histogram: str, q: float) -> float | None:
    """The q-quantile of a histogram summed over its labels, interpolated inside the bucket
    (as PromQL's histogram_quantile does); None without observations."""
    if not samples:
        return None
    buckets: dict[float, float] = defaultdict(float)
    for n, labels, v in samples:
        if n == f"{histogram}_bucket":
            buckets[float(labels["le"])] += v
    ordered = sorted(buckets.items())
    if not ordered or ordered[-1][1] <= 0:
        return None
    rank = q * ordered[-1][1]
    lower_le, lower_count = 0.0, 0.0
    for le, count in ordered:
        if count >= rank:
            if math.isinf(le):
                return lower_le  # beyond the last finite bucket: its bound is all we know
            inside = count - lower_count
            return lower_le + (le - lower_le) * ((rank - lower_count) / inside if inside else 1.0)
        lower_le, lower_count = le, count
    return None


@dataclass
class Overview:
    services: dict[str, bool]
    stages: list[tuple[str, float | None]]
    deliveries: dict[str, float]
    latency: dict[str, dict[str, float | None]]
    lag: dict[str, float]
    dead_letters: float | None
    retries_pending: float | None
    notes: list[str] = field(default_factory=list)


def summarise(api: list[Sample], scraped: dict[str, list[Sample] | None]) -> Overview:
    ingest, classify, notify = scraped.get("ingest"), scraped.get("classify"), scraped.get("notify")
    ingested = total(ingest, "frontwire_updates_ingested_total")
    pushed = total(api, "frontwire_updates_ingested_total") or 0.0
    stages = [("Ingested (polled)", ingested), ("Pushed through the API", pushed),
              ("Classified", total(classify, "frontwire_updates_classified_total")),
              ("Read by notify", total(notify, "frontwire_notify_updates_seen_total")),
              ("Alerts created", total(notify, "frontwire_alerts_total"))]
    deliveries: dict[str, float] = defaultdict(float)
    for n, labels, v in notify or []:
        if n == "frontwire_deliveries_total":
            deliveries[labels.get("outcome", "?")] += v
    lag: dict[str, float] = defaultdict(float)
    for samples in (classify, notify):
        for n, labels, v in samples or []:
            if n == "frontwire_consumer_lag_records":
                lag[labels.get("topic", "?")] += v
    dead = [total(s, "frontwire_deadletter_total") for s in (classify, notify)]
    latency = {name: {f"p{int(q * 100)}": quantile(notify, metric, q) for q in (0.5, 0.9, 0.99)}
               for name, metric in (("End to end (first seen → delivered)",
                                     "frontwire_end_to_end_latency_seconds"),
                                    ("One delivery attempt", "frontwire_delivery_latency_seconds"))}
    return Overview(
        services={name: samples is not None for name, samples in scraped.items()},
        stages=stages, deliveries=dict(deliveries), latency=latency, lag=dict(lag),
        dead_letters=None if all(d is None for d in dead) else sum(d or 0.0 for d in dead),
        retries_pending=total(notify, "frontwire_retries_pending"))
