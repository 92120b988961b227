"""Is a new report the same event as an earlier one? Pure: profiles in, a verdict out.

A report's profile is what it says about its event: the labels (the event type), the
places (``geo``), the actors, the counts (killed, injured, prisoners, bodies, displaced),
aid amounts, the names and numbers that single it out, its MinHash signature, and when
it was seen. Two reports are one event only when nothing tells them apart and enough
ties them together (``compare``):

- apart, whatever the wording: different event types; places that neither contain nor
  lie in each other (Nikopol is not Kherson; a region may join a town in it; a district
  of a city is not another district); a place in a country the other report does not
  name; actors with nothing in common, or different donors or parties of aid and swaps;
  prisoner or body counts, or aid amounts, that differ (95 is not 32); a falling toll;
- together, by weight (1.5 makes a join): the same town or district and event type
  (1.25; 2 for the rarer swaps, aid and escalation), a region (0.5); the same identifying count (2), the same toll (0.5-1.5, more with a
  shared place or actors); the same aid amount, in any currency (2); the same actors of
  aid, swaps or escalation (1), shared actors of harm (0.5); similar wording (1-2), but
  only as far as the names and numbers that single a report out agree: a template filled
  with another weapon, donor or count is not the same news.

When in doubt the reports stay apart: a duplicate alert is a nuisance, a swallowed event
a missed alert. The verdict says why it joined, for the alert and the console.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from schemas.models import ClassifiedUpdate, Facts, Label
from services.notify import geo
from services.notify.minhash import Signature, dumps, loads, similarity

JOIN = 1.5
SIMILAR = 0.5
_COUNTS = ("killed", "injured", "prisoners_exchanged", "bodies_repatriated", "displaced")
_IDENTIFYING = ("prisoners_exchanged", "bodies_repatriated")  # a different number: a different swap
_TOLLS = ("killed", "injured")
_ACTOR_LABELS = frozenset({Label.AID, Label.PRISONER_EXCHANGE, Label.ESCALATION})
# rough US dollars per unit, to tell one aid package from another across currencies
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")
_SIDE = re.compile(r"\b(north|south|east|west)(?:ern)?\s+([a-z][\w'-]+(?:\s[a-z][\w'-]+)?)")
# What an aid package is made of: two packages of the same amount, one of drones and one of
# air defence, are two packages. Read from the words of the report, any language of supply.
_SUPPLIES = tuple((name, re.compile(pattern)) for name, pattern in (
    ("drones", r"\bdrones?\b|\buavs?\b|unmanned"),
    ("air defence", r"air[- ]defen[cs]es?|anti-aircraft|\bpatriots?\b|nasams|iris-t|interceptors?"),
    ("artillery", r"artillery|howitzers?|\bshells\b|ammunition|\b155\s?mm\b"),
    ("armour", r"\btanks?\b|armou?red vehicles|fighting vehicles|\bbradleys?\b|\bleopards?\b|\babrams\b"),
    ("aircraft", r"\bf-16s?\b|fighter jets?|helicopters?|(?<!anti-)aircraft"),
    ("long-range missiles", r"\batacms\b|storm shadow|\btaurus\b|cruise missiles|long-range missiles"),
    ("humanitarian", r"humanitarian|\bfood\b|medical|medicines?|shelters?\b|generators?|drinking water"),
    ("money", r"budget support|\bloans?\b|\bgrants?\b|macro-financial|reconstruction|\btranche\b"),
))
# territories that are one party to a swap or an aid deal, though their places are apart
_PARTY = {"West Bank": "Palestinian territories", "Gaza": "Palestinian territories"}
_USD = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "DKK": 0.145, "SEK": 0.093, "NOK": 0.092, "JPY": 0.0067,
        "CAD": 0.73, "AUD": 0.65, "NZD": 0.6, "CHF": 1.12, "PLN": 0.25, "UAH": 0.024, "CNY": 0.14,
        "CZK": 0.043}


@dataclass(frozen=True)
class Profile:
    """What one report says about its event."""

    labels: frozenset[Label]
    places: frozenset[geo.Place]
    actors: frozenset[str]
    counts: dict[str, int]
    amounts: frozenset[tuple[str, int]]  # (currency, amount in thousands)
    signature: Signature
    seen_at: datetime
    marks: frozenset[str] = frozenset()  # names and numbers that single the report out
    text: str = ""
    main: geo.Place | None = None  # the first place named below country level: where it happened

    @cached_property
    def specific(self) -> frozenset[geo.Place]:
        """The most specific places named: districts if any, else towns (a region named
        beside a town is where the town lies: "Marhanets, Dnipropetrovsk region"), else
        regions."""
        for level in (3, 2, 1):
            found = frozenset(p for p in self.places if p.level == level)
            if found:
                return found
        return frozenset()

    @cached_property
    def countries(self) -> frozenset[str]:
        """The countries (or territories) the report's known places lie in."""
        return frozenset(p.chain()[-1] for p in self.places if geo.known(p))

    @cached_property
    def day(self) -> str | None:
        """The weekday the report gives for its event (the first one it names)."""
        m = _WEEKDAY.search(self.text)
        return m.group(1) if m else None

    @cached_property
    def sides(self) -> dict[str, str]:
        """Which side of a place the report is about: "northern gaza" -> {"gaza": "north"}."""
        return {m.group(2): m.group(1) for m in _SIDE.finditer(self.text)}

    @cached_property
    def supplies(self) -> frozenset[str]:
        """What the report says is given (aid): drones, air defence, money, food..."""
        return frozenset(name for name, pattern in _SUPPLIES if pattern.search(self.text))

    @cached_property
    def parties(self) -> frozenset[str]:
        """The countries of every state or group named, as actor or by its places: who
        gives and who gets aid, who swaps with whom ("the Houthis" and "Yemen" are one)."""
        return frozenset(_PARTY.get(x, x) for x in
                         frozenset(geo.home(a) for a in self.actors) | self.countries)


