"""Growth sweep: the pipeline figures as subscriptions, partitions and classify workers grow.

    python -m bench.growth            # ~20 minutes on 2 cores; not part of `make bench`
    python -m bench.growth --quick    # one round per configuration

Runs bench.bench_pipeline's stack once per configuration (a fresh broker, database
and services each time): 1k, 10k and 100k subscriptions at 4 partitions and one
classify worker, then 1 and 4 partitions with 1 and 2 classify workers at 10k
subscriptions. Each reports pipeline updates/s, webhook deliveries/s (the fan-out
seen in the pipeline), classify-stage updates/s, and end-to-end latency p50/p99 at
100 updates/s. Writes bench/growth.json and a Markdown table on stdout; draw the
plot with ``python -m bench.plot`` (needs matplotlib).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_common import median, p
from bench.bench_pipeline import Config, measure

OUT = Path(__file__).parent / "growth.json"
CONFIGS = [  # (subscriptions, partitions, classify workers)
    (1_000, 4, 1), (10_000, 4, 1), (100_000, 4, 1),
    (10_000, 1, 1), (10_000, 1, 2), (10_000, 4, 2),
]


def summarise(m: dict[str, Any]) -> dict[str, Any]:
    cfg = m["config"]
    out = {"subs": cfg["subs"], "partitions": cfg["partitions"], "classify_workers": cfg["classify_workers"],
           "pipeline_updates_per_s": median(m["pipeline"]),
           "deliveries_per_s": m["deliveries_per_s"],
           "webhooks_per_update": median(m["webhooks_per_update"]),
           "classify_updates_per_s": median(m["classify"]), "noop_updates_per_s": median(m["noop"])}
    if "latency" in m:
        out["latency_p50_s"] = median([p(r, 50) for r in m["latency"]])
        out["latency_p99_s"] = median([p(r, 99) for r in m["latency"]])
        out["bare_p99_s"] = median([p(r, 99) for r in m["bare"]])
    return out


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| subs | partitions | classify workers | pipeline updates/s | webhooks/update | "
             "deliveries/s | classify stage updates/s | no-op agent updates/s | e2e p50 s | e2e p99 s | "
             "3 bare hops p99 s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {r['subs']:,} | {r['partitions']} | {r['classify_workers']} | "
            f"{r['pipeline_updates_per_s']:,.0f} | {r['webhooks_per_update']:.3f} | "
            f"{r['deliveries_per_s']:,.0f} | {r['classify_updates_per_s']:,.0f} | "
            f"{r['noop_updates_per_s']:,.0f} | {r.get('latency_p50_s', float('nan')):.2f} | "
            f"{r.get('latency_p99_s', float('nan')):.2f} | {r.get('bare_p99_s', float('nan')):.3f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.growth",
        description="Pipeline throughput, fan-out and latency from 1k to 100k subscriptions and over "
        "1-4 partitions with 1-2 classify workers (about 20 minutes on 2 cores). Writes "
        "bench/growth.json and prints a Markdown table; python -m bench.plot draws it.")
    parser.add_argument("--quick", action="store_true", help="one smaller round per configuration")
    quick = parser.parse_args(argv).quick
    results = []
    for subs, partitions, workers in CONFIGS:
        started = time.perf_counter()
        cfg = Config(subs=subs, partitions=partitions, classify_workers=workers,
                     rounds=1 if quick else 2, n=1000 if quick else 1500, seconds=6 if quick else 10)
        results.append(summarise(measure(cfg)))
        print(f"{subs:>7,} subs, {partitions} partitions, {workers} classify worker(s): "
              f"{results[-1]['pipeline_updates_per_s']:,.0f} updates/s "
              f"({time.perf_counter() - started:.0f}s)", flush=True)
        OUT.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
