"""The learned model at run time: a committed linear artefact, loaded once, scored in pure
Python.

The artefact (``artefact/model.json.gz``, written by ``make train``) holds, per feature,
its inverse document frequency and one weight per label; a text's features are binary,
idf-weighted and L2-normalised, as at training. Per label it also holds the stacker that
combines the model's logit with the rules' scores into one calibrated probability, and
the decision threshold. Nothing is fetched: a missing or damaged artefact stops the
service with a message that says how to rebuild it.
"""

from __future__ import annotations

import gzip
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from schemas.models import LABELS, Label
from services.classify.model.features import features

ARTEFACT = Path(__file__).resolve().parent / "artefact" / "model.json.gz"


class ModelError(RuntimeError):
    """The model artefact is missing or unreadable; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Stacker:
    """How one label's evidence combines: a logistic regression over what
    ``core.stack_inputs`` reads (the model's logit, the rules' scores, the trap flag);
    its output is the label's calibrated probability, decided at ``threshold``."""

    coef: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, inputs: tuple[float, ...]) -> float:
        z = self.bias
        for c, x in zip(self.coef, inputs, strict=True):
            z += c * x
        return _sigmoid(z)


class Reading:
    """What the model read in one text: a logit per label for the whole text, and one per
    label for each sentence read alone (which ranks the sentences that drove a label)."""

    __slots__ = ("logits", "sentence_logits", "features")

    def __init__(self, logits: tuple[float, float, float, float],
                 sentence_logits: list[tuple[float, float, float, float]],
                 features: list[set[str]]) -> None:
        self.logits = logits
        self.sentence_logits = sentence_logits
        self.features = features  # of each sentence

    def best_sentence(self, label_index: int, skip: frozenset[int] = frozenset()) -> tuple[int, float]:
        """(index, logit) of the sentence that alone reads most like the label, leaving out
        ``skip``; (-1, -inf) when no sentence is left."""
        best, best_logit = -1, -math.inf
        for i, logits in enumerate(self.sentence_logits):
            if i not in skip and self.features[i] and logits[label_index] > best_logit:
                best, best_logit = i, logits[label_index]
        return best, best_logit


@dataclass(frozen=True)
class LinearModel:
    """Per-label logits of a text from the features of its sentences (see ``features``)."""

    version: str
    weights: Mapping[str, tuple[float, ...]]  # feature -> (idf, w per label ...), w scaled by idf
    bias: tuple[float, float, float, float]
    stackers: Mapping[Label, Stacker]
    info: Mapping[str, Any]

    def read(self, sentences: Iterable[str], marks: Iterable[str]) -> Reading:
        """Read a text given as its sentences and their marks (``rules.marks``): the text's
        features are the union of its sentences' (binary, idf-weighted, L2-normalised, as
        at training). One pass over the features gives the text's logits and each
        sentence's."""
        weights = self.weights
        b0, b1, b2, b3 = self.bias
        seen: set[str] = set()
        t0 = t1 = t2 = t3 = tq = 0.0
        per_sentence = []
        sentence_logits = []
        for sentence, mark in zip(sentences, marks, strict=True):
            feats = features(sentence, mark)
            per_sentence.append(feats)
            z0 = z1 = z2 = z3 = sq = 0.0
            for f in feats:
                row = weights.get(f)
                if row is None:
                    continue
                idf, w0, w1, w2, w3 = row
                sq += idf * idf
                z0 += w0
                z1 += w1
                z2 += w2
                z3 += w3
                if f not in seen:
                    seen.add(f)
                    tq += idf * idf
                    t0 += w0
                    t1 += w1
                    t2 += w2
                    t3 += w3
            if sq:
                n = math.sqrt(sq)
                sentence_logits.append((b0 + z0 / n, b1 + z1 / n, b2 + z2 / n, b3 + z3 / n))
            else:
                sentence_logits.append(self.bias)
        if tq:
            n = math.sqrt(tq)
            logits = (b0 + t0 / n, b1 + t1 / n, b2 + t2 / n, b3 + t3 / n)
        else:
            logits = self.bias
        return Reading(logits, sentence_logits, per_sentence)

    def logit_without(self, reading: Reading, skip: frozenset[int], label_index: int) -> float:
        """The logit of one label for the text read in ``reading`` without the sentences
        in ``skip``."""
        kept = (feats for i, feats in enumerate(reading.features) if i not in skip)
        return self._logits(set().union(*kept))[label_index]

    def _logits(self, feats: set[str]) -> tuple[float, float, float, float]:
        z0 = z1 = z2 = z3 = sq = 0.0
        for row in map(self.weights.get, feats):
            if row is not None:
                idf, w0, w1, w2, w3 = row
                sq += idf * idf
                z0 += w0
                z1 += w1
                z2 += w2
                z3 += w3
        b0, b1, b2, b3 = self.bias
        if sq == 0.0:
            return self.bias
        norm = math.sqrt(sq)
        return (b0 + z0 / norm, b1 + z1 / norm, b2 + z2 / norm, b3 + z3 / norm)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def load(path: Path = ARTEFACT) -> LinearModel:
    """Read an artefact (cached per path: every classifier in a process shares one)."""
    return _load(path.resolve())


@lru_cache(maxsize=4)
def _load(path: Path) -> LinearModel:
    try:
        doc = orjson.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        raise ModelError(f"model artefact {path} is missing; run `make train` (needs ../shared) "
                         "or restore it from git") from None
    except (OSError, EOFError, orjson.JSONDecodeError) as exc:
        raise ModelError(f"model artefact {path} is unreadable ({exc}); run `make train` "
                         "or restore it from git") from None
    try:
        if tuple(doc["labels"]) != tuple(label.value for label in LABELS):
            raise ModelError(f"model artefact {path} has labels {doc['labels']}, expected "
                             f"{[label.value for label in LABELS]}; run `make train`")
        weights = {f: tuple(row) for f, row in zip(doc["features"], doc["weights"], strict=True)}
        b0, b1, b2, b3 = (float(v) for v in doc["bias"])
        bias = (b0, b1, b2, b3)
        if any(len(row) != 5 for row in weights.values()):
            raise ValueError("weights must hold idf and one weight per label")
        stackers = {Label(name): Stacker(tuple(p["coef"]), p["bias"], p["threshold"])
                    for name, p in doc["stackers"].items()}
        return LinearModel(version=doc["version"], weights=weights, bias=bias,
                           stackers=stackers, info=doc.get("info", {}))
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"model artefact {path} is malformed ({exc!r}); run `make train`") from None
