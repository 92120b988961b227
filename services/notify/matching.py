"""Which subscriptions an update matches: a pure core over an index built once.

A subscription matches when one of its labels is among the update's decided labels
with a score at or above the subscription's minimum for that label, and its other
filters hold (sources, keywords, places, minimum severity).

The index files each subscription under its most selective filter, per label:
under each of its sources, else under each of its keywords' first word, else under
each of its places, else in the label's "broad" bucket — and by its minimum
severity. Matching an update looks in the broad bucket, the bucket of the update's
source, the buckets of the words the update contains and of the places it names,
each at the severities the update reaches — never at subscriptions that cannot
match. Each bucket is sorted by minimum score, so a bisection drops those asking
for a higher score than the update has.

Matching returns hundreds of subscriptions per update at 100,000 subscriptions, so
the work per candidate stays in C: each bucket holds, beside the scores, integer ids
and the ``Match`` of each subscription on that label alone, built at indexing; an
update's candidates are deduplicated by a dict keyed by id. Python work per update
is left only for subscriptions matched on several labels (grouped by set operations
first) and for those with a filter their bucket does not imply.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import NamedTuple

from schemas.models import ClassifiedUpdate, Label, Subscription

_WORD = re.compile(r"\w+")
_Filter = tuple[str, str]  # ("all", ""), ("src", source), ("kw", word) or ("place", word)
_Key = tuple[str, str, int]  # a filter and a minimum severity rank (0 when none)
_ALONE = {label: (label,) for label in Label}


class Match(NamedTuple):  # a NamedTuple: matching returns hundreds of these per update
    subscription: Subscription
    labels: tuple[Label, ...]


class _Bucket:
    """The subscriptions filed under one (label, key), by ascending minimum score.

    Each with its id and its ``Match`` on that label alone, built once here.
    """

    __slots__ = ("ids", "matches", "scores")

    def __init__(self, label: Label, items: list[tuple[float, str, int, Subscription]]) -> None:
        items.sort(key=lambda t: t[:2])  # by minimum score, then id: a stable order of matches
        self.scores = [t[0] for t in items]
        self.ids = [t[2] for t in items]
        self.matches = [Match(t[3], _ALONE[label]) for t in items]

    def upto(self, score: float) -> Iterator[tuple[int, Match]]:
        """(id, match) of those whose minimum is at or below ``score``."""
        n = bisect.bisect_right(self.scores, score)
        return zip(self.ids[:n], self.matches[:n], strict=True)


class SubscriptionIndex:
    """Immutable after build; rebuild when subscriptions change."""

    def __init__(self, subs: Iterable[Subscription]) -> None:
        raw: defaultdict[Label, defaultdict[_Key, list[tuple[float, str, int, Subscription]]]] = (
            defaultdict(lambda: defaultdict(list)))
        self._subs: list[Subscription] = []  # an id is a position in this list
        self._keywords: dict[int, list[re.Pattern[str]]] = {}
        self._places: dict[int, frozenset[str]] = {}
        self._needs_check: set[int] = set()
        for sub in subs:
            if sub.status != "active":
                continue
            i = len(self._subs)
            self._subs.append(sub)
            filters = _filters(sub)
            if _residual(sub, filters[0][0]):
                self._needs_check.add(i)
            rank = sub.min_severity.rank if sub.min_severity is not None else 0
            keys = [(*f, rank) for f in filters]
            for label in set(sub.labels):
                for key in keys:
                    raw[label][key].append((sub.threshold(label), sub.id, i, sub))
            if sub.keywords:
                if sub.keywords_mode == "all":
                    self._keywords[i] = [_phrase(re.escape(k)) for k in sub.keywords]
                else:
                    self._keywords[i] = [_phrase("|".join(re.escape(k) for k in sub.keywords))]
            if sub.places:
                self._places[i] = frozenset(p.casefold() for p in sub.places)
        self.size = len(self._subs)
        self._buckets = {label: {key: _Bucket(label, items) for key, items in by_key.items()}
                         for label, by_key in raw.items()}
        self._kw_keys = {w for by_key in raw.values() for kind, w, _ in by_key if kind == "kw"}
        self._place_keys = {w for by_key in raw.values() for kind, w, _ in by_key if kind == "place"}

    def match(self, classified: ClassifiedUpdate) -> list[Match]:
        """Every subscription the update matches, once, with the labels it matched on.

        In the order found: by the update's labels, then bucket (filter, then minimum
        severity), then minimum score.
        """
        labels = [label for label in dict.fromkeys(classified.labels) if label in self._buckets]
        if not labels:
            return []
        keys = self._keys_of(classified)
        found: list[tuple[Label, dict[int, Match]]] = []
        for label in labels:
            buckets, score = self._buckets[label], classified.scores.get(label, 0.0)
            hits = (bucket.upto(score) for key in keys if (bucket := buckets.get(key)) is not None)
            found.append((label, dict(chain.from_iterable(hits))))  # once, where first found
        out = found[0][1] if len(found) == 1 else self._merge(found)
        if self._needs_check:
            places = {p.casefold() for p in classified.facts.places}
            for i in out.keys() & self._needs_check:
                if not self._filters_hold(i, classified, places):
                    del out[i]
        return list(out.values())

    def _merge(self, found: list[tuple[Label, dict[int, Match]]]) -> dict[int, Match]:
        """One match per subscription over several labels, where it was first found."""
        out: dict[int, Match] = {}
        shared: set[int] = set()
        for _label, hits in found:
            shared |= out.keys() & hits.keys()
            out.update(hits)
        for combo, ids in _by_labels(shared, found).items():
            for i in ids:
                out[i] = Match(self._subs[i], combo)
        return out

    def _keys_of(self, classified: ClassifiedUpdate) -> list[_Key]:
        """The buckets an update reaches: broad, its source, its words, its places,
        each for the minimum severities at or below the update's."""
        filters: list[_Filter] = [("all", ""), ("src", classified.update.source)]
        if self._kw_keys:
            filters += [("kw", w) for w in _words(classified.update.text) & self._kw_keys]
        if self._place_keys:
            filters += [("place", w) for w in {_first_word(p) for p in classified.facts.places}
                        & self._place_keys]
        ranks = range(classified.severity.rank + 1)
        return [(*f, rank) for f in filters for rank in ranks]

    def _filters_hold(self, i: int, classified: ClassifiedUpdate, places: set[str]) -> bool:
        """All of a subscription's filters but labels (its bucket implies some of them)."""
        sub, update = self._subs[i], classified.update
        if sub.sources and update.source not in sub.sources:
            return False
        if sub.min_severity is not None and classified.severity.rank < sub.min_severity.rank:
            return False
        wanted = self._places.get(i)
        if wanted and not wanted & places:
            return False
        patterns = self._keywords.get(i)
        return patterns is None or all(p.search(update.text) is not None for p in patterns)


