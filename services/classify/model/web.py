"""Real 2022-2025 news passages from stored public web pages.

The passages sit outside the repo, in ``../shared/eval/web/`` (third-party text is never
committed); the repo keeps their addresses (``tests/data/classify/SOURCES.md``, so an
evaluation can leave them out) and their labels (``annotations/web*-a.jsonl``, ``-b``).
Three sets, gathered separately from different searches:
``passages.jsonl`` (labels ``web-a``/``web-b``), ``passages-2.jsonl`` (``web2-*``) and
``passages-3.jsonl`` (``web3-*``, rich in military moves, escalations and their look-alikes),
``passages-4.jsonl`` (``web4-*``: war news, official statements, humanitarian updates and
close look-alikes, gathered after the model stopped training on web text).

None of them is trained on: ``make train`` must rebuild the committed artefact from a fresh
clone and ``../shared`` alone, and these passages are not part of ``../shared``. Where a
checkout has them, ``make eval`` scores all three as held-out sets.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from services.classify.model.corpus import ANNOTATIONS, REPO
from services.classify.model.dataset import DEFAULT_YEAR, Example, merge

WEB_DIR = REPO.parent / "shared" / "eval" / "web"
SETS = {"web": ("passages.jsonl", "test"), "web2": ("passages-2.jsonl", "test"),
        "web3": ("passages-3.jsonl", "test"), "web4": ("passages-4.jsonl", "test")}


def _labels(name: str) -> dict[str, dict[str, Any]]:
    path = ANNOTATIONS / f"{name}.jsonl"
    if not path.exists():
        return {}
    return {r["id"]: r for r in map(orjson.loads, path.read_bytes().splitlines()) if r}


def web_examples(which: str = "web", directory: Path = WEB_DIR) -> list[Example]:
    """The annotated passages of one set; empty when the passages or their labels are absent."""
    file_name, split = SETS[which]
    path = directory / file_name
    first, second = _labels(f"{which}-a"), _labels(f"{which}-b")
    if not path.exists() or not first:
        return []
    out = []
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        row = orjson.loads(line)
        a = first.get(row["id"])
        if a is None:
            continue
        labels, amb = merge(a, second.get(row["id"]))
        out.append(Example(row["id"], row["text"], labels, amb, "web", f"web:{row.get('site', '')}",
                           split, DEFAULT_YEAR, {}))
    return out


def manifest(directory: Path = WEB_DIR) -> list[tuple[str, str, str]]:
    """(set, id, address) of every passage, for SOURCES.md."""
    out: list[tuple[str, str, str]] = []
    for which, (file_name, _split) in SETS.items():
        path = directory / file_name
        if path.exists():
            out.extend((which, row["id"], row["url"]) for row in
                       map(orjson.loads, path.read_bytes().splitlines()) if row)
    return out


SOURCES = REPO / "tests" / "data" / "classify" / "SOURCES.md"


def write_sources(path: Path = SOURCES) -> int:
    """Write the manifest of every stored page a passage was taken from; returns the count.
    Rows already listed stay listed when their passages are not in this checkout."""
    found = manifest()
    have = {pid for _which, pid, _url in found}
    kept = []
    if path.exists():
        for line in path.read_text().splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[1].startswith("web-") and cells[1] not in have:
                kept.append((cells[0], cells[1], cells[2]))
    rows = sorted(kept + found, key=lambda r: (list(SETS).index(r[0]) if r[0] in SETS else 99,))
    lines = ["# Stored public web pages behind the web passages",
             "",
             "Passages (a headline and its first paragraphs, or one paragraph) of these pages, as",
             "stored in a public web-page collection, were labelled by `../shared/eval/LABELS.md`",
             "(`services/classify/model/annotations/web*`). Their text lives in `../shared/eval/web/`,",
             "never in this repository. No set is trained on (`make train` learns only from what a",
             "fresh clone and `../shared` hold); earlier models were trained on sets `web2` and `web3`,",
             "so an evaluation of frontwire's classifier should still leave these pages out.",
             "Regenerate with `python -m services.classify.model.web`.",
             "",
             "| set | passage id | address |",
             "| --- | --- | --- |"]
    lines += [f"| {which} | {pid} | {url} |" for which, pid, url in rows]
    path.write_text("\n".join(lines) + "\n")
    return len(rows)


if __name__ == "__main__":
    print(f"wrote {write_sources()} passages to {SOURCES}")
