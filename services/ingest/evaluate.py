"""Segmentation evaluation: does ``frontwire parse`` cut real pages as their gold says?

``python -m services.ingest.evaluate [SEEDS_DIR] [--gold PATH] [--pages DIR] [--manifest PATH]``
runs the real CLI on the three sample pages (gold: ../shared/eval/gold-dev.jsonl) and on
the gathered pages of other outlets (gold: the repo's manifest, copies in ../shared/pages),
and prints per page, scored as ../shared/eval/LABELS.md describes:

* found: share of gold updates matched by a predicted entry (token Jaccard >= 0.8);
* real: share of predicted entries that match a gold update or summary;
* phantoms: the entries that match nothing, by kind (caption, related, intro, other).

Exit 0 when both are >= 0.95 on every page scored, 1 otherwise; a set whose data is
absent is reported as "skipped" (exit 0 when nothing else fails).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from services.ingest.pageset import ManifestError, gold_rows, load_manifest
from services.ingest.segscore import TARGET, THRESHOLD, Score, jaccard, score, tokens

__all__ = ["TARGET", "THRESHOLD", "Score", "jaccard", "main", "score", "tokens"]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
DEFAULT_GOLD = ROOT.parent / "shared" / "eval" / "gold-dev.jsonl"
DEFAULT_PAGES = ROOT.parent / "shared" / "pages"
DEFAULT_MANIFEST = ROOT / "tests" / "data" / "ingest" / "pages.json"
_ROW = "{:<44} {:<16} {:>4} {:>4} {:>6} {:>6}  {}"


def predict(path: Path, kind: str | None = None) -> tuple[list[str], str]:
    """Texts of the updates the CLI prints for ``path``, and its stderr."""
    cmd = [sys.executable, "-m", "frontwire", "parse", str(path)]
    if kind:
        cmd += ["--kind", kind]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    texts = []
    for line in proc.stdout.splitlines():
        if line.strip():
            upd = json.loads(line)
            texts.append(f"{upd['headline']}\n{upd['body']}" if upd.get("headline") else upd["body"])
    return texts, proc.stderr.strip()


def _seed_scores(seeds: Path, gold: Path) -> list[tuple[str, Score, str]] | None:
    if not seeds.is_dir() or not gold.is_file():
        return None
    by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_doc[row["doc"]].append(row)
    out = []
    for doc in sorted(by_doc):
        path = seeds / doc
        texts, stderr = predict(path) if path.is_file() else ([], "missing seed file")
        out.append(("sample", score(doc, by_doc[doc], texts), stderr if not texts else ""))
    return out


def _page_scores(pages: Path, manifest: Path) -> list[tuple[str, Score, str]] | None:
    if not pages.is_dir() or not manifest.is_file():
        return None
    out = []
    for page in load_manifest(manifest):
        path = pages / page.file
        if not path.is_file():
            out.append((page.outlet, score(page.file, [], []), "skipped: copy not found"))
            continue
        rows = gold_rows(page, path.read_text(encoding="utf-8"))
        texts, stderr = predict(path, page.kind)
        out.append((page.outlet, score(page.file, rows, texts), stderr if not texts else ""))
    return out


def _print_set(title: str, results: Sequence[tuple[str, Score, str]]) -> None:
    print(f"-- {title}")
    for outlet, result, note in results:
        mark = "ok" if result.passed else "BELOW TARGET"
        print(_ROW.format(result.doc[:44], outlet[:16], result.gold, result.predicted,
                          f"{result.found:.3f}", f"{result.real:.3f}",
                          f"{result.phantom_note():<30} {mark}"))
        if note:
            print(f"    {note[:200]}")
    gold_n = sum(s.gold for _, s, _ in results)
    pred_n = sum(s.predicted for _, s, _ in results)
    found = sum(s.found * s.gold for _, s, _ in results) / gold_n if gold_n else 1.0
    real = sum(s.real * s.predicted for _, s, _ in results) / pred_n if pred_n else 1.0
    outlets = len({o for o, _, _ in results})
    print(_ROW.format(f"overall ({len(results)} pages, {outlets} outlets)", "", gold_n, pred_n,
                      f"{found:.3f}", f"{real:.3f}", ""))


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    args.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS)
    args.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    args.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    opts = args.parse_args(argv)
    print(_ROW.format("page", "outlet", "gold", "pred", "found", "real", "phantoms"))
    scored: list[Score] = []
    sets = [("the three samples", opts.seeds, opts.gold, _seed_scores),
            ("gathered pages of other outlets", opts.pages, opts.manifest, _page_scores)]
    for title, folder, gold, run in sets:
        where = f"{folder} or {gold}"
        try:
            results = run(folder, gold)
        except ManifestError as exc:
            print(f"-- {title}: {exc}")
            return 1
        if results is None:
            print(f"-- {title}: skipped ({where} not found)")
            continue
        _print_set(title, results)
        scored += [s for _, s, note in results if not note.startswith("skipped")]
    if not scored:
        print("segmentation eval skipped: no pages to score")
        return 0
    passed = all(s.passed for s in scored)
    print(f"target found >= {TARGET} and real >= {TARGET} on every page: "
          f"{'met' if passed else 'NOT met'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
