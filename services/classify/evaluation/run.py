"""``make eval``: run ``frontwire classify`` over gold sets and score it (see ``scoring``).

    python -m services.classify.evaluation.run [GOLD_PATH ...]

Without paths it scores ``../shared/eval/gold-dev.jsonl`` next to the repository
and says "skipped" (exit 0) when that file is absent. Exit 0 when every set meets
the targets (precision >= 0.9 per label, macro-F1 >= 0.9), 1 when one misses,
2 when a named file cannot be read or the classifier fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from services.classify.evaluation.scoring import Report, render, row_id, score

REPO = Path(__file__).resolve().parents[3]
DEFAULT_GOLD = REPO.parent / "shared" / "eval" / "gold-dev.jsonl"


class EvalError(RuntimeError):
    """The gold set or the classifier run failed; the message says which and why."""


def load_rows(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_bytes().splitlines()
    except OSError as exc:
        raise EvalError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return [orjson.loads(line) for line in lines if line.strip()]
    except orjson.JSONDecodeError as exc:
        raise EvalError(f"{path} is not JSON Lines: {exc}") from None


def classify_rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run ``frontwire classify`` as a subprocess over the rows; results keyed by row id."""
    feed = b"".join(
        orjson.dumps({"id": row_id(row, i), "text": row["text"], "kind": row.get("kind", "update")}) + b"\n"
        for i, row in enumerate(rows))
    proc = subprocess.run([sys.executable, "-m", "frontwire", "classify"], input=feed, cwd=REPO,
                          capture_output=True, timeout=300, check=False)
    if proc.returncode != 0 and not proc.stdout:
        raise EvalError(f"frontwire classify failed (exit {proc.returncode}): "
                        f"{proc.stderr.decode(errors='replace')[-2000:]}")
    results = (orjson.loads(line) for line in proc.stdout.splitlines() if line.strip())
    return {r["update"]["id"]: r for r in results}


def evaluate(path: Path) -> Report:
    rows = load_rows(path)
    return score(rows, classify_rows(rows))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv]
    if not paths:
        if not DEFAULT_GOLD.exists():
            print(f"gold set not found at {DEFAULT_GOLD}; evaluation skipped")
            return 0
        paths = [DEFAULT_GOLD]
    ok = True
    for path in paths:
        try:
            report = evaluate(path)
        except EvalError as exc:
            print(f"evaluate: {exc}", file=sys.stderr)
            return 2
        print(render(report, str(path)))
        print()
        ok = ok and report.meets_targets
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
