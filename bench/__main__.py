"""Run every benchmark module, print each figure with its baseline and ratio, save results.json.

    python -m bench                 # all (under 10 minutes on 2 cores)
    python -m bench matching        # only modules whose name contains "matching" (the saved
                                    # results keep the other figures)
    python -m bench --quick         # fewer rounds and smaller batches (a smoke run)

results.json holds one {"name","value","unit","baseline","baseline_value","ratio"}
per figure; results-detail.json adds each module's extra fields (per-round values,
targets, setup). The growth sweep is separate: python -m bench.growth.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

MODULES = ("bench.bench_classify", "bench.bench_matching", "bench.bench_parse", "bench.bench_producer",
           "bench.bench_stories", "bench.bench_fanout", "bench.bench_pipeline")
OUT = Path(__file__).parent / "results.json"
DETAIL = Path(__file__).parent / "results-detail.json"
KEYS = ("name", "value", "unit", "baseline", "baseline_value", "ratio")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Run frontwire's benchmarks; print each figure beside "
        "its baseline measured in the same run, and the ratio; write bench/results.json.",
        epilog="The growth sweep is separate: python -m bench.growth (about 20 minutes).")
    parser.add_argument("only", nargs="*", metavar="NAME",
                        help="run only modules whose name contains NAME (" +
                        ", ".join(m.removeprefix("bench.bench_") for m in MODULES) + ")")
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller batches (a smoke run)")
    args = parser.parse_args(argv)
    if args.quick:
        os.environ["BENCH_QUICK"] = "1"  # read by the modules at import
    wanted = [m for m in MODULES if not args.only or any(a in m for a in args.only)]
    if not wanted:
        parser.error(f"no benchmark module matches {' '.join(args.only)}")
    begun = time.perf_counter()
    print(f"frontwire benchmarks on {platform.machine()} {platform.processor() or ''} "
          f"Python {platform.python_version()}; medians of repeated runs")
    rows: list[dict[str, Any]] = []
    for name in wanted:
        started = time.perf_counter()
        module = importlib.import_module(name)
        print(f"\n== {name.split('.')[-1]} ==", flush=True)
        for row in module.run():
            rows.append(row)
            target = f"  target {row['target']}" if "target" in row else ""
            print(f"{row['name']:<32} {row['value']:>14,.3f} {row['unit']:<12} "
                  f"baseline ({row['baseline']}): {row['baseline_value']:,.3f}  "
                  f"ratio {row['ratio']:,.3f}{target}", flush=True)
        print(f"({time.perf_counter() - started:.1f}s)")
    print(f"\nall benchmarks: {time.perf_counter() - begun:.0f}s")
    if len(wanted) < len(MODULES):  # a partial run updates its figures and keeps the others
        rows = merged(DETAIL, rows)
    OUT.write_text(json.dumps([{k: r[k] for k in KEYS} for r in rows], indent=2) + "\n")
    DETAIL.write_text(json.dumps(rows, indent=2, default=str) + "\n")
    print(f"\nwrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")
    return 0


def merged(path: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows saved at ``path`` with those of the same name replaced by ``rows`` (new
    names at the end)."""
    try:
        saved = json.loads(path.read_text())
    except (OSError, ValueError):
        return rows
    fresh = {r["name"]: r for r in rows}
    out = [fresh.pop(r["name"], r) for r in saved if isinstance(r, dict) and "name" in r]
    return out + list(fresh.values())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
