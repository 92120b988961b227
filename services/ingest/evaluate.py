"""Segmentation evaluation: does ``frontwire parse`` cut the seed pages as the gold says?

``python -m services.ingest.evaluate [SEEDS_DIR] [--gold PATH]`` runs the real CLI on
each seed and scores it as ../shared/eval/LABELS.md describes:

* found: share of gold updates matched by a predicted entry (token Jaccard >= 0.8);
* real: share of predicted entries that match a gold update or summary.

Exit 0 when both are >= 0.95 on every seed, 1 otherwise; 0 with "skipped" when the
shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "gold-dev.jsonl"
THRESHOLD = 0.8
TARGET = 0.95
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Score:
    doc: str
    gold: int
    predicted: int
    found: float
    real: float

    @property
    def passed(self) -> bool:
        return self.found >= TARGET and self.real >= TARGET


def tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def score(doc: str, gold: list[dict[str, object]], predicted: list[str]) -> Score:
    """Found and real for one page (an empty side scores 1.0 only if the other is empty too)."""
    pred = [tokens(t) for t in predicted]
    gold_updates = [tokens(str(g["text"])) for g in gold if g["kind"] == "update"]
    gold_all = [tokens(str(g["text"])) for g in gold]
    found = sum(any(jaccard(g, p) >= THRESHOLD for p in pred) for g in gold_updates)
    real = sum(any(jaccard(p, g) >= THRESHOLD for g in gold_all) for p in pred)
    return Score(doc, len(gold_updates), len(pred),
                 found / len(gold_updates) if gold_updates else float(not pred),
                 real / len(pred) if pred else float(not gold_updates))


def predict(path: Path) -> tuple[list[str], str]:
    """Texts of the updates the CLI prints for ``path``, and its stderr."""
    proc = subprocess.run([sys.executable, "-m", "frontwire", "parse", str(path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    texts = []
    for line in proc.stdout.splitlines():
        if line.strip():
            upd = json.loads(line)
            texts.append(f"{upd['headline']}\n{upd['body']}" if upd.get("headline") else upd["body"])
    return texts, proc.stderr.strip()


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS)
    args.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    opts = args.parse_args(argv)
    if not opts.seeds.is_dir() or not opts.gold.is_file():
        print(f"segmentation eval skipped: {opts.seeds} or {opts.gold} not found")
        return 0
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in opts.gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_doc[row["doc"]].append(row)
    scores = []
    print(f"{'seed':<36} {'gold':>5} {'pred':>5} {'found':>7} {'real':>7}")
    for doc in sorted(by_doc):
        path = opts.seeds / doc
        texts, stderr = predict(path) if path.is_file() else ([], "missing seed file")
        result = score(doc, by_doc[doc], texts)
        scores.append(result)
        mark = "ok" if result.passed else "BELOW TARGET"
        print(f"{doc:<36} {result.gold:>5} {result.predicted:>5} {result.found:>7.3f} "
              f"{result.real:>7.3f}  {mark}")
        if stderr and not texts:
            print(f"    {stderr}")
    gold_n = sum(s.gold for s in scores)
    pred_n = sum(s.predicted for s in scores)
    found = sum(s.found * s.gold for s in scores) / gold_n if gold_n else 1.0
    real = sum(s.real * s.predicted for s in scores) / pred_n if pred_n else 1.0
    print(f"{'overall':<36} {gold_n:>5} {pred_n:>5} {found:>7.3f} {real:>7.3f}")
    passed = all(s.passed for s in scores)
    print(f"target found >= {TARGET} and real >= {TARGET} on every seed: "
          f"{'met' if passed else 'NOT met'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