def profile(classified: ClassifiedUpdate, signature: Signature, seen_at: datetime) -> Profile:
    text = classified.update.text
    where = geo.places(text)
    labels = frozenset(classified.labels)
    return Profile(labels=labels, places=where, actors=geo.actors(text, where),
                   counts=counts(classified.facts, text, Label.PRISONER_EXCHANGE in labels),
                   amounts=amounts(classified.facts), signature=signature, seen_at=seen_at,
                   marks=marks(text, where), text=text.lower(), main=geo.main_place(text, where))


def counts(facts: Facts, text: str = "", swap: bool = False) -> dict[str, int]:
    """The event's counts: the classifier's facts, and where they have none, what the text
    says of deaths and injuries (soldiers' too: they identify an event as well) and, for a
    swap or release, of the people freed."""
    out = {}
    for name in _COUNTS:
        count = getattr(facts, name)
        if count is not None and count.value > 0:
            out[name] = count.value
    for name, value in tolls(text, swap).items():
        out.setdefault(name, value)
    return out


def amounts(facts: Facts) -> frozenset[tuple[str, int]]:
    return frozenset((m.currency, round(m.amount / 1000)) for m in facts.aid_amounts if m.amount > 0)


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {w: 10 * (i + 2) for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])}
_WORD_NUMBER = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+and)?\s+)?"
                r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:" + "|".join(_UNITS[1:10]) + r"))?|"
                + "|".join(_UNITS[1:]) + r")\b|(?:one|two|three|four|five|six|seven|eight|nine)\s+hundred\b")
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+|" + _WORD_NUMBER + r")"
_VERBS = {"killed": r"killed|dead|died|die|slain|perished|lost\s+their\s+lives",
          "injured": r"wounded|injured|hurt",
          "prisoners_exchanged": r"freed|released|returned|exchanged|swapped|handed\s+over|came\s+home|"
                                 r"returned\s+home|brought\s+home|repatriated"}
_BEFORE = {name: re.compile(rf"\b{_NUMBER}\s+(?:(?!and\b|or\b|but\b)[a-z'-]+\s+){{0,6}}?(?:(?:were|was|have\s+been|"
                            rf"has\s+been|are|reported|have|had)\s+)?(?:{verbs})\b", re.IGNORECASE)
           for name, verbs in _VERBS.items()}
_AFTER = {"killed": re.compile(rf"\b(?:kill(?:s|ed|ing)|deaths?\s+of|claim(?:s|ed|ing)\s+the\s+lives\s+of)\s+"
                               rf"(?:at\s+least\s+)?{_NUMBER}", re.IGNORECASE),
          "injured": re.compile(rf"\b(?:wound(?:s|ed|ing)|injur(?:es|ed|ing))\s+(?:at\s+least\s+)?{_NUMBER}",
                                re.IGNORECASE),
          "prisoners_exchanged": re.compile(rf"\b(?:exchang(?:e|ed|ing)|swapp?(?:ed|ing)?|free(?:d|s|ing)?|"
                                            rf"releas(?:e|ed|ing))\s+(?:at\s+least\s+)?{_NUMBER}", re.IGNORECASE)}


