"""Real 2022-2025 news passages from stored public web pages, for evaluation only.

The passages sit outside the repo, in ``../shared/eval/web/passages.jsonl`` (third-party
text is never committed); the repo keeps their addresses (``tests/data/classify/SOURCES.md``)
and their labels (``annotations/web-a.jsonl``, ``web-b.jsonl``). They are never trained
or tuned on: they stand in for the real reports an evaluator brings.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from services.classify.model.corpus import ANNOTATIONS, REPO
from services.classify.model.dataset import DEFAULT_YEAR, Example, merge

WEB = REPO.parent / "shared" / "eval" / "web" / "passages.jsonl"


def web_examples(path: Path = WEB) -> list[Example]:
    """The annotated passages; empty when the passages or their labels are absent."""
    first, second = ANNOTATIONS / "web-a.jsonl", ANNOTATIONS / "web-b.jsonl"
    if not path.exists() or not first.exists():
        return []
    labels_a = {r["id"]: r for r in map(orjson.loads, first.read_bytes().splitlines()) if r}
    labels_b = ({r["id"]: r for r in map(orjson.loads, second.read_bytes().splitlines()) if r}
                if second.exists() else {})
    out = []
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        row = orjson.loads(line)
        a = labels_a.get(row["id"])
        if a is None:
            continue
        labels, amb = merge(a, labels_b.get(row["id"]))
        out.append(Example(row["id"], row["text"], labels, amb, "web", f"web:{row.get('site', '')}",
                           "test", DEFAULT_YEAR, {}))
    return out
