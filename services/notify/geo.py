"""Where a report happened and who acted in it, read from its text for story identity: pure.

Places: the names of a compact gazetteer of conflict geography, each with its parent
(town -> region -> country), "X region/oblast/province" phrases, and capitalised names
after a locative ("in Marhanets", "near the village of Tsukuryne") that the gazetteer
does not know: those count as towns of unknown region, so that two reports naming two
different unknown towns are never taken for one event. Actors: states and armed groups,
by name or adjective ("Danish", "Israeli", "Houthi"), less the countries the report's
own places lie in (a strike *in* Ukraine does not make Ukraine an actor of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# parent -> places in it; a name may appear under one parent only
_TREE: dict[str, tuple[str, ...]] = {
    "Ukraine": ("Kharkiv region", "Donbas", "Dnipropetrovsk region",
                "Zaporizhzhia region", "Kherson region", "Mykolaiv region", "Odesa region",
                "Sumy region", "Chernihiv region", "Kyiv region", "Poltava region", "Lviv region",
                "Vinnytsia region", "Zhytomyr region", "Khmelnytskyi region", "Rivne region",
                "Volyn region", "Ternopil region", "Ivano-Frankivsk region", "Zakarpattia region",
                "Chernivtsi region", "Kirovohrad region", "Cherkasy region", "Crimea"),
    "Donbas": ("Donetsk region", "Luhansk region"),
    "Kharkiv region": ("Kharkiv", "Kupiansk", "Izium", "Chuhuiv", "Vovchansk", "Balakliia", "Lozova",
                       "Zolochiv", "Bohodukhiv"),
    "Donetsk region": ("Donetsk", "Pokrovsk", "Bakhmut", "Avdiivka", "Chasiv Yar", "Kramatorsk",
                       "Sloviansk", "Toretsk", "Vuhledar", "Selydove", "Kurakhove", "Mariupol",
                       "Kostiantynivka", "Myrnohrad", "Horlivka", "Druzhkivka", "Lyman", "Siversk",
                       "Makiivka", "Debaltseve", "Volnovakha", "Dobropillia", "Marinka", "Ocheretyne"),
    "Luhansk region": ("Luhansk", "Sievierodonetsk", "Lysychansk", "Rubizhne", "Kreminna", "Alchevsk",
                       "Stanytsia Luhanska", "Shchastia"),
    "Dnipropetrovsk region": ("Dnipro", "Nikopol", "Kryvyi Rih", "Marhanets", "Pavlohrad", "Kamianske",
                              "Synelnykove"),
    "Zaporizhzhia region": ("Zaporizhzhia", "Melitopol", "Enerhodar", "Orikhiv", "Huliaipole",
                            "Berdiansk", "Tokmak", "Robotyne", "Vasylivka", "Stepnohirsk"),
    "Kherson region": ("Kherson", "Nova Kakhovka", "Beryslav", "Oleshky", "Kakhovka", "Hola Prystan"),
    "Mykolaiv region": ("Mykolaiv", "Ochakiv", "Pervomaisk", "Voznesensk"),
    "Odesa region": ("Odesa", "Izmail", "Chornomorsk", "Bilhorod-Dnistrovskyi", "Pivdennyi", "Reni"),
    "Sumy region": ("Sumy", "Shostka", "Okhtyrka", "Konotop", "Romny", "Bilopillia", "Krasnopillia"),
    "Chernihiv region": ("Chernihiv", "Nizhyn", "Novhorod-Siverskyi"),
    "Kyiv region": ("Kyiv", "Bucha", "Irpin", "Brovary", "Bila Tserkva", "Vyshhorod", "Boryspil",
                    "Hostomel", "Fastiv"),
    "Poltava region": ("Poltava", "Kremenchuk", "Myrhorod", "Lubny"),
    "Lviv region": ("Lviv", "Drohobych", "Stryi"),
    "Vinnytsia region": ("Vinnytsia",), "Zhytomyr region": ("Zhytomyr", "Berdychiv", "Korosten"),
    "Khmelnytskyi region": ("Khmelnytskyi", "Starokostiantyniv"), "Rivne region": ("Rivne",),
    "Volyn region": ("Lutsk", "Kovel"), "Ternopil region": ("Ternopil",),
    "Ivano-Frankivsk region": ("Ivano-Frankivsk",), "Zakarpattia region": ("Uzhhorod", "Mukachevo"),
    "Chernivtsi region": ("Chernivtsi",), "Kirovohrad region": ("Kropyvnytskyi",),
    "Cherkasy region": ("Cherkasy", "Uman"),
    "Crimea": ("Sevastopol", "Simferopol", "Kerch", "Yevpatoria", "Feodosia", "Dzhankoi"),
    "Russia": ("Belgorod region", "Kursk region", "Bryansk region", "Rostov region", "Krasnodar region",
               "Voronezh region", "Moscow region", "Tula region", "Tver region", "Nizhny Novgorod region",
               "Tatarstan", "Leningrad region"),
    "Belgorod region": ("Belgorod", "Shebekino", "Grayvoron", "Valuyki"),
    "Kursk region": ("Kursk", "Sudzha", "Rylsk", "Lgov", "Kurchatov", "Korenevo"),
    "Bryansk region": ("Bryansk", "Klintsy"), "Rostov region": ("Rostov-on-Don", "Taganrog", "Novoshakhtinsk"),
    "Krasnodar region": ("Krasnodar", "Novorossiysk", "Sochi", "Tuapse"), "Voronezh region": ("Voronezh",),
    "Moscow region": ("Moscow",), "Tula region": ("Tula",), "Tver region": ("Toropets", "Tver"),
    "Nizhny Novgorod region": ("Dzerzhinsk", "Nizhny Novgorod"), "Tatarstan": ("Kazan", "Yelabuga"),
    "Leningrad region": ("St Petersburg",),
    "Gaza": ("Gaza City", "Khan Younis", "Rafah", "Jabalia", "Deir al-Balah", "Nuseirat", "Beit Lahia",
             "Beit Hanoun", "Bureij", "Maghazi", "Mawasi", "Zawaida", "Shejaiya", "Zeitoun"),
    "West Bank": ("Jenin", "Nablus", "Hebron", "Tulkarm", "Ramallah", "Bethlehem", "Tubas", "Qalqilya",
                  "Jericho"),
    "Israel": ("Tel Aviv", "Jerusalem", "Haifa", "Ashkelon", "Ashdod", "Sderot", "Beersheba", "Eilat",
               "Kiryat Shmona", "Metula", "Nahariya", "Safed", "Tiberias", "Netanya", "Herzliya"),
    "Lebanon": ("Beirut", "Tyre", "Sidon", "Nabatieh", "Baalbek", "Hermel", "Bint Jbeil", "Marjayoun",
                "Khiam", "Dahiyeh"),
    "Syria": ("Damascus", "Aleppo", "Idlib", "Homs", "Hama", "Latakia", "Tartus", "Deir ez-Zor", "Raqqa",
              "Daraa", "Qamishli", "Manbij", "Kobani", "Hasakah"),
    "Yemen": ("Sanaa", "Hodeidah", "Aden", "Taiz", "Marib", "Saada"),
    "Iraq": ("Baghdad", "Mosul", "Erbil", "Basra", "Kirkuk", "Fallujah", "Ramadi"),
    "Iran": ("Tehran", "Isfahan", "Natanz", "Fordow", "Tabriz", "Shiraz", "Bandar Abbas", "Kermanshah"),
    "Sudan": ("Khartoum", "Darfur", "Kordofan", "Port Sudan", "Gezira", "Sennar", "Kassala"),
    "Khartoum": ("Omdurman", "Bahri"),
    "Darfur": ("El Fasher", "Nyala", "El Geneina", "Zamzam", "Tawila", "Zalingei"),
    "Kordofan": ("Kadugli", "El Obeid", "Babanusa", "Dilling"), "Gezira": ("Wad Madani",),
    "Democratic Republic of Congo": ("North Kivu", "South Kivu", "Kinshasa", "Ituri"),
    "North Kivu": ("Goma", "Butembo", "Beni", "Rutshuru", "Masisi", "Sake"),
    "South Kivu": ("Bukavu", "Uvira", "Minova", "Kavumu"), "Ituri": ("Bunia", "Djugu"),
    "Myanmar": ("Yangon", "Mandalay", "Naypyidaw", "Shan", "Rakhine", "Kayin", "Sagaing", "Kachin"),
    "Shan": ("Lashio",), "Rakhine": ("Sittwe",), "Kayin": ("Myawaddy",),
    "Mali": ("Bamako", "Mopti", "Gao", "Timbuktu", "Kidal"),
    "Burkina Faso": ("Ouagadougou", "Djibo", "Barsalogho", "Kaya"), "Niger": ("Niamey", "Tillaberi"),
    "Haiti": ("Port-au-Prince",), "Ethiopia": ("Addis Ababa", "Tigray", "Amhara"),
    "Tigray": ("Mekelle",), "Amhara": ("Bahir Dar", "Gondar"), "Somalia": ("Mogadishu",),
    "Azerbaijan": ("Nagorno-Karabakh", "Baku"), "Nagorno-Karabakh": ("Stepanakert",),
    "Armenia": ("Yerevan",),
}
_ALIASES = {
    "Kiev": "Kyiv", "Kharkov": "Kharkiv", "Odessa": "Odesa", "Zaporizhia": "Zaporizhzhia",
    "Zaporozhye": "Zaporizhzhia", "Lugansk": "Luhansk", "Kupyansk": "Kupiansk", "Donbass": "Donbas",
    "Khan Yunis": "Khan Younis", "Gaza Strip": "Gaza", "Rostov": "Rostov-on-Don", "Saint Petersburg":
    "St Petersburg", "Nikopol district": "Nikopol", "DRC": "Democratic Republic of Congo",
    "DR Congo": "Democratic Republic of Congo", "Congo": "Democratic Republic of Congo",
    "El-Fasher": "El Fasher", "Al-Fashir": "El Fasher", "El Fashir": "El Fasher", "Al Jazirah": "Gezira",
    "Burma": "Myanmar", "Karabakh": "Nagorno-Karabakh", "Dnipropetrovsk": "Dnipropetrovsk region",
    "Dahieh": "Dahiyeh", "Dahiya": "Dahiyeh", "al-Mawasi": "Mawasi", "Deir Al-Balah": "Deir al-Balah",
}
_PARENT = {child: parent for parent, children in _TREE.items() for child in children}
_COUNTRY_ONLY = ("Belarus", "Poland", "Moldova", "Georgia", "North Korea", "South Korea", "China",
                 "Libya", "Chad", "South Sudan", "Eritrea", "Rwanda", "Turkey", "Egypt", "Jordan",
                 "Qatar", "Saudi Arabia", "Japan", "Taiwan", "Romania")
_KNOWN = {*_TREE, *_PARENT, *_COUNTRY_ONLY}
_REGION_SUFFIX = re.compile(r"(?P<name>[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*)?)[ \t]+"
                            r"(?:region|oblast|province|governorate|krai|Oblast|Obl\b\.?)")

# states and armed groups, by the words that name them
_ACTOR_WORDS: dict[str, tuple[str, ...]] = {
    "Russia": ("Russia", "Russian", "Russians", "Moscow", "Kremlin"),
    "Ukraine": ("Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev"),
    "Israel": ("Israel", "Israeli", "Israelis", "IDF"), "Hamas": ("Hamas",),
    "Hezbollah": ("Hezbollah",), "Iran": ("Iran", "Iranian", "Tehran"), "Houthis": ("Houthi", "Houthis"),
    "United States": ("US", "U.S.", "United States", "American", "Washington", "Pentagon"),
    "United Kingdom": ("UK", "Britain", "British"), "Germany": ("Germany", "German", "Berlin"),
    "France": ("France", "French", "Paris"), "Denmark": ("Denmark", "Danish"), "Norway": ("Norway", "Norwegian"),
    "Sweden": ("Sweden", "Swedish"), "Finland": ("Finland", "Finnish"), "Netherlands": ("Netherlands", "Dutch"),
    "Poland": ("Poland", "Polish"), "Canada": ("Canada", "Canadian"), "Japan": ("Japan", "Japanese"),
    "Italy": ("Italy", "Italian"), "Spain": ("Spain", "Spanish"), "Belgium": ("Belgium", "Belgian"),
    "Czech Republic": ("Czech",), "Estonia": ("Estonia", "Estonian"), "Latvia": ("Latvia", "Latvian"),
    "Lithuania": ("Lithuania", "Lithuanian"), "Australia": ("Australia", "Australian"),
    "South Korea": ("South Korea", "South Korean", "Seoul"),
    "North Korea": ("North Korea", "North Korean", "Pyongyang", "DPRK"), "China": ("China", "Chinese", "Beijing"),
    "Turkey": ("Turkey", "Turkish", "Ankara"), "Qatar": ("Qatar", "Qatari"), "Egypt": ("Egypt", "Egyptian"),
    "UAE": ("UAE", "Emirati", "United Arab Emirates"), "Saudi Arabia": ("Saudi",),
    "Jordan": ("Jordan", "Jordanian"), "Palestinians": ("Palestinian", "Palestinians"), "Belarus": ("Belarus", "Belarusian"),
    "Syria": ("Syria", "Syrian"), "Lebanon": ("Lebanon", "Lebanese"), "Sudan": ("Sudanese army", "SAF"),
    "RSF": ("RSF", "Rapid Support Forces"), "M23": ("M23",), "Rwanda": ("Rwanda", "Rwandan"),
    "Myanmar junta": ("junta",), "Azerbaijan": ("Azerbaijan", "Azerbaijani"), "Armenia": ("Armenia", "Armenian"),
    "European Union": ("EU", "European Union", "European Commission"), "IMF": ("IMF",),
    "World Bank": ("World Bank",), "Islamic State": ("Islamic State", "ISIS", "IS"), "Wagner": ("Wagner",),
    "Taliban": ("Taliban",), "al-Shabaab": ("al-Shabaab", "Al-Shabaab"), "HTS": ("HTS", "Hayat Tahrir"),
}
_ACTOR = {word: actor for actor, words in _ACTOR_WORDS.items() for word in words}
_ACTOR_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, _ACTOR), key=len, reverse=True))
                       + r")(?:['’]s)?(?![\w-])")
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:[ \t]+(?:al-|el-|de[ \t]+)?[A-Z][\w'’-]*){0,3}")
_POSSESSIVE = re.compile(r"['’]s?$")


_DISTRICT = re.compile(r"(?:(?P<city>[A-Z][\w-]+)['’]s[ \t]+)?(?P<name>[A-Z][\w-]+)[ \t]+district"
                       r"(?:[ \t]+of[ \t]+(?:the[ \t]+(?:city|town)[ \t]+of[ \t]+)?(?P<of>[A-Z][\w-]+))?")
_AS_ACTOR = re.compile(r"['’]s?[ \t]+(?:government|forces|army|military|troops|officials|envoy|delegation)\b|"
                       r"[ \t]+(?:says|said|claims|claimed|announced|accused|insists|insisted|denied|denies|"
                       r"confirmed|warned|reported)\b")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_LOCATIVE = re.compile(r"(?:\b(?:in|near|at|outside|around|into|towards?|on)[ \t]+(?:the[ \t]+)?|"
                       r"\b(?:town|village|city|settlement|district|community|suburbs?|camp|areas?|outskirts|"
                       r"centre|center|north|south|east|west|edge|parts?|streets)[ \t]+of[ \t]+)$")
_ORG_WORDS = _wordset("""Programme Program Agency Organization Organisation Committee Council Ministry
Forces Army Office Service Union Bank Fund Party Group Brigade Company News Times Post Network Media
Foundation Commission Court Parliament Assembly Command Guard Guards Corps Police Institute University
Hospital Airport Station Plant School Centre Center Street Square Summit Conference Day Week""")
_NOT_PLACES = _wordset("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
May June July August September October November December The A An This That These Those Its Their
His Her Our We It They President Prime Minister Ministry Defence Defense Army Forces Council Parliament
Reuters AP AFP Telegram X Facebook Twitter Security General Staff Red Cross Crescent United Nations UN
Emergency Service Services State Office National Regional Governor Mayor Police Hospital Health""")


