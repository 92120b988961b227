"""Identity and revisions of updates: which entries are new, which are edits, which are gone.

Pure functions over parser ``Entry`` values and what was seen before; the caller
supplies the clock (``first_seen_at``) and the store (``known``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from schemas.models import Update
from services.ingest.parsers import Entry

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
                         "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-"})
_SPACE = re.compile(r"\s+")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._~-]{1,64}$")
# A sentence ends after two lower-case letters or digits, so "U.S." or "Mr." does not end one.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)]{2}[.!?])[\"'”’]?\s+(?=[A-Z0-9\"'“‘])")
_MAX_ID = 200  # Update.id's limit


class KnownEntry(NamedTuple):
    """What the store remembers of a published update."""

    hash: str
    revision: int
    first_seen_at: datetime | None = None  # kept on revisions: the entry was first seen then
    vanished: bool = False  # gone from the page at the last poll


@dataclass(frozen=True)
class Diff:
    """The change between what a page shows now and what was published before."""

    new: list[Update]
    revised: list[Update]
    unchanged: int
    vanished: list[str]
    duplicates: list[str] = field(default_factory=list)  # ids seen twice on the page: first kept
    returned: list[str] = field(default_factory=list)  # vanished before, back unchanged now


def normalise(text: str) -> str:
    """Text for comparing and hashing: NFKC, casefolded, one kind of quote/dash, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", text).strip()


def content_hash(entry: Entry) -> str:
    """Digest of the entry's normalised headline and body: changes when its text changes."""
    text = normalise(entry.headline or "") + "\n" + normalise(entry.body)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _digest(text: str, size: int = 20) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def _first_sentence(body: str) -> str:
    first_para = body.strip().split("\n", 1)[0]
    sentence = _SENTENCE_END.split(first_para, maxsplit=1)[0]
    # Very short openers ("Good morning.") are shared by many entries: take more words.
    return sentence if len(sentence.split()) >= 6 else " ".join(first_para.split()[:30])


def update_id(source: str, entry: Entry) -> str:
    """Stable id of an entry: the page's own id if it has one, else headline/first sentence.

    Later paragraphs do not take part, so editing them makes a revision, not a new update.
    """
    if entry.entry_id and entry.entry_id.strip():
        own = entry.entry_id.strip()
        # Keep short, URL-safe ids readable; a URL or long id becomes a digest of itself.
        local = own if _SAFE_ID.match(own) else "e" + _digest(own)
    else:
        basis = normalise(entry.headline) if entry.headline else normalise(_first_sentence(entry.body))
        local = "h" + _digest(f"{source}\n{entry.kind}\n{basis}")
    prefix = source if len(source) + len(local) < _MAX_ID else "s" + _digest(source, 16)
    return f"{prefix}:{local}"


def to_update(source: str, entry: Entry, *, first_seen_at: datetime, revision: int = 1,
              previous_hash: str | None = None, page_url: str | None = None,
              revised_at: datetime | None = None) -> Update:
    """The Update message for one entry (``revision``, ``previous_hash`` and ``revised_at``
    for edits)."""
    return Update(id=update_id(source, entry), source=source, kind=entry.kind,
                  headline=entry.headline, body=entry.body, section=entry.section,
                  url=entry.url, page_url=page_url, published_at=entry.published_at,
                  first_seen_at=first_seen_at, revision=revision, revised_at=revised_at,
                  content_hash=content_hash(entry), previous_hash=previous_hash)


def diff(source: str, entries: Sequence[Entry], known: Mapping[str, KnownEntry],
         first_seen_at: datetime) -> Diff:
    """What to publish for a page now showing ``entries``, given the ``known`` updates."""
    new: list[Update] = []
    revised: list[Update] = []
    duplicates: list[str] = []
    returned: list[str] = []
    unchanged = 0
    seen: set[str] = set()
    for entry in entries:
        uid = update_id(source, entry)
        if uid in seen:
            # Two entries claiming one id: publishing both would make one flip-flop revisions.
            duplicates.append(uid)
            continue
        seen.add(uid)
        before = known.get(uid)
        if before is None:
            new.append(to_update(source, entry, first_seen_at=first_seen_at))
        elif before.hash != content_hash(entry):
            revised.append(to_update(source, entry, first_seen_at=before.first_seen_at or first_seen_at,
                                     revision=before.revision + 1, previous_hash=before.hash,
                                     revised_at=first_seen_at))
        else:
            unchanged += 1
            if before.vanished:
                # Pages scroll and parsers stumble: an entry that comes back is not new again.
                returned.append(uid)
    vanished = [uid for uid, before in known.items() if uid not in seen and not before.vanished]
    return Diff(new=new, revised=revised, unchanged=unchanged, vanished=vanished,
                duplicates=duplicates, returned=returned)
