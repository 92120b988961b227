"""Segmentation of the shared seed pages against their gold (read from ../shared, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.ingest import evaluate
from services.ingest.parsers import parse_page

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "eval" / "gold-dev.jsonl"

pytestmark = pytest.mark.skipif(not GOLD.is_file() or not SEEDS.is_dir(),
                                reason="../shared seeds and gold not present")


def gold_rows() -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = {}
    if GOLD.is_file():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.setdefault(row["doc"], []).append(row)
    return rows


@pytest.mark.parametrize("doc", sorted(gold_rows()))
def test_each_seed_meets_the_found_and_real_targets(doc: str) -> None:
    result = parse_page((SEEDS / doc).read_bytes(), url=doc)
    score = evaluate.score(doc, gold_rows()[doc], [e.text for e in result.entries])
    assert score.found >= evaluate.TARGET, score
    assert score.real >= evaluate.TARGET, score


def test_the_page_digest_is_a_summary_not_updates() -> None:
    for doc, rows in gold_rows().items():
        summaries = [r for r in rows if r["kind"] == "summary"]
        result = parse_page((SEEDS / doc).read_bytes(), url=doc)
        assert len([e for e in result.entries if e.kind == "summary"]) == len(summaries), doc


def test_seed_pages_date_their_timestamped_entries() -> None:
    for doc in gold_rows():
        result = parse_page((SEEDS / doc).read_bytes(), url=doc)
        assert result.page_date is not None, doc
        for entry in result.entries:
            if entry.published_at is not None:
                assert entry.published_at.utcoffset() is not None
                assert entry.published_at.date() == result.page_date


def test_the_eval_command_passes_on_the_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate.main([str(SEEDS), "--gold", str(GOLD)]) == 0
    out = capsys.readouterr().out
    assert "overall" in out and "met" in out


def test_the_eval_command_skips_without_shared_data(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert evaluate.main([str(tmp_path / "nope"), "--gold", str(tmp_path / "none.jsonl")]) == 0
    assert "skipped" in capsys.readouterr().out
