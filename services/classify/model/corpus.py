"""The real text the model learns from, joined with the annotations kept in the repo.

Third-party text stays in ``../shared/eval/real/`` and is never committed: the repo keeps
ids and labels (``annotations/``), and this module joins them back to the text. Ids are
digests of a post's own fields, so they do not depend on line order.

Splits are fixed by content, never by chance: live-blog posts are held out by blog (a
blog whose id digest falls in the test fifth), UCDP events by year (2020 and 2021).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[3]
SHARED_REAL = REPO.parent / "shared" / "eval" / "real"
ANNOTATIONS = Path(__file__).resolve().parent / "annotations"
POSTS_FILE = "liveblog-posts.jsonl"
UCDP_FILE = "ucdp-ukraine-2014-2021.jsonl"
UCDP_TEST_YEARS = frozenset({2020, 2021})


@dataclass(frozen=True)
class Item:
    """One text with its id and where it comes from."""

    id: str
    text: str
    group: str  # the unit of the split: a blog id, or a UCDP year
    split: str  # "train" or "test"
    meta: dict[str, Any]


def post_id(row: dict[str, Any]) -> str:
    """A live-blog post's id: a digest of its blog, time, title and text."""
    key = "\x1f".join((row["blog"], str(row["time"]), row.get("title") or "", row["text"]))
    return "lb-" + hashlib.sha1(key.encode()).hexdigest()[:16]


def blog_split(blog: str) -> str:
    """Held out by blog: one blog in five, picked by its id's digest."""
    return "test" if int(hashlib.sha1(blog.encode()).hexdigest()[:8], 16) % 5 == 0 else "train"


_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"([(\[{$£€]) ")


_SENTENCE_START = re.compile(r'(^|[.!?]["\')]* +|\n)([a-z])')
_I = re.compile(r"\bi\b")


def detokenise(text: str) -> str:
    """Undo the corpus's tokenisation for reading (``there 's`` -> ``there's``), and give
    sentences their capital back, so that sentence splitting works as on raw text."""
    text = text.replace("``", '"').replace("''", '"')
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    text = _I.sub("I", text)
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def post_text(row: dict[str, Any]) -> str:
    """What a post reads as: its title as a headline line, then its text."""
    title = (row.get("title") or "").strip()
    body = detokenise(row["text"].strip())
    return f"{detokenise(title)}\n{body}" if title else body


def read_posts(directory: Path = SHARED_REAL) -> Iterator[Item]:
    """Every live-blog post, with id and split; the first of identical posts only."""
    seen: set[str] = set()
    with (directory / POSTS_FILE).open("rb") as fh:
        for line in fh:
            row = orjson.loads(line)
            pid = post_id(row)
            if pid in seen:
                continue
            seen.add(pid)
            yield Item(pid, post_text(row), row["blog"], blog_split(row["blog"]),
                       {"outlet": row["outlet"], "blog_title": row["blog_title"], "url": row["url"]})


def ucdp_year(row: dict[str, Any]) -> int:
    return int(row["date"].split()[0].split("/")[2])


def read_ucdp(directory: Path = SHARED_REAL) -> Iterator[Item]:
    """Every UCDP event, its headlines one per line; held out by year."""
    with (directory / UCDP_FILE).open("rb") as fh:
        for line in fh:
            row = orjson.loads(line)
            year = ucdp_year(row)
            text = "\n".join(h.strip() for h in row["text"].split(";") if h.strip())
            yield Item(row["id"], text, str(year), "test" if year in UCDP_TEST_YEARS else "train",
                       {"civilian_harm": int(row["civilian_harm"]), "ucdp": row["ucdp"]})


def read_annotations(name: str) -> dict[str, dict[str, Any]]:
    """``annotations/<name>.jsonl`` as id -> {labels, ambiguous, ...}."""
    path = ANNOTATIONS / f"{name}.jsonl"
    rows = (orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip())
    return {row["id"]: row for row in rows}