# "13, including two children, killed", "Twelve people, among them a baby, were wounded"
_INCLUDING = {name: re.compile(rf"\b{_NUMBER}(?:\s+[a-z'-]+)?,?\s+(?:including|among\s+them)\s+[^,.;:]{{1,50}},\s*"
                               rf"(?:(?:were|was|have\s+been|had\s+been|are)\s+)?(?:{_VERBS[name]})\b", re.IGNORECASE)
              for name in ("killed", "injured")}
# "killing the mayor and five others", "wounded a child and two others": one named victim and N more
_AND_OTHERS = {"killed": re.compile(rf"\bkill(?:s|ed|ing)\s+(?:an?\s+|the\s+|one\s+|his\s+|her\s+|their\s+|its\s+)?"
                                   rf"(?:[a-z'-]+\s+){{1,3}}?and\s+{_NUMBER}\s+others\b", re.IGNORECASE),
               "injured": re.compile(rf"\b(?:wound|injur)(?:s|es|ed|ing)\s+(?:an?\s+|the\s+|one\s+|his\s+|her\s+|"
                                     rf"their\s+|its\s+)?(?:[a-z'-]+\s+){{1,3}}?and\s+{_NUMBER}\s+others\b",
                                     re.IGNORECASE)}

_STEMS = {"killed": ("kill", "dead", "die", "slain", "perish", "lost their", "death", "claim"),
          "injured": ("wound", "injur", "hurt"),
          "prisoners_exchanged": ("free", "releas", "return", "exchang", "swap", "handed", "home",
                                  "repatriat")}


def number(words: str) -> int:
    """'84' -> 84, 'eighty-four' -> 84, 'one hundred and fifty' -> 150; 0 if unreadable."""
    text = words.lower().replace(",", "").replace("-", " ").replace(" and ", " ")
    if text.isdigit():
        return int(text)
    total = current = 0
    for word in text.split():
        if word in _UNITS:
            current += _UNITS.index(word)
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        else:
            return 0
    return total + current


