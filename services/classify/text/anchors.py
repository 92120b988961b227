"""The anchor gate: which sentences of a text can hold a rule's phrase.

Every rule and cue names anchors, lower-case literals one of which each of its
matches holds. Each anchor set is registered once (``anchor_keys``): anchors of
three letters or more that start a word are looked up among the word heads of
each sentence (a set operation), shorter ones and phrases with ``str.find``, once
per text and only when a word they need is there. ``fill`` computes the sentence
masks of all registered sets at once; a gate is then one list lookup. Masks are
ints, bit i for sentence i. The gate may let a sentence through that the rule's
regex then rejects, never the reverse.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

_PREFIX4 = re.compile(r"(?<!\w)\w{4}")
_WORD3 = re.compile(r"\w{3}")
_WORD_RUN = re.compile(r"\w+")
# Word heads: the first four letters of each word, or a word of three.
_HEADS = re.compile(r"(?<!\w)\w{3,4}")
# What may follow three letters in a word: a key of three letters is looked up as all of these
# four-letter heads, and as the word itself.
_FOURTH = "abcdefghijklmnopqrstuvwxyz0123456789_àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿœ"


class AnchorKeys(NamedTuple):
    """An anchor set prepared for the gate: its slot in the registry, the first three or
    four letters of the anchors that start a word with them, the anchors looked for whole."""

    slot: int
    prefixes: frozenset[str]
    short: tuple[str, ...]  # shorter than three letters, not starting with one, or a phrase


_SETS: list[AnchorKeys] = []
_BY_ANCHORS: dict[tuple[str, ...], AnchorKeys] = {}
_KEY_SLOTS: dict[str, tuple[int, ...]] = {}  # word prefix -> slots of the sets holding it
_SHORT_SLOTS: dict[str, tuple[int, ...]] = {}  # short anchor -> slots of the sets holding it
_OPEN: list[int] = []  # slots of the sets without anchors: every sentence passes
_BY_ANCHOR_HEAD: dict[str, tuple[str, ...]] = {}  # short anchor -> the heads one of which it needs
_SHORT_BY_HEAD: dict[str, list[str]] = {}  # word head -> the short anchors needing it ("" for none)


def needed_heads(anchor: str) -> tuple[str, ...]:
    """Word heads one of which a text must hold for a short anchor to be in it: those of
    its longest word that starts a word ("from custody" -> "cust", "to date" -> "date";
    a leading word is taken to start one, as in "into force"); () when none tells.
    A cheap test before ``str.find``."""
    best = ""
    heads: tuple[str, ...] = ()
    for m in _WORD_RUN.finditer(anchor):
        word, last = m.group(), m.end() == len(anchor)
        if len(word) < 3 or m.start() == 0 and last or len(word) <= len(best):
            continue  # too short to tell, a lone word that may go on either side, or a shorter one
        # a last word of three may go on ("aid" in "aide"); any other is its head
        best, heads = word, _heads(word) if last and len(word) == 3 and m.start() else (word[:4],)
    return heads


def _heads(key: str) -> tuple[str, ...]:
    """The word heads (see ``_HEADS``) of the words starting with ``key``."""
    return (key, *(key + c for c in _FOURTH)) if len(key) == 3 else (key,)


def anchor_keys(anchors: tuple[str, ...]) -> AnchorKeys:
    """The registered gate form of ``anchors`` (lower-case literals, one of which every
    match of the rule or cue holds); equal tuples share one registration."""
    found = _BY_ANCHORS.get(anchors)
    if found is None:
        # a phrase is looked for whole: its first word's prefix would let far too much through
        # four letters or more: a word starting with them; three letters: a word starting with them
        # too ("gas", "usd"); anything else is looked for as it is
        word = [a for a in anchors if (_PREFIX4.match(a) or _WORD3.fullmatch(a)) and " " not in a]
        prefixes = frozenset(a[:4] for a in word)
        found = AnchorKeys(len(_SETS), prefixes, tuple(a for a in anchors if a not in word))
        _SETS.append(found)
        if not anchors:
            _OPEN.append(found.slot)
        _BY_ANCHORS[anchors] = found
        for head in {head for key in prefixes for head in _heads(key)}:
            _KEY_SLOTS[head] = (*_KEY_SLOTS.get(head, ()), found.slot)
        for anchor in found.short:
            _SHORT_SLOTS[anchor] = (*_SHORT_SLOTS.get(anchor, ()), found.slot)
            if anchor not in _BY_ANCHOR_HEAD:
                heads = _BY_ANCHOR_HEAD[anchor] = needed_heads(anchor)
                for head in heads or ("",):
                    _SHORT_BY_HEAD.setdefault(head, []).append(anchor)
                    if head:
                        _KEY_SLOTS.setdefault(head, ())  # looked for, to tell whether the anchor can be there
    return found


_KEYS: list[frozenset[str]] = []  # every registered word key, rebuilt when more are registered


def _key_set() -> frozenset[str]:
    if not _KEYS or len(_KEYS[0]) != len(_KEY_SLOTS):
        _KEYS[:] = [frozenset(_KEY_SLOTS)]
    return _KEYS[0]


_SHORT_HEADS: list[frozenset[str]] = []


def _short_heads() -> frozenset[str]:
    if not _SHORT_HEADS or len(_SHORT_HEADS[0]) + ("" in _SHORT_BY_HEAD) != len(_SHORT_BY_HEAD):
        _SHORT_HEADS[:] = [frozenset(_SHORT_BY_HEAD) - {""}]
    return _SHORT_HEADS[0]


_NONE: list[int] = []
_INDICES: dict[int, list[int]] = {}  # the indices of small masks, shared between texts
_SHARED_BELOW = 1 << 12


def indices(mask: int) -> list[int]:
    """Indices of the bits set in ``mask``, ascending."""
    if not mask:
        return _NONE
    found = _INDICES.get(mask)
    if found is None:
        found = [i for i in range(mask.bit_length()) if mask >> i & 1]
        if mask < _SHARED_BELOW:
            _INDICES[mask] = found
    return found


def fill(lowered: str, starts: list[int], ends: list[int]) -> list[int]:
    """The sentence mask of every registered anchor set, for a text cut into the
    sentences [starts[i], ends[i]) of its lower-cased form."""
    masks = [0] * len(_SETS)
    for slot in _OPEN:
        masks[slot] = (1 << len(starts)) - 1
    findall, keys = _HEADS.findall, _key_set()
    seen: set[str] = set()
    bit = 1
    for start, end in zip(starts, ends, strict=True):
        hit = keys.intersection(findall(lowered, start, end))
        if hit:
            seen |= hit
            for key in hit:
                for slot in _KEY_SLOTS[key]:
                    masks[slot] |= bit
        bit <<= 1
    # a short anchor is looked for only when a word it needs is there
    looked: set[str] = set(_SHORT_BY_HEAD.get("", ()))
    for head in seen & _short_heads():
        looked.update(_SHORT_BY_HEAD[head])
    for anchor in looked:
        bits = _literal(lowered, starts, ends, anchor)
        if bits:
            for slot in _SHORT_SLOTS[anchor]:
                masks[slot] |= bits
    return masks

def _literal(lowered: str, starts: list[int], ends: list[int], anchor: str) -> int:
    """Mask of the sentences where ``anchor`` starts (or, when it starts in the space
    between two sentences, of the one before)."""
    pos = lowered.find(anchor)
    if pos < 0:
        return 0
    mask = 0
    while pos >= 0:
        sentence = bisect_right(starts, pos) - 1
        mask |= 1 << sentence
        # skip to the next sentence: one hit per sentence is enough
        pos = lowered.find(anchor, max(pos + 1, ends[sentence]))
    return mask


def set_count() -> int:
    """How many anchor sets are registered (a mask list shorter than this is stale)."""
    return len(_SETS)
