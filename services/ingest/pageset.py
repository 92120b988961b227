"""The gathered pages: a manifest in the repo, the page copies beside it in ../shared/pages.

Third-party page text is never committed. The manifest (``tests/data/ingest/pages.json``)
keeps each page's address, outlet, date, local file name, the parser kind its source
would declare (if any), and the gold entries as line ranges of the stored copy, with the
furniture lines inside an entry to skip (and ``drop``: metadata glued onto a line of the
entry, such as a publishing time). ``gold_rows`` turns one page into the same gold
rows as ``gold-dev.jsonl`` (``doc``, ``kind``, ``text``), checking that the stored copy
still starts and ends each entry with the words the manifest recorded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_LIST_MARK = re.compile(r"^(\d{1,3}\.|[•·▪◦‣*\-–—])\s+")


class ManifestError(ValueError):
    """The manifest or a stored copy does not fit: the message names the page and entry."""


@dataclass(frozen=True)
class Page:
    file: str
    url: str
    outlet: str
    date: str
    kind: str | None
    structures: tuple[str, ...]
    entries: tuple[dict[str, Any], ...]


def load_manifest(path: Path) -> list[Page]:
    """The pages listed in the manifest at ``path``."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return [Page(p["file"], p["url"], p["outlet"], p["date"], p.get("kind"),
                     tuple(p.get("structures", ())), tuple(p["entries"])) for p in doc["pages"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: unreadable manifest: {exc}") from exc


def gold_rows(page: Page, text: str) -> list[dict[str, object]]:
    """Gold rows of one page from its stored copy's ``text``."""
    lines = text.splitlines()
    rows: list[dict[str, object]] = []
    for n, entry in enumerate(page.entries, start=1):
        first, last = entry["lines"]
        skip = set(entry.get("skip", ()))
        if not 1 <= first <= last <= len(lines):
            raise ManifestError(f"{page.file}: entry {n}: lines {first}-{last} outside the page")
        kept = [_clean(lines[i - 1], entry.get("drop", ())) for i in range(first, last + 1)
                if i not in skip and lines[i - 1].strip()]
        if not kept or not _words(kept[0]).startswith(entry["first"]) \
                or not _words(kept[-1]).endswith(entry["last"]):
            raise ManifestError(f"{page.file}: entry {n}: the stored copy differs from the one "
                                f"marked (expected {entry['first']!r} ... {entry['last']!r})")
        rows.append({"doc": page.file, "lines": [first, last], "kind": entry["kind"],
                     "text": "\n".join(kept)})
    return rows


def _words(line: str) -> str:
    return " ".join(line.split())


def _clean(line: str, drop: tuple[str, ...] | list[str]) -> str:
    # A list's number or bullet is markup, not text; "drop" names metadata glued onto an
    # entry's line in the stored copy ("published at 15:39 ...").
    for piece in drop:
        line = line.replace(piece, "")
    return _LIST_MARK.sub("", line.strip())
