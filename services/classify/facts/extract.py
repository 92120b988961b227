"""Facts extracted from an update, as reported: counts of killed, injured, exchanged,
repatriated and displaced people, aid amounts with currency, places named.

Counts come from news sentences only: a sentence of background ("since 2022"),
denial or negation is skipped, and a count followed by soldiers is not a civilian
toll. The first count of each kind in reading order wins (leads state the news).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from schemas.models import Count, Facts, Money
from services.classify.facts.numbers import COUNT, MONEY, QUALIFIER, money, to_int
from services.classify.facts.places import find_places
from services.classify.rules import background, cues, denial
from services.classify.rules.base import compile_rule
from services.classify.text.anchors import AnchorKeys, anchor_keys
from services.classify.text.lexicon import MIL
from services.classify.text.segment import Segments

_AUX = r"(?:were\s+|was\s+|have\s+been\s+|has\s+been\s+|had\s+been\s+|are\s+|been\s+)?"
_WORDS = rf"(?:(?!{MIL}\b)[\w'-]+\s+){{0,3}}?"
_HEAD = rf"(?:{QUALIFIER}\s+)?{COUNT}\s+{_WORDS}"


class _Joined:
    """A match made of two: a head found just before a verb ("four civilians were" + "killed")."""

    __slots__ = ("_head", "_tail")

    def __init__(self, head: re.Match[str], tail: re.Match[str]) -> None:
        self._head, self._tail = head, tail

    def start(self) -> int:
        return self._head.start()

    def end(self) -> int:
        return self._tail.end()

    def group(self, name: str) -> str | None:
        part = self._head if name in self._head.re.groupindex else self._tail
        return part.group(name)


class _VerbLast:
    """Finds "<count> ... <verb>" by the verb first, then the count just before it: the
    count's long word lists are tried at a few places instead of every position."""

    def __init__(self, head: str, verb: str) -> None:
        self.head = compile_rule(rf"\b{head}$")
        self.verb = compile_rule(rf"\b{verb}\b")

    def finditer(self, lowered: str, start: int, end: int) -> list[_Joined]:
        found = []
        for v in self.verb.finditer(lowered, start, end):
            head = self.head.search(lowered, max(start, v.start() - 120), v.start())
            if head is not None:
                found.append(_Joined(head, v))
        return found


# Tolls (killed, injured, displaced) share one pass: "<count> ... were <verb>" or "<verb> <count>".
_TOLL: tuple[_VerbLast | re.Pattern[str], ...] = (
    _VerbLast(rf"{_HEAD}{_AUX}", r"(?P<verb>killed|dead|injured|wounded|hurt|displaced|evacuated|fled)"),
    compile_rule(rf"\b(?P<verb>killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds|"
                 rf"displacing|displaced|evacuated|evacuating)\s+(?:{QUALIFIER}\s+)?{COUNT}\b"
                 rf"(?!\s+(?:[\w-]+\s+){{0,2}}?{MIL}\b)"),
)
_TOLL_ANCHORS = ("kill", "dead", "injur", "wound", "hurt", "displac", "evacuat", "fled")
_TOLL_KIND = {"kill": "killed", "dead": "killed", "inju": "injured", "woun": "injured", "hurt": "injured",
              "disp": "displaced", "evac": "displaced", "fled": "displaced"}
_CAPTIVE_WORDS = r"prisoners|POWs|PoWs|captives|detainees|hostages"
_PATTERNS: dict[str, tuple[_VerbLast | re.Pattern[str], ...]] = {
    "prisoners_exchanged": (
        compile_rule(
            rf"\b(?:exchang\w*|swapp?\w*|free[ds]?|releas\w*|brought\s+home|repatriat\w*)\s+(?:{QUALIFIER}\s+)?"
            rf"{COUNT}\s+(?:[\w-]+\s+){{0,3}}?(?:{_CAPTIVE_WORDS}|soldiers|servicemen|people|civilians|defenders)\b"),
        _VerbLast(rf"(?:{QUALIFIER}\s+)?{COUNT}\s+(?:[\w-]+\s+){{0,2}}?",
                  rf"(?:{_CAPTIVE_WORDS})\b[^.;]{{0,30}}?\b{_AUX}(?:exchanged|swapped|freed|released|returned)")),
    # Compiled lower-case and run on the lower-cased text, as the rules are (see rules.compile_rule).
    "bodies_repatriated": (compile_rule(rf"\b(?:bodies|remains)\s+of\s+(?:{QUALIFIER}\s+)?{COUNT}\b"),
                           _VerbLast(rf"(?:{QUALIFIER}\s+)?{COUNT}\s+", r"bodies")),
}
_ANCHORS: dict[str, tuple[str, ...]] = {
    "prisoners_exchanged": ("prisoner", "pows", "pow ", "captive", "detainee", "hostage"),
    "bodies_repatriated": ("bodies", "remains"),
}
_MONEY_ANCHORS = ("$", "£", "€", "¥", "usd", "eur", "gbp", "uah", "chf", "sek", "nok", "dkk", "pln", "cad",
                  "aud", "jpy", "dollar", "euro", "pound", "hryvn", "yen", "franc", "kron", "zlot")
