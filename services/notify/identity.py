"""Is a new report the same event as an earlier one? Pure: profiles in, a verdict out.

A report's profile is what it says about its event: the labels (the event type), the
places (``geo``), the actors, the counts (killed, injured, prisoners, bodies, displaced)
and aid amounts, its MinHash signature, and when it was seen. Two reports are one event
only when nothing tells them apart and something ties them together:

- apart (never joined, whatever the wording): different event types; places that
  neither contain nor lie in each other (Nikopol is not Kherson; a region may join a
  town in it); different actors where the label is about who acted (the donor of aid,
  the parties of a swap), or no actor in common at all; prisoner or body counts that
  differ (95 is not 32); aid amounts with none in common; a death toll that falls;
- together: the same specific place (a town, or a town and its region) and event type;
  the same identifying count (prisoners, bodies, aid amount; a death or injury toll with
  the same place or actors); the same actors of an aid or exchange report; or, as one
  signal among these, wording similar enough (MinHash >= 0.5).

When in doubt the reports stay apart: a duplicate alert is a nuisance, a swallowed event
a missed alert. The verdict says why it joined, for the alert and the console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schemas.models import ClassifiedUpdate, Facts, Label
from services.notify import geo
from services.notify.minhash import Signature, dumps, loads, similarity

SIMILAR = 0.5  # wording alone ties two compatible reports at this MinHash similarity
_COUNTS = ("killed", "injured", "prisoners_exchanged", "bodies_repatriated", "displaced")
_IDENTIFYING = ("prisoners_exchanged", "bodies_repatriated")  # a different number: a different swap
_ACTOR_LABELS = frozenset({Label.AID, Label.PRISONER_EXCHANGE, Label.ESCALATION})
_TOLLS = ("killed", "injured")


@dataclass(frozen=True)
class Profile:
    """What one report says about its event."""

    labels: frozenset[Label]
    places: frozenset[geo.Place]
    actors: frozenset[str]
    counts: dict[str, int]
    amounts: frozenset[tuple[str, int]]  # (currency, amount rounded to thousands)
    signature: Signature
    seen_at: datetime

    @property
    def specific(self) -> frozenset[geo.Place]:
        """The most specific places named: the towns when there are any (a region named
        beside a town is where the town lies: "Marhanets, Dnipropetrovsk region"), else
        the regions."""
        towns = frozenset(p for p in self.places if p.level == 2)
        return towns or frozenset(p for p in self.places if p.level == 1)


def profile(classified: ClassifiedUpdate, signature: Signature, seen_at: datetime) -> Profile:
    text = classified.update.text
    where = geo.places(text)
    return Profile(labels=frozenset(classified.labels), places=where, actors=geo.actors(text, where),
                   counts=counts(classified.facts, text), amounts=amounts(classified.facts),
                   signature=signature, seen_at=seen_at)


def counts(facts: Facts, text: str = "") -> dict[str, int]:
    """The event's counts: the classifier's facts, and where they have none, the death and
    injury tolls the text gives of anyone (soldiers too: they identify an event as well)."""
    out = {}
    for name in _COUNTS:
        count = getattr(facts, name)
        if count is not None and count.value > 0:
            out[name] = count.value
    for name, value in tolls(text).items():
        out.setdefault(name, value)
    return out


_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER = r"(\d{1,3}(?:,\d{3})*|" + "|".join(_NUMBER_WORDS) + r")"
_TOLL_VERBS = {"killed": r"killed|dead|died|die|slain|perished|lost\s+their\s+lives",
               "injured": r"wounded|injured|hurt"}
_TOLL_PATTERNS = {
    name: (re.compile(rf"\b{_NUMBER}\s+(?:(?!and\b|or\b|but\b)[a-z-]+\s+){{0,3}}?(?:(?:were|was|have\s+been|has\s+been|are|"
                      rf"reported)\s+)?(?:{verbs})\b", re.IGNORECASE),
           re.compile(rf"\b(?:kill(?:s|ed|ing)|wound(?:s|ed|ing)|injur(?:es|ed|ing)|deaths?\s+of|"
                      rf"claim(?:s|ed|ing)\s+the\s+lives\s+of)\s+(?:at\s+least\s+)?{_NUMBER}\b", re.IGNORECASE))
    for name, verbs in _TOLL_VERBS.items()}


def tolls(text: str) -> dict[str, int]:
    """Death and injury counts a text states ("two soldiers killed", "killing five")."""
    out: dict[str, int] = {}
    for name, (before, after) in _TOLL_PATTERNS.items():
        for pattern in (before, after):
            if name == "killed" and pattern is after:
                found = [m for m in pattern.finditer(text) if m.group(0).lower().startswith(("kill", "death", "claim"))]
            elif name == "injured" and pattern is after:
                found = [m for m in pattern.finditer(text) if m.group(0).lower().startswith(("wound", "injur"))]
            else:
                found = list(pattern.finditer(text))
            for m in found:
                raw = m.group(1).lower().replace(",", "")
                value = _NUMBER_WORDS.get(raw, int(raw) if raw.isdigit() else 0)
                if value > 0:
                    out.setdefault(name, value)
    return out


def amounts(facts: Facts) -> frozenset[tuple[str, int]]:
    return frozenset((m.currency, round(m.amount / 1000)) for m in facts.aid_amounts if m.amount > 0)


@dataclass(frozen=True)
class Verdict:
    same: bool
    reasons: list[str] = field(default_factory=list)  # what ties the two reports together
    score: float = 0.0
    apart: str = ""  # what tells the two events apart, when something does


def compare(new: Profile, old: Profile) -> Verdict:
    """Whether ``new`` reports the event ``old`` reported (``old`` seen first)."""
    apart = _apart(new, old)
    if apart:
        return Verdict(False, [], 0.0, apart)
    reasons: list[str] = []
    score = 0.0
    kind = bool(new.labels & old.labels) or not new.labels and not old.labels  # same event type
    place = _shared_place(new.specific, old.specific)
    town = place and any(p.name == place and p.level == 2 for p in new.places | old.places)
    if place and kind:
        reasons.append(f"same place: {place}")
        score += 2.0 if town else 1.0
    near = bool(place) or bool(new.actors & old.actors)  # a shared town or region, or actors
    for name in _COUNTS:
        value = new.counts.get(name)
        if value is None or value != old.counts.get(name) or not kind:
            continue
        weight = 2.0 if name in _IDENTIFYING else (1.0 if value >= 2 else 0.5) + (1.0 if near else 0.0)
        reasons.append(f"same count: {name.replace('_', ' ')} {value}")
        score += weight
    if new.amounts & old.amounts:
        reasons.append("same amount")
        score += 2.0
    rising = [n for n in _TOLLS if n in new.counts and new.counts[n] > old.counts.get(n, new.counts[n])]
    if rising and place:
        reasons.append("rising toll: " + ", ".join(f"{n} {old.counts[n]} -> {new.counts[n]}" for n in rising))
    if new.labels & old.labels & _ACTOR_LABELS and new.actors and new.actors == old.actors:
        reasons.append("same actors: " + ", ".join(sorted(new.actors)))
        score += 1.5
    sim = similarity(new.signature, old.signature)
    if sim >= SIMILAR:
        reasons.append(f"similar wording ({sim:.2f})")
        score += 2.0
    elif sim >= 0.3 and kind:
        reasons.append(f"similar wording ({sim:.2f})")
        score += 1.0 if sim >= 0.4 and near else 0.5
    return Verdict(score >= 2.0, reasons, score)


def _apart(new: Profile, old: Profile) -> str:
    """What tells the two events apart, or "" when nothing does."""
    if new.labels and old.labels and not new.labels & old.labels:
        return "different event types"
    if new.specific and old.specific and not _shared_place(new.specific, old.specific):
        return "different places"
    countries_new = {p.name for p in new.places if p.level == 0}
    countries_old = {p.name for p in old.places if p.level == 0}
    if not new.specific and not old.specific and countries_new and countries_old and \
            not countries_new & countries_old:
        return "different countries"
    labels = new.labels | old.labels
    if new.actors and old.actors:
        if not new.actors & old.actors:
            return "different actors"
        if labels & {Label.AID, Label.PRISONER_EXCHANGE} and \
                new.actors - old.actors and old.actors - new.actors:
            return "different actors"
    for name in _IDENTIFYING:
        if name in new.counts and name in old.counts and new.counts[name] != old.counts[name]:
            return f"different {name.replace('_', ' ')}"
    if new.amounts and old.amounts and not new.amounts & old.amounts:
        return "different amounts"
    for name in _TOLLS:
        if name in new.counts and name in old.counts and new.counts[name] < old.counts[name]:
            return f"a smaller {name} toll than the earlier report"
    return ""


def _shared_place(a: frozenset[geo.Place], b: frozenset[geo.Place]) -> str:
    """The most specific place of ``a`` that lies in or contains one of ``b``, or ""."""
    for pa in sorted(a, key=lambda p: (-p.level, p.name)):
        for pb in b:
            if geo.related(pa, pb):
                return pa.name if pa.level >= pb.level else pb.name
    return ""


def to_json(p: Profile) -> dict[str, object]:
    """A profile as stored beside its story member (the signature as ``minhash.dumps``)."""
    return {"labels": sorted(p.labels), "places": sorted([pl.name, pl.level] for pl in p.places),
            "actors": sorted(p.actors), "counts": p.counts, "amounts": sorted(list(a) for a in p.amounts),
            "signature": dumps(p.signature), "seen_at": p.seen_at.isoformat()}


def from_json(doc: dict[str, Any]) -> Profile | None:
    """The stored profile, or None when it is missing or unreadable (an older row)."""
    try:
        sig = loads(doc["signature"])
        if sig is None:
            return None
        return Profile(labels=frozenset(Label(x) for x in doc["labels"]),
                       places=frozenset(geo.Place(n, int(lv)) for n, lv in doc["places"]),
                       actors=frozenset(doc["actors"]), counts={k: int(v) for k, v in doc["counts"].items()},
                       amounts=frozenset((c, int(a)) for c, a in doc["amounts"]), signature=sig,
                       seen_at=datetime.fromisoformat(doc["seen_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def index_keys(p: Profile) -> set[str]:
    """Keys under which a story is found by a report that may be the same event: its
    places (each with the places it lies in), identifying counts, amounts and actors."""
    keys = {f"p:{name}" for place in p.specific for name in place.chain()[:2]}
    keys.update(f"c:{name}:{value}" for name, value in p.counts.items())
    keys.update(f"m:{cur}:{amount}" for cur, amount in p.amounts)
    if p.labels & _ACTOR_LABELS:
        keys.update(f"x:{actor}" for actor in p.actors)
    return keys