@dataclass(frozen=True)
class Place:
    name: str
    level: int  # 0 country, 1 region, 2 town (or a name the gazetteer does not know), 3 district
    within: str | None = None  # a town or district not in the gazetteer: the place named as its own

    def chain(self) -> tuple[str, ...]:
        """This place and every place it lies in."""
        if self.within is not None and self.name not in _KNOWN:
            return (self.name, *_chain(self.within))
        return _chain(self.name)


@lru_cache(maxsize=4096)
def _chain(name: str) -> tuple[str, ...]:
    out = [name]
    while out[-1] in _PARENT and len(out) < 6:
        out.append(_PARENT[out[-1]])
    return tuple(out)


def _level(name: str) -> int:
    if name in _COUNTRY_ONLY:
        return 0
    if name not in _KNOWN:
        return 2
    depth = len(_chain(name)) - 1
    if name in _TREE and depth == 0:
        return 0
    return 2 if name not in _TREE else min(depth, 1)


def _canon(name: str) -> str:
    return _ALIASES.get(name, name)


def places(text: str) -> frozenset[Place]:
    """The places ``text`` names (see the module docstring)."""
    found: set[str] = set()
    districts: dict[str, str | None] = {}
    for m in _DISTRICT.finditer(text):  # "Kherson's Korabelnyi district", "Obolon district of Kyiv"
        city = _canon(m.group("city") or m.group("of") or "") or None
        name = _canon(m.group("name"))
        districts[f"{m.group('name')} district"] = city or (name if name in _KNOWN else None)
        if city:
            found.add(city)
    for m in _NAME_RUN.finditer(text):
        if any(m.start() >= d.start() and m.end() <= d.end() for d in _DISTRICT.finditer(text, max(0, m.start() - 60), m.end() + 40)):
            continue  # part of a district phrase, read above
        run = _POSSESSIVE.sub("", m.group(0))
        if run in _ACTOR and _level(_canon(run)) == 2 and _AS_ACTOR.match(text, m.end()):
            continue  # "Kyiv says", "Moscow denied": the government, not the city
        region = _REGION_SUFFIX.match(text, m.start())
        if region is not None:
            name = _canon(re.split(r"['’]s[ \t]+", region.group("name"))[-1].removeprefix("The "))
            found.add(name if name.endswith(" region") or name in _TREE and _level(name) == 1
                      else f"{name} region")
            continue
        words = run.split()
        hit = False
        for size in range(min(4, len(words)), 0, -1):  # the longest known name first
            for i in range(len(words) - size + 1):
                name = _canon(" ".join(words[i:i + size]))
                if name in _KNOWN:
                    found.add(name)
                    hit = True
            if hit:
                break
        if not hit and words[0] not in _NOT_PLACES and run not in _ACTOR and len(words) <= 3 and \
                _ORG_WORDS.isdisjoint(words) and _LOCATIVE.search(text, max(0, m.start() - 40), m.start()):
            found.add(run)  # a town the gazetteer does not know
    regions = [name for name in found if name in _KNOWN and _level(name) == 1 or name.endswith(" region")]
    within = regions[0] if len(regions) == 1 else None  # "Tsukuryne, Donetsk region"
    out = {Place(name, _level(name), None if name in _KNOWN or name.endswith(" region") else within)
           for name in found}
    out.update(Place(name, 3, city) for name, city in districts.items())
    return frozenset(out)


