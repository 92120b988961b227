"""No label fires on updates that report none of the four kinds of news."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.models import Update
from services.classify.core import Classifier

DATA = Path(__file__).resolve().parents[1] / "data" / "classify"
T = datetime(2024, 10, 21, tzinfo=UTC)


def _decoys() -> list[dict[str, str]]:
    rows = [json.loads(line) for line in (DATA / "decoys.jsonl").read_text().splitlines() if line.strip()]
    own = [json.loads(line) for line in (DATA / "own-set.jsonl").read_text().splitlines() if line.strip()]
    return rows + [r for r in own if r["doc"] == "own-decoys"]


def test_decoy_file_is_big_enough() -> None:
    assert len(_decoys()) >= 50


@pytest.mark.parametrize("row", _decoys(), ids=lambda r: r["id"])
def test_no_label_fires_on_a_decoy(row: dict[str, str]) -> None:
    update = Update(id=row["id"], source="decoys", body=row["text"], first_seen_at=T, content_hash="h")
    result = Classifier().classify(update, classified_at=T)
    assert result.labels == [], {label.value: [s.text for s in spans] for label, spans in result.evidence.items()}
