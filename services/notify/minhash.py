"""MinHash signatures and LSH band keys over an update's content words: pure, no I/O.

Reports of one event by several outlets share their content words (names, places,
numbers) far more than their phrasing: two rewordings of one wire story share ~20 %
of their 3-word shingles but ~75 % of their content words. So the test is the
estimated Jaccard similarity of the sets of content words (stop words dropped,
numbers kept: they tell one swap from another), by MinHash with 64 hash functions
``(a·x + b) mod p`` over CRC-32 word hashes, computed in one vectorised pass.

Candidates are found by locality-sensitive hashing: 21 bands of 3 rows. On this
project's own labelled updates (~200,000 pairs of unrelated texts, token Jaccard at
p99.9 ≈ 0.2) that makes 0.15 % of unrelated stories candidates, against 2.4 % for
32 bands of 2 rows, while a pair at the 0.5 threshold is a candidate with
probability 0.94 and one at 0.6 with 0.99. Everything here is stable across
processes and machines (fixed seed, CRC-32), so workers agree on signatures.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

PERMUTATIONS = 64
BANDS, ROWS = 21, 3
_PRIME = (1 << 31) - 1  # a·x + b < 2**63 for 31-bit a, x, b: no overflow in uint64
_rng = random.Random(20241018)
_A = np.array([_rng.randrange(1, _PRIME) for _ in range(PERMUTATIONS)], dtype=np.uint64)[:, None]
_B = np.array([_rng.randrange(0, _PRIME) for _ in range(PERMUTATIONS)], dtype=np.uint64)[:, None]
_WORD = re.compile(r"\w+")
_STOP = frozenset(["a", "an", "the", "of", "in", "on", "at", "to", "and", "or", "for", "by", "with",
                   "from", "as", "is", "was", "were", "has", "have", "had", "that", "this", "it",
                   "its", "be", "been", "are", "said", "says"])

Signature = npt.NDArray[np.uint64]


def content_words(text: str) -> set[str]:
    """The words that tell one story from another: casefolded, stop words dropped."""
    return {w for w in _WORD.findall(text.casefold()) if w not in _STOP}


_word_hashes: dict[str, int] = {}  # a news vocabulary repeats: hash each word once
_MAX_WORDS = 500_000


def _word_hash(word: str) -> int:
    value = _word_hashes[word] = zlib.crc32(word.encode()) % _PRIME
    return value


def signature(text: str) -> Signature:
    """The MinHash signature (PERMUTATIONS values) of ``text``'s content words."""
    words = content_words(text) or {""}
    if len(_word_hashes) > _MAX_WORDS:
        _word_hashes.clear()
    known = _word_hashes.get
    hashes = np.array([known(w) or _word_hash(w) for w in words], dtype=np.uint64)
    return np.asarray(((_A * hashes[None, :] + _B) % _PRIME).min(axis=1), dtype=np.uint64)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the word sets behind two signatures."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


# Mixing a band's rows into one 64-bit key: odd multipliers, wrapping in uint64, plus a
# per-band offset so equal rows in different bands do not collide.
_MIX = np.array([_rng.randrange(1, 1 << 64) | 1 for _ in range(ROWS)], dtype=np.uint64)
_BAND_SALT = np.array([_rng.randrange(0, 1 << 64) for _ in range(BANDS)], dtype=np.uint64)


def band_keys(sig: Signature) -> list[int]:
    """One key per LSH band; equal keys make two signatures candidates."""
    rows = sig[: BANDS * ROWS].reshape(BANDS, ROWS)
    keys: list[int] = ((rows * _MIX).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT).tolist()
    return keys


def dumps(sig: Signature) -> str:
    return ",".join(map(str, sig.tolist()))


def loads(text: str) -> Signature | None:
    """A stored signature, or None when it is not one of this version (64 values)."""
    try:
        values: Sequence[int] = [int(x) for x in text.split(",")]
    except ValueError:
        return None
    if len(values) != PERMUTATIONS:
        return None
    return np.array(values, dtype=np.uint64)