def actors(text: str, where: frozenset[Place] = frozenset()) -> frozenset[str]:
    """States and armed groups ``text`` names, less the countries its towns and regions lie
    in (a strike in Dnipro does not make Ukraine an actor of it)."""
    hosts = {p.chain()[-1] for p in where if p.level > 0}
    return frozenset(a for a in (_ACTOR[m.group(1)] for m in _ACTOR_RE.finditer(text)) if a not in hosts)


# where a group or people belongs, so that "the Houthis" and "Yemen" name one party
_HOME = {"Hamas": "Gaza", "Palestinians": "Gaza", "Hezbollah": "Lebanon", "Houthis": "Yemen", "RSF": "Sudan",
         "M23": "Democratic Republic of Congo", "Myanmar junta": "Myanmar", "HTS": "Syria", "Wagner": "Russia",
         "Taliban": "Afghanistan", "al-Shabaab": "Somalia"}


def home(actor: str) -> str:
    """The country or territory an actor belongs to (itself for a state)."""
    return _HOME.get(actor, actor)


def main_place(text: str, where: frozenset[Place]) -> Place | None:
    """The first town, district or region the text names: where its event happened."""
    best: tuple[int, int, str] | None = None
    for place in where:
        if place.level == 0:
            continue
        pos = text.find(place.name.removesuffix(" region").removesuffix(" district"))
        if pos >= 0 and (best is None or (pos, -place.level) < best[:2]):
            best = (pos, -place.level, place.name)
    return next((p for p in where if best and p.name == best[2]), None)


def is_actor_word(word: str) -> bool:
    """Whether ``word`` names a state or armed group ("Russian", "Hamas")."""
    return word in _ACTOR


def related(a: Place, b: Place) -> bool:
    """One place lies in (or is) the other; a town and the region named after it count
    as related ("Idlib" and "Idlib province", "Kharkiv" and "Kharkiv region")."""
    if a.name in b.chain() or b.name in a.chain():
        return True
    return f"{a.name} region" in b.chain() or f"{b.name} region" in a.chain()


def known(place: Place) -> bool:
    """Whether the gazetteer knows where ``place`` lies."""
    return place.chain()[-1] in _KNOWN