def tolls(text: str, swap: bool = False) -> dict[str, int]:
    """Counts a text states: "two soldiers killed", "killing five", and, for a swap,
    "84 Ukrainians returned home" or "exchanged 95"."""
    out: dict[str, int] = {}
    low = text.lower()
    for name in _VERBS:
        if name == "prisoners_exchanged" and not swap:
            continue
        if not any(stem in low for stem in _STEMS[name]):
            continue  # most texts name no toll: skip the number patterns
        if name in _AND_OTHERS and " others" in low and (m := _AND_OTHERS[name].search(text)) and \
                number(m.group(1)) > 0:
            out[name] = number(m.group(1)) + 1
        aside = _INCLUDING.get(name) if "including" in low or "among them" in low else None
        for pattern in (_BEFORE[name], _AFTER[name], aside):
            for m in pattern.finditer(text) if pattern else ():
                value = number(m.group(1))
                if value > 0:
                    out.setdefault(name, value)
    return out


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)(?<!\n)\b([A-Z][\w-]*[A-Z0-9][\w-]*|[A-Z][a-z][\w-]+)")
_DIGITS = re.compile(r"\b\d[\d,.]*\b")
_COMMON = frozenset(["The", "A", "An", "This", "That", "These", "Those", "It", "Its", "Their", "His", "Her", "Our", "We", "They", "He", "She", "I", "In", "On", "At", "For", "From", "With", "By", "As", "Of", "To", "And", "But", "Or", "After", "Before", "During", "Since", "While", "When", "Where", "Who", "What", "Why", "How", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "President", "Prime", "Minister", "Ministry", "Defence", "Defense", "Army", "Forces", "Force", "Air", "Armed", "Military", "General", "Staff", "Command", "Parliament", "Government", "Office", "National", "Regional", "State", "Governor", "Mayor", "Police", "Emergency", "Service", "Services", "Security", "Foreign", "Affairs", "Interior", "Health", "Red", "Cross", "Crescent", "United", "Nations", "UN", "Reuters", "AP", "AFP", "BBC", "CNN", "Telegram", "Facebook", "Twitter", "X", "Officials", "Sources", "Coordination", "Headquarters", "Committee", "Agency", "Programme", "Minister's", "Ministers", "Spokesman", "Spokesperson", "New", "Another", "Also", "More", "Most", "Some", "Many", "Several", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "One", "First", "Second", "Third", "Breaking", "Update", "Updates", "Live", "Watch", "Read", "According", "Meanwhile", "However", "Earlier", "Later", "Today", "Tonight", "Overnight", "Yesterday", "Tomorrow", "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "International", "European", "World", "Islamic", "Arab", "Gulf", "Republic", "Democratic", "People's", "People"])


def marks(text: str, where: frozenset[geo.Place]) -> frozenset[str]:
    """The names and numbers that single a report out: capitalised names (weapons,
    people, units, places) that are not common words or actors, and numbers."""
    found = {m.group(1).lower() for m in _NAME.finditer(text)
             if m.group(1) not in _COMMON and not geo.is_actor_word(m.group(1))}
    found.update(p.name.lower() for p in where if p.level > 0)
    found.update(n.replace(",", "").rstrip(".") for n in _DIGITS.findall(text))
    return frozenset(found)


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
    place_level = max((p.level for p in new.places | old.places if p.name == place), default=0)
    if place and kind:
        reasons.append(f"same place: {place}")
        rare = bool(new.labels & old.labels & _ACTOR_LABELS)  # swaps, aid, escalation: rarer than strikes
        score += (2.0 if rare else 1.25) if place_level >= 2 else 0.5
        others = {p.name for p in new.specific} & {p.name for p in old.specific} - {place}
        score += 0.5 if others else 0.0
    near = bool(place) or bool(new.actors & old.actors)
    for name in _COUNTS:
        value = new.counts.get(name)
        if value is None or not _close(value, old.counts.get(name)) or not kind:
            continue
        if name in _IDENTIFYING:
            weight = 2.0
        else:
            weight = (1.5 if value >= 10 else 1.0 if value >= 2 else 0.5) + (0.5 if near else 0.0)
        reasons.append(f"same count: {name.replace('_', ' ')} {value}")
        score += weight
    if _same_amount(new.amounts, old.amounts):
        reasons.append("same amount")
        score += 2.0
    rising = [n for n in _TOLLS if n in new.counts and n in old.counts and new.counts[n] > old.counts[n]]
    if rising and place and kind:
        reasons.append("rising toll: " + ", ".join(f"{n} {old.counts[n]} -> {new.counts[n]}" for n in rising))
        score += 0.5
    shared = new.labels & old.labels
    if shared & _ACTOR_LABELS and new.actors and new.actors == old.actors:
        reasons.append("same actors: " + ", ".join(sorted(new.actors)))
        score += 1.0
    elif kind and new.actors & old.actors:
        score += 0.5
    arms = new.supplies & old.supplies if Label.ESCALATION in shared and new.actors & old.actors else None
    if arms:
        reasons.append("same arms: " + ", ".join(sorted(arms)))  # a permission or first use of one weapon
        score += 0.5
    common = {m for m in new.marks & old.marks if not m.isdigit() or int(m) >= 10} - \
        {p.name.lower() for p in new.places | old.places}
    if common and kind:
        reasons.append("same names: " + ", ".join(sorted(common)[:4]))
        score += min(1.0, 0.5 * len(common))
    sim = similarity(new.signature, old.signature)
    credit = 2.0 if sim >= SIMILAR else 1.0 if sim >= 0.3 else 0.0
    if credit and kind:
        only_new = {m for m in new.marks - old.marks if m not in old.text}
        only_old = {m for m in old.marks - new.marks if m not in new.text}
        credit *= 0.0 if only_new and only_old else 0.5 if only_new or only_old else 1.0
        if credit:
            reasons.append(f"similar wording ({sim:.2f})")
            score += credit
    return Verdict(score >= JOIN, reasons, score)


def _close(a: int, b: int | None) -> bool:
    """Equal, or within 5 % when one of them is a round figure ("nearly 4,900" and "4,893"),
    never two exact counts that differ (275 and 282 prisoners are two swaps)."""
    if b is None:
        return False
    if a == b:
        return True
    rounded = a % 50 == 0 or b % 50 == 0
    return rounded and min(a, b) >= 100 and abs(a - b) <= 0.05 * max(a, b)


def _usd(amount: tuple[str, int]) -> float | None:
    rate = _USD.get(amount[0])
    return amount[1] * rate if rate is not None else None


def _same_amount(a: frozenset[tuple[str, int]], b: frozenset[tuple[str, int]]) -> bool:
    for x in a:
        for y in b:
            if x == y:
                return True
            ux, uy = _usd(x), _usd(y)
            tolerance = 0.02 if x[0] == y[0] else 0.15
            if ux and uy and abs(ux - uy) <= tolerance * max(ux, uy):
                return True
    return False


_SITED = frozenset({Label.CIVILIAN_HARM, Label.ESCALATION})  # events that happen at a place


def _apart(new: Profile, old: Profile) -> str:
    """What tells the two events apart, or "" when nothing does."""
    if new.labels and old.labels and not new.labels & old.labels:
        return "different event types"
    labels = new.labels | old.labels
    if labels & _SITED or not labels:
        # where a swap or an aid package is reported from says little; where a strike hit, much
        if new.main and old.main and not geo.related(new.main, old.main):
            return f"different places: {new.main.name}, {old.main.name}"
        if new.specific and old.specific and not _shared_place(new.specific, old.specific):
            return "different places"
        for a, b in ((new, old), (old, new)):
            known = [p for p in a.specific if geo.known(p)]
            if known and b.countries and not b.specific and not any(p.chain()[-1] in b.countries for p in known):
                return "different countries"
        if not new.specific and not old.specific and new.countries and old.countries and \
                not new.countries & old.countries:
            return "different countries"
    if new.day and old.day and new.day != old.day:
        return f"different days: {old.day}, {new.day}"
    for where, side in new.sides.items():
        if old.sides.get(where, side) != side:
            return f"different parts of {where}: {old.sides[where]}, {side}"
    if Label.PRISONER_EXCHANGE in labels and new.main and old.main and new.main.level >= 2 and \
            old.main.level >= 2 and not geo.related(new.main, old.main):
        return f"different places: {new.main.name}, {old.main.name}"  # released in Nyala, not El Geneina
    if labels & {Label.AID, Label.PRISONER_EXCHANGE} and new.parties and old.parties \
            and new.parties - old.parties and old.parties - new.parties:
        return "different parties"
    for name in _IDENTIFYING:
        if name in new.counts and name in old.counts and not _close(new.counts[name], old.counts[name]):
            return f"different {name.replace('_', ' ')}"
    if Label.AID in new.labels & old.labels and new.supplies and old.supplies and \
            not new.supplies & old.supplies:
        return "different supplies: " + ", ".join(sorted(old.supplies)) + "; " + ", ".join(sorted(new.supplies))
    if new.amounts and old.amounts and not _same_amount(new.amounts, old.amounts):
        return "different amounts"
    for name in _TOLLS:
        if name in new.counts and name in old.counts and new.counts[name] < old.counts[name] and \
                not _close(new.counts[name], old.counts[name]):
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
    return {"labels": sorted(p.labels),
            "places": sorted([pl.name, pl.level, pl.within] for pl in p.places),
            "main": p.main.name if p.main else None,
            "actors": sorted(p.actors), "counts": p.counts, "amounts": sorted(list(a) for a in p.amounts),
            "signature": dumps(p.signature), "seen_at": p.seen_at.isoformat(), "marks": sorted(p.marks),
            "text": p.text[:2000]}


def from_json(doc: dict[str, Any]) -> Profile | None:
    """The stored profile, or None when it is missing or unreadable (an older row)."""
    try:
        sig = loads(doc["signature"])
        if sig is None:
            return None
        return Profile(labels=frozenset(Label(x) for x in doc["labels"]),
                       places=frozenset(geo.Place(p[0], int(p[1]), p[2] if len(p) > 2 else None)
                                        for p in doc["places"]),
                       actors=frozenset(doc["actors"]), counts={k: int(v) for k, v in doc["counts"].items()},
                       amounts=frozenset((c, int(a)) for c, a in doc["amounts"]), signature=sig,
                       seen_at=datetime.fromisoformat(doc["seen_at"]),
                       marks=frozenset(doc.get("marks", ())), text=doc.get("text", ""),
                       main=next((geo.Place(p[0], int(p[1]), p[2] if len(p) > 2 else None)
                                  for p in doc["places"] if p[0] == doc.get("main")), None))
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def index_keys(p: Profile) -> set[str]:
    """Keys under which a story is found by a report that may be the same event: its
    places (each with the place it lies in), counts, amounts and actors."""
    keys = {f"p:{name}" for place in p.specific for name in place.chain()[:2]}
    keys.update(f"c:{name}:{value}" for name, value in p.counts.items())
    keys.update(f"m:{cur}" for cur, _amount in p.amounts)
    if p.labels & _ACTOR_LABELS:
        keys.update(f"x:{actor}" for actor in p.actors)
    return keys
