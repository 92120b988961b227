"""Trigger phrases for ``civilian_harm``: civilians killed, hurt or driven out, and
civilian objects (homes, hospitals, power, water) damaged or cut (see ``rules``).

Most need an attack somewhere in the update (``ATTACK_CONTEXT``): a flood or a road
accident harms people too, but it is not news of the war.
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.text.lexicon import ATTACK, HARMED, INFRA, MIL, NUM, QUAL, VICTIM

H = Label.CIVILIAN_HARM
ATTACK_CONTEXT = compile_rule(rf"\b{ATTACK}\b")
MILITARY = compile_rule(rf"\b{MIL}\b")
_HURT = ("kill", "dead", "died", "injur", "wound", "hurt", "maim", "hospitali", "lost their lives", "rubble",
         "gunn", "massacr", "execut", "beaten", "burned to death", "hospital", "among the", "succumb", "behead",
         "lynch", "stabb", "hacked", "burned alive", "tortured")
_OBJECTS = ("residential", "apartment", "high-", "multi-", "flats", "home", "hous", "dwelling",
            "hospital", "clinic", "maternity", "school", "kindergarten", "nurser", "universit", "church",
            "mosque", "synagogue", "power", "electric", "energy", "station", "thermal", "heat",
            "water", "gas", "dam", "civilian", "camp", "shelter", "shop", "market", "baker", "caf",
            "restaurant", "train", "passenger", "playground", "food", "warehouse", "compound", "premises",
            "aircraft", "airliner", "vessel", "ferr", "commercial", "wfp", "unicef", "unrwa", "unhcr", " un ",
            "aid ", "humanitarian", "relief", "red cross", "ngo", "pump", "borehole", "desalin", "boiler", "health",
            "medical", "ambulanc", "care home", "orphan")
# Merchant and passenger shipping, whose crews and passengers are civilians.
_MERCHANT_SHIP = compile_rule(
    r"\b(?:bulk\s+carriers?|container\s+(?:ships?|vessels?)|cargo\s+(?:ships?|vessels?)|merchant\s+(?:ships?|vessels?)|"
    r"(?:oil|crude|chemical|product|gas|lpg|lng)\s+tankers?|freighters?|(?:commercial|civilian|fishing|passenger)\s+"
    r"(?:ships?|vessels?|boats?)|fishing\s+boats?|ferr(?:y|ies))\b|-(?:flagged|owned\s+(?:ships?|vessels?|tankers?))\b")

_NAVY = compile_rule(r"\b(?:navy|naval|warships?|soldiers?|troops|marines)\b")  # a warship's crew is military


def _in_war(text: str, low: str, start: int, end: int) -> bool:
    """Whether the update speaks of an attack (a shipboard fire or a storm harms crews too)."""
    return ATTACK_CONTEXT.search(low) is not None


_NO_MIL_AFTER = rf"(?!\s+(?:[\w-]+\s+){{0,3}}?{MIL}\b)"
_VICTIM_NP = rf"(?:(?:[\w'-]+\s+){{0,2}}?{VICTIM})"

_HARM = [
    # "Four civilians were killed", "two people were wounded", "a woman died"
    Trigger(H, "victim_harmed", compile_rule(rf"\b{HARMED}\b"), 0.9, context=ATTACK_CONTEXT, forbid=MILITARY, anchors=_HURT,
            before=compile_rule(rf"\b{VICTIM}\b{GAP}{{0,50}}?$")),
    # "killing three civilians", "injured at least one civilian"
    Trigger(H, "harmed_victim", compile_rule(
        rf"\b(?:kill(?:ed|ing|s)?|injur(?:ed|ing|es)|wound(?:ed|ing|s)?|hurt(?:ing)?|maim\w*|shooting\s+dead|"
        rf"shot\s+dead|gunn(?:ed|ing)\s+down|massacr\w+|execut(?:ed|ing)|behead(?:ed|ing)|lynch(?:ed|ing)|"
        rf"stabb(?:ed|ing))\s+"
        rf"(?:{QUAL}\s+)?(?:{NUM}\s+|an?\s+)?{_VICTIM_NP}\b"), 0.9, context=ATTACK_CONTEXT, anchors=_HURT),
    # "killing 3", "wounded four" (no noun: count unless soldiers follow)
    Trigger(H, "harmed_count", compile_rule(
        rf"\b(?:killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds)\s+(?:{QUAL}\s+)?{NUM}\b{_NO_MIL_AFTER}"),
        0.75, context=ATTACK_CONTEXT, anchors=_HURT),
    # "at least 20 injured", "4 dead", "two were killed"
    Trigger(H, "count_harmed", compile_rule(r"\b(?:killed|dead|injured|wounded|hurt)\b"), 0.75, context=ATTACK_CONTEXT,
            anchors=_HURT, before=compile_rule(
                rf"\b(?:{QUAL}\s+)?{NUM}\s+(?:{_VICTIM_NP}\s+)?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+|are\s+)?$")),
    # "41 civilian deaths were recorded across Sudan": the words name war deaths, attack or not
    # (but not "to avoid civilian casualties")
    Trigger(H, "civilian_toll", compile_rule(
        r"\b(?<!avoid\s)(?<!minimi[sz]e\s)(?<!limit\s)(?<!reduce\s)(?<!prevent\s)civilian\s+(?:casualties|deaths|"
        r"fatalities|death\s+toll)\b"), 0.85, anchors=("civilian casualt", "civilian death", "civilian fatalit")),
    Trigger(H, "casualties", compile_rule(
        r"\b(?:civilian\s+(?:victims|toll)|(?:casualties|fatalities)\s+"
        r"among\s+(?:the\s+)?(?:civilians|residents|the\s+population)|"
        r"(?:caused|causing|left|leaving|resulted\s+in|reports?\s+of|were)\s+(?:[\w-]+\s+){0,2}?casualties|"
        r"death\s+toll\s+(?:[\w'’-]+\s+){0,10}?(?:rose|has\s+risen|climbed|rises|jumped|stands|reached))"), 0.85, context=ATTACK_CONTEXT, anchors=("casualt", "civilian death", "civilian victim", "civilian toll",
                                                "death toll", "fatalit")),
    # ACLED-style: "attacked civilians in X", "opened fire on civilians"
    Trigger(H, "attack_on_civilians", compile_rule(
        r"\b(?:attack(?:ed|ing|s)?|target(?:ed|ing|s)?|fir(?:ed|ing)\s+(?:up)?on|opened\s+fire\s+on|shell(?:ed|ing)|"
        r"bomb(?:ed|ing)|struck|assault(?:ed|ing)|raid(?:ed|ing)|abduct(?:ed|ing)|kidnapp(?:ed|ing))\s+"
        r"(?:(?:a|the|unarmed|fleeing|displaced)\s+)?(?:civilians|villagers|residents|displaced\s+people|"
        r"a\s+(?:village|residential\s+area|civilian\s+convoy)|(?:an?|the)\s+(?:commercial|civilian|passenger)\s+"
        r"(?:aircraft|plane|flight|airliner|bus|train|ferry|ship|vessel|car|vehicle))\b"),
        0.85, anchors=("civilian", "villager", "resident", "displaced", "village", "residential", "commercial",
                       "passenger")),
    # "damaged residential buildings", "a hospital was hit"
    Trigger(H, "infra_damaged", compile_rule(
        r"\b(?:damag\w*|destroy\w*|hit|hitting|struck|strikes?\s+on|attacks?\s+on|shelled|shelling|"
        r"pounded|targeted|targeting|levell?ed|flattened|demolish\w*|razed|bulldoz\w*|set\s+fire\s+to|"
        r"knocked\s+out|ravaged|gutted|storm(?:s|ed|ing)?|raid(?:s|ed|ing)?|overr[au]n|looted|looting|"
        r"torched|burned|burnt|burning|bombed|bombing|attacked|attacking|shelling\s+of|bombardment\s+of|"
        r"(?:destruction|looting|torching|razing|demolition|burning)\s+of)\b"),
            0.85, context=ATTACK_CONTEXT, anchors=_OBJECTS, after=compile_rule(rf"\b{INFRA}\b"),
            # what is hit "near" or "outside" a school is not the school
            forbid=compile_rule(r"\b(?:near|close\s+to|outside|next\s+to|beside|around)\b")),
    Trigger(H, "infra_was_damaged", compile_rule(
        r"\b(?:damaged|destroyed|hit|struck|shelled|bombed|attacked|targeted|looted|demolished|flattened|levell?ed|"
        r"razed|gutted|collapsed|cut|cut\s+off|disrupted|knocked\s+out|on\s+fire|ablaze|burned|burnt|caught\s+fire|"
        r"(?:put\s+)?out\s+of\s+(?:service|action|operation))\b"),
            0.85, context=ATTACK_CONTEXT, anchors=_OBJECTS,
            before=compile_rule(rf"\b{INFRA}\b{GAP}{{0,52}}$")),
    # "knocked out power to 73,000", "left without heating", "no heating in the city"
    Trigger(H, "utility_cut", compile_rule(
        r"\b(?:without|no|lost|losing|cut\s+off\s+from|knock(?:ed|ing)?\s+out|cut(?:ting)?(?:\s+off)?|"
        r"disrupt\w*)\s+(?:the\s+)?(?:(?:running|drinking|tap|piped|mains|clean|central|hot)\s+)?"
        r"(?:power|electricity|light|heating|heat|water|gas|energy)"
        r"(?:\s+suppl(?:y|ies))?\b(?!\s+(?:polo|prices?|bills?|market|sector|companies|stocks?))"),
        0.8, self_negating=True, context=ATTACK_CONTEXT, anchors=("power", "electric", "heat", "water", "gas", "energy")),
    # "water and heating were cut", "electricity is down in 40 blocks"
    Trigger(H, "utility_was_cut", compile_rule(
        r"\b(?:power|electricity|water|heating|heat|gas)(?:\s+(?:and|or)\s+(?:power|electricity|water|heating|gas))?"
        r"(?:\s+(?:supplies|supply|services?))?\s+(?:(?:was|were|has\s+been|have\s+been|had\s+been|is|are)\s+)?"
        r"(?:cut(?:\s+off)?|knocked\s+out|disrupted|down|off)\b(?!\s+(?:by\s+\d|\d))"), 0.8, context=ATTACK_CONTEXT,
            anchors=("power", "electric", "heat", "water", "gas")),
    Trigger(H, "outages", compile_rule(
        r"\b(?:power|electricity|emergency|rolling|scheduled)\s+(?:outages?|cuts|blackouts?|shutoffs?)\b"),
        0.8, context=ATTACK_CONTEXT, anchors=("outage", "cuts", "blackout", "shutoff")),
    # "rescuers pulled a survivor from the rubble", "two bodies were recovered from the ruins"
    Trigger(H, "from_rubble", compile_rule(
        rf"\b(?:pull(?:ed|ing|s)?|rescu(?:ed|ing|es)|dug|digging|retriev(?:ed|ing)|recover(?:ed|ing)|extract(?:ed|ing)|"
        rf"free(?:d|ing))\b{GAP}{{0,60}}?\b(?:from|out\s+of)\s+(?:under\s+)?(?:the\s+)?(?:rubble|ruins)\b"),
            0.85, context=ATTACK_CONTEXT, forbid=MILITARY, anchors=("rubble", "ruins")),
    # a merchant ship's crew are civilians: "1 crew member was killed" after a strike on a bulk carrier
    Trigger(H, "crew_harmed", compile_rule(r"\b(?:crew(?:\s+members?)?|crewmen|sailors|mariners)\b"), 0.85,
            context=_MERCHANT_SHIP, check=_in_war, anchors=("crew", "sailor", "mariner"),
            forbid=_NAVY,
            after=compile_rule(rf"\b{HARMED}\b")),
    # "killed two crew members" on such a ship
    Trigger(H, "harmed_crew", compile_rule(
        rf"\b(?:kill(?:ed|ing|s)?|injur(?:ed|ing|es)|wound(?:ed|ing|s)?|hurt(?:ing)?)\s+(?:{QUAL}\s+)?(?:{NUM}\s+|an?\s+)?"
        rf"(?:[\w'-]+\s+)?(?:crew(?:\s+members?)?|crewmen|sailors|mariners)\b"), 0.85, context=_MERCHANT_SHIP,
            check=_in_war, anchors=("crew", "sailor", "mariner"), forbid=_NAVY),
]

HARM_RULES: tuple[Trigger, ...] = tuple(_HARM)
