"""Places named in an update: a compact gazetteer of current conflict geography plus
capitalised "X region" / "X oblast" phrases, returned in canonical spelling.
"""

from __future__ import annotations

import re

# canonical name -> other spellings seen in English-language copy
_GAZETTEER: dict[str, tuple[str, ...]] = {
    # states and territories
    "Ukraine": (), "Russia": (), "Belarus": (), "Poland": (), "Moldova": (), "Georgia": (),
    "North Korea": ("DPRK",), "South Korea": (), "China": (), "Iran": (), "Israel": (),
    "Gaza": ("Gaza Strip",), "West Bank": (), "Lebanon": (), "Syria": (), "Yemen": (), "Iraq": (),
    "Sudan": (), "South Sudan": (), "Chad": (), "Ethiopia": (), "Eritrea": (), "Somalia": (),
    "Libya": (), "Mali": (), "Niger": (), "Burkina Faso": (), "Sahel": (), "Myanmar": ("Burma",),
    "Armenia": (), "Azerbaijan": (), "Taiwan": (), "Democratic Republic of Congo": ("DRC", "DR Congo"),
    "Rwanda": (), "Haiti": (), "Turkey": ("Türkiye",), "United States": ("US", "USA"),
    "United Kingdom": ("UK", "Britain"), "France": (), "Germany": (), "Egypt": (), "Jordan": (),
    "Qatar": (), "United Arab Emirates": ("UAE",), "Saudi Arabia": (), "Japan": (), "Finland": (),
    "Sweden": (), "Romania": (), "Hungary": (), "Slovakia": (), "Lithuania": (), "Latvia": (),
    "Estonia": (),
    # Ukraine and Russia
    "Kyiv": ("Kiev",), "Kharkiv": ("Kharkov",), "Odesa": ("Odessa",), "Lviv": (), "Dnipro": (),
    "Zaporizhzhia": ("Zaporizhia", "Zaporozhye"), "Kherson": (), "Mykolaiv": (), "Donetsk": (),
    "Luhansk": ("Lugansk",), "Sumy": (), "Chernihiv": (), "Poltava": (), "Vinnytsia": (),
    "Zhytomyr": (), "Kryvyi Rih": (), "Pokrovsk": (), "Bakhmut": (), "Avdiivka": (),
    "Chasiv Yar": (), "Kupiansk": ("Kupyansk",), "Kramatorsk": (), "Sloviansk": (), "Toretsk": (),
    "Vuhledar": (), "Selydove": (), "Kurakhove": (), "Mariupol": (), "Melitopol": (),
    "Crimea": (), "Sevastopol": (), "Donbas": ("Donbass",), "Kursk": (), "Belgorod": (),
    "Bryansk": (), "Moscow": (), "St Petersburg": ("Saint Petersburg",),
    "Tula": (), "Rostov": (), "Krasnodar": (), "Voronezh": (), "Dzerzhinsk": (),
    "Nizhny Novgorod": (), "Vladivostok": (), "Kazan": (), "Pyongyang": (), "Seoul": (),
    "Minsk": (), "Chisinau": (), "Tbilisi": (),
    # Middle East
    "Tel Aviv": (), "Jerusalem": (), "Rafah": (), "Khan Younis": ("Khan Yunis",),
    "Gaza City": (), "Jabalia": (), "Deir al-Balah": (), "Jenin": (), "Nablus": (), "Hebron": (),
    "Beirut": (), "Tyre": (), "Sidon": (), "Damascus": (), "Aleppo": (), "Idlib": (),
    "Homs": (), "Sanaa": (), "Hodeidah": (), "Aden": (), "Baghdad": (), "Tehran": (),
    # Africa and Asia
    "Khartoum": (), "Omdurman": (), "El Fasher": (), "Darfur": (), "Port Sudan": (),
    "Kordofan": (), "Bamako": (), "Ouagadougou": (), "Niamey": (), "Timbuktu": (), "Goma": (),
    "Kinshasa": (), "Mogadishu": (), "Tigray": (), "Amhara": (), "Yangon": (), "Mandalay": (),
    "Rakhine": (), "Shan": (), "Naypyidaw": (), "Nagorno-Karabakh": (),
    # capitals in diplomacy copy
    "Washington": (), "London": (), "Paris": (), "Berlin": (), "Warsaw": (), "Brussels": (),
    "Beijing": (), "Ankara": (), "Cairo": (), "Doha": (), "Tokyo": (),
}
_CANON = {alias: canon for canon, aliases in _GAZETTEER.items() for alias in (canon, *aliases)}
# one-word names with their possessive endings, so that a lone word is one look-up (see ``_bare``)
_WORD = {name + end: canon for name, canon in _CANON.items() if " " not in name
         for end in ("", "'s", "’s", "'", "’")}
