"""Draw docs/bench-growth.png from bench/growth.json (written by ``python -m bench.growth``).

    python -m bench.plot

Needs matplotlib, which is not a frontwire dependency: install it into the venv only
for this (``.venv/bin/pip install matplotlib``). Nothing else imports this module.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "bench" / "growth.json"
TARGET = ROOT / "docs" / "bench-growth.png"


def draw(results: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_subs = sorted((r for r in results if r["partitions"] == 4 and r["classify_workers"] == 1),
                     key=lambda r: r["subs"])
    at_10k = [r for r in results if r["subs"] == 10_000]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))

    ax = axes[0]
    subs = [r["subs"] for r in by_subs]
    ax.plot(subs, [r["pipeline_updates_per_s"] for r in by_subs], "o-", label="pipeline updates/s")
    ax.plot(subs, [r["deliveries_per_s"] for r in by_subs], "s--", label="webhook deliveries/s")
    ax.plot(subs, [r["classify_updates_per_s"] for r in by_subs], "^:", label="classify stage updates/s")
    ax.axhline(1500, color="grey", lw=0.8, ls="--", label="target 1,500 updates/s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("subscriptions (4 partitions, 1 classify worker)")
    ax.set_ylabel("per second")
    ax.set_title("Throughput vs subscriptions")
    ax.legend(fontsize=8)

    ax = axes[1]
    ax.plot(subs, [r.get("latency_p50_s", float("nan")) for r in by_subs], "o-", label="e2e p50")
    ax.plot(subs, [r.get("latency_p99_s", float("nan")) for r in by_subs], "s-", label="e2e p99")
    ax.plot(subs, [r.get("bare_p99_s", float("nan")) for r in by_subs], "^:", label="3 bare Kafka hops p99")
    ax.axhline(0.25, color="grey", lw=0.8, ls="--", label="target p99 0.25 s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("subscriptions (at 100 updates/s)")
    ax.set_ylabel("seconds")
    ax.set_title("End-to-end latency vs subscriptions")
    ax.legend(fontsize=8)

    ax = axes[2]
    labels = [f"{r['partitions']}p/{r['classify_workers']}w" for r in at_10k]
    xs = range(len(at_10k))
    width = 0.27
    ax.bar([x - width for x in xs], [r["pipeline_updates_per_s"] for r in at_10k], width, label="pipeline")
    ax.bar(list(xs), [r["classify_updates_per_s"] for r in at_10k], width, label="classify stage")
    ax.bar([x + width for x in xs], [r["noop_updates_per_s"] for r in at_10k], width, label="no-op agent")
    ax.set_xticks(list(xs), labels)
    ax.set_xlabel("partitions / classify workers (10k subscriptions)")
    ax.set_ylabel("updates/s")
    ax.set_title("Partitions and classify workers")
    ax.legend(fontsize=8)

    fig.suptitle("frontwire pipeline growth on the embedded broker (2 shared cores; medians)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.plot",
        description=f"Draw {TARGET.relative_to(ROOT)} from a growth sweep's results (needs matplotlib).")
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE,
                        help=f"growth results (default {SOURCE.relative_to(ROOT)})")
    source = parser.parse_args(argv).source
    draw(json.loads(source.read_text()), TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
