"""The learned model: its artefact is what `make train` makes, it loads offline, and the
training data is joined by id, never committed as text."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import orjson
import pytest

from schemas.models import LABELS
from services.classify.model import corpus, linear, train
from services.classify.model.dataset import merge
from services.classify.model.features import features, stem, tokens

REAL = corpus.SHARED_REAL
needs_shared = pytest.mark.skipif(
    not (REAL / corpus.POSTS_FILE).exists(),
    reason="../shared/eval/real is absent: the training data is not here")


def test_the_committed_artefact_loads_and_names_every_label() -> None:
    model = linear.load()
    assert model.version.startswith("model-")
    assert set(model.stackers) == set(LABELS)
    assert all(0.5 <= s.threshold <= 1.0 for s in model.stackers.values())
    assert linear.ARTEFACT.stat().st_size < 50_000_000


def test_a_damaged_artefact_stops_with_a_message_that_says_how_to_rebuild(tmp_path: Path) -> None:
    broken = tmp_path / "model.json.gz"
    broken.write_bytes(gzip.compress(b'{"labels": ["aid"]}'))
    with pytest.raises(linear.ModelError, match="make train"):
        linear.load(broken)
    with pytest.raises(linear.ModelError, match="missing"):
        linear.load(tmp_path / "absent.json.gz")


def test_negation_reaches_the_next_words_of_its_clause_only() -> None:
    assert tokens("No civilians were hurt, but the school was hit") == [
        "no", "not_civilian", "not_were", "not_hurt", "but", "school", "hit"]
    assert "not_civilian" in features("There were no civilians hurt")
    assert "civilians" not in features("No civilians were hurt")


def test_stems_join_the_forms_of_a_word_and_marks_set_sentences_apart() -> None:
    assert stem("shelled") == stem("shelling") == stem("shells") == "shell"
    assert stem("injuries") == "injury"
    assert all(f.startswith("bg:") for f in features("300 civilians were killed", "bg:"))


def test_same_tokens_from_raw_and_from_the_corpus_tokenised_text() -> None:
    raw = "There's no doubt: Russia's strike hit 4 homes."
    tokenised = "there 's no doubt : russia 's strike hit 4 homes ."
    assert tokens(raw) == tokens(tokenised)
    assert corpus.detokenise("there 's a fire . i saw it") == "There's a fire. I saw it"


def test_two_annotators_agree_on_a_label_or_it_is_ambiguous() -> None:
    a = {"labels": ["aid", "civilian_harm"], "ambiguous": []}
    b = {"labels": ["civilian_harm"], "ambiguous": ["escalation"]}
    labels, ambiguous = merge(a, b)
    assert {x.value for x in labels} == {"civilian_harm"}
    assert {x.value for x in ambiguous} == {"aid", "escalation"}


def test_annotations_hold_ids_and_labels_only_never_third_party_text() -> None:
    for path in sorted(corpus.ANNOTATIONS.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            row = orjson.loads(line)
            assert set(row) <= {"id", "labels", "ambiguous", "annotator"}, path.name
            assert re.fullmatch(r"(lb-[0-9a-f]{16}|ucdp-\d+|web-[0-9a-f]{12})", row["id"]), row["id"]


@needs_shared
def test_make_train_reproduces_the_committed_artefact_byte_for_byte() -> None:
    assert train.main(["--check"]) == 0