def _by_labels(ids: set[int], found: list[tuple[Label, dict[int, Match]]],
               ) -> dict[tuple[Label, ...], set[int]]:
    """``ids`` grouped by the labels each was found under, by set operations (no per-id work)."""
    groups: dict[tuple[Label, ...], set[int]] = {(): ids} if ids else {}
    for label, hits in found:
        split: dict[tuple[Label, ...], set[int]] = {}
        for combo, members in groups.items():
            inside = members & hits.keys()
            if inside:
                split[(*combo, label)] = inside
            if len(inside) < len(members):
                split[combo] = members - inside
        groups = split
    return groups


def _filters(sub: Subscription) -> list[_Filter]:
    if sub.sources:
        return [("src", s) for s in set(sub.sources)]
    if sub.keywords:
        return [("kw", w) for w in {_first_word(k) for k in sub.keywords}]
    if sub.places:
        return [("place", w) for w in {_first_word(p) for p in sub.places}]
    return [("all", "")]


def _residual(sub: Subscription, indexed_by: str) -> bool:
    """Whether finding ``sub`` in its bucket leaves a filter still to check."""
    if sub.keywords and not (indexed_by == "kw" and sub.keywords_mode == "any"
                             and all(_single_word(k) for k in sub.keywords)):
        return True
    return bool(sub.places) and not (indexed_by == "place" and all(_single_word(p) for p in sub.places))


def _phrase(alternatives: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _single_word(phrase: str) -> bool:
    return _WORD.fullmatch(phrase.casefold()) is not None


def _first_word(phrase: str) -> str:
    words = _WORD.findall(phrase.casefold())
    return words[0] if words else ""