_TOLL_KEYS, _MONEY_KEYS = anchor_keys(_TOLL_ANCHORS), anchor_keys(_MONEY_ANCHORS)
_KEYS = {kind: anchor_keys(anchors) for kind, anchors in _ANCHORS.items()}
_AID_CUE = re.compile(
    r"\b(?:aid|assistance|support|package|loans?|grants?|funding|funds|tranche|donat\w+|arms|"
    r"weapons|military|humanitarian|pledg\w+|financing|budget|relief|disburse\w*|lending)\b")


def extract_facts(text: str, seg: Segments) -> Facts:
    """All facts of ``text`` (already segmented)."""
    news: dict[int, bool] = {}
    counts = _first_counts(text, seg, news, _TOLL, _TOLL_KEYS, _toll_kind)
    for kind, patterns in _PATTERNS.items():
        counts.update(_first_counts(text, seg, news, patterns, _KEYS[kind], _constant(kind)))
    return Facts(
        killed=counts.get("killed"), injured=counts.get("injured"),
        prisoners_exchanged=counts.get("prisoners_exchanged"),
        bodies_repatriated=counts.get("bodies_repatriated"), displaced=counts.get("displaced"),
        aid_amounts=_aid_amounts(text, seg), places=find_places(text))


def _is_news(text: str, seg: Segments, index: int, cache: dict[int, bool]) -> bool:
    if index not in cache:
        low, start, end = seg.lowered, seg.starts[index], seg.ends[index]
        past = seg.holds(background.BACKGROUND_KEYS, index) and \
            background.BACKGROUND.search(low, start, end) and not background.FRESH.search(low, start, end)
        cache[index] = not past and (not seg.holds(denial.DENIAL_KEYS, index) or
                                           denial.denied_from(low, start, end) != start)
    return cache[index]


def _constant(kind: str) -> Callable[[Any], str]:
    return lambda _m: kind


def _toll_kind(m: re.Match[str] | _Joined) -> str:
    verb = m.group("verb")
    assert verb is not None
    return _TOLL_KIND[verb[:4]]


def _first_counts(text: str, seg: Segments, news: dict[int, bool],
                  patterns: tuple[_VerbLast | re.Pattern[str], ...], anchors: AnchorKeys,
                  kind_of: Callable[[Any], str]) -> dict[str, Count]:
    """The first count of each kind the patterns find, in reading order."""
    lowered = seg.lowered
    counts: dict[str, Count] = {}
    for index in seg.gate(anchors):
        if not _is_news(text, seg, index, news):
            continue
        start, end = seg.starts[index], seg.ends[index]
        found: list[Any] = [m for p in patterns for m in p.finditer(lowered, start, end)]
        for m in sorted(found, key=lambda m: m.start()):
            kind = kind_of(m)
            clause = seg.clause_start(m.start(), start)
            if kind in counts or cues.NEGATION.search(lowered, clause, m.end()) or \
                    cues.NEAR_NEGATION.search(lowered, max(clause, m.start() - cues.NEAR_NEGATION_REACH), m.end()):
                continue
            value = to_int(m.group("n"), m.group("scale"))
            if value is not None:
                q = m.group("q")
                counts[kind] = Count(value=value, qualifier=" ".join(q.split()) if q else None,
                                     text=text[m.start():m.end()].strip())
    return counts


def _aid_amounts(text: str, seg: Segments) -> list[Money]:
    amounts: list[Money] = []
    seen: set[tuple[float, str]] = set()
    lowered = seg.lowered
    for index in seg.gate(_MONEY_KEYS):
        start, end = seg.starts[index], seg.ends[index]
        if not _AID_CUE.search(lowered, start, end):
            continue
        for m in MONEY.finditer(lowered, start, end):
            # "$50 billion (£38.39 billion)": the amount in brackets is a conversion, not more money
            if text[max(0, m.start() - 3):m.start()].rstrip().endswith("("):
                continue
            parsed = money(m)
            if parsed is None or parsed in seen:
                continue
            seen.add(parsed)
            amounts.append(Money(amount=parsed[0], currency=parsed[1], text=text[m.start():m.end()].strip()))
    return amounts
