"""The scorer (LABELS.md rules) and the classifier's targets on the own set and on gold-dev."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas.models import Label
from services.classify.evaluation import run as evaluate
from services.classify.evaluation.scoring import row_id, score

OWN_SET = Path(__file__).resolve().parents[1] / "data" / "classify" / "own-set.jsonl"
GOLD_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def test_ambiguous_labels_are_neither_hit_nor_miss_and_summaries_are_ignored() -> None:
    rows = [
        {"id": "1", "kind": "update", "labels": ["aid"], "ambiguous": ["escalation"], "text": "x"},
        {"id": "2", "kind": "update", "labels": [], "ambiguous": ["civilian_harm"], "text": "y"},
        {"id": "3", "kind": "summary", "labels": ["aid"], "ambiguous": [], "text": "z"},
    ]
    predicted = {"1": {"labels": ["aid", "escalation"]}, "2": {"labels": []}, "3": {"labels": []}}
    report = score(rows, predicted)
    assert report.rows == 2
    assert (report.labels[Label.AID].tp, report.labels[Label.AID].fn) == (1, 0)
    assert report.labels[Label.ESCALATION].fp == 0
    assert report.macro_f1 == 1.0 and report.meets_targets


def test_false_positives_and_negatives_are_listed_with_evidence() -> None:
    rows = [{"id": "r", "kind": "update", "labels": ["aid"], "ambiguous": [], "note": "n", "text": "t"}]
    predicted = {"r": {"labels": ["civilian_harm"],
                       "evidence": {"civilian_harm": [{"start": 0, "end": 1, "text": "t"}]}}}
    report = score(rows, predicted)
    assert {(c.kind, c.label) for c in report.confusions} == {
        ("false positive", Label.CIVILIAN_HARM), ("false negative", Label.AID)}
    assert report.labels[Label.CIVILIAN_HARM].precision == 0.0 and not report.meets_targets


def test_rows_without_id_are_named_by_doc_and_lines() -> None:
    assert row_id({"doc": "a.txt", "lines": [3, 9]}, 0) == "a.txt:3-9"
    assert row_id({}, 4) == "row-5"


def test_missing_default_gold_set_is_skipped(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(evaluate, "DEFAULT_GOLD", Path("/nonexistent/gold-dev.jsonl"))
    assert evaluate.main([]) == 0
    assert "skipped" in capsys.readouterr().out


def test_own_set_meets_the_targets() -> None:
    report = evaluate.evaluate(OWN_SET)
    assert report.rows >= 120
    assert report.meets_targets, evaluate.render(report, "own set")


def test_gold_dev_meets_the_targets() -> None:
    gold = GOLD_DIR / "gold-dev.jsonl"
    if not gold.exists():
        pytest.skip(f"gold set not found at {gold}")
    report = evaluate.evaluate(gold)
    assert report.meets_targets, evaluate.render(report, "gold-dev")