_LONGEST = max(len(name.split()) for name in _CANON)
_FIRST_WORDS = frozenset(name.split()[0] for name in _CANON)
_STARTS = frozenset(word + end for word in _FIRST_WORDS for end in ("", "'s", "’s", "'", "’"))
# Runs of capitalised words ("Nizhny Novgorod", "Democratic Republic of Congo",
# "Deir al-Balah"): one cheap case-sensitive pass, then dictionary look-ups,
# instead of one regex alternation of every name.
_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+(?:of[ \t]+|al-)?[A-Z][\w'’-]*)*")
_REGION_WORD = re.compile(r"[ \t]+(?:region|oblast|province|governorate|district|krai)\b")
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_NAMES = frozenset({"The", "This", "That", "Each", "Every", "Another", "One", "Which", "Whole",
                        "Border", "Frontline", "Western", "Eastern", "Southern", "Northern",
                        "Central", "Russian", "Ukrainian", "A", "In", "Its", "Their", "His", "Her"})


_REGION_WORDS = ("region", "oblast", "province", "governorate", "district", "krai")
_REGION_ANY = re.compile(r"[ \t](?:region|oblast|province|governorate|district|krai)\b")


def _has_region_word(text: str) -> bool:
    """A quick test before ``_REGION_ANY``: one of its words is in ``text``."""
    return any(word in text for word in _REGION_WORDS)


def _bare(word: str) -> str:
    """``word`` without a possessive ending ("Russia's" -> "Russia")."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    if word.endswith(("'", "’")):
        return word[:-1]
    return word


def find_places(text: str) -> list[str]:
    """Canonical names of the places in ``text``, in order of first mention."""
    if _has_region_word(text) and _REGION_ANY.search(text) is not None:
        return _with_regions(text)
    found: dict[str, None] = {}
    for run in _RUN.findall(text):
        if " " in run or "\t" in run:
            _multi_word(run, found)
        else:
            # most runs are one word: one look-up
            canon = _WORD.get(run)
            if canon is not None:
                found.setdefault(canon, None)
    return list(found)


def _with_regions(text: str) -> list[str]:
    """``find_places`` for a text that names regions ("Tula region")."""
    found: dict[str, None] = {}
    for m in _RUN.finditer(text):
        run = m.group(0)
        if " " not in run and "\t" not in run:
            canon = _WORD.get(run)
            if canon is not None:
                found.setdefault(canon, None)
        else:
            _multi_word(run, found)
        if _REGION_WORD.match(text, m.end()):
            # "Tula region", "Russia's Nizhny Novgorod region": the name is the words
            # after the last possessive, at most two of them.
            tail = m.group(0).split()
            cut = max((k + 1 for k, w in enumerate(tail) if _POSSESSIVE.search(w)), default=0)
            name_words = tail[max(cut, len(tail) - 2):]
            if name_words and name_words[0] not in _NOT_NAMES:
                name = " ".join(name_words)
                found.setdefault(_CANON.get(name, name), None)
    return list(found)


def _multi_word(run: str, found: dict[str, None]) -> None:
    """Adds the longest known names in a run of capitalised words to ``found``."""
    words = run.split()
    if _STARTS.isdisjoint(words):
        return  # no word of the run can start a name
    words = [_bare(w) for w in words]
    i = 0
    while i < len(words):
        if words[i] not in _FIRST_WORDS:
            i += 1
            continue
        for j in range(min(len(words), i + _LONGEST), i, -1):
            canon = _CANON.get(" ".join(words[i:j]))
            if canon is not None:
                found.setdefault(canon, None)
                i = j
                break
        else:
            i += 1
