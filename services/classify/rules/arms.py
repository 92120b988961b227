"""Trigger phrases for ``aid`` by arms: weapons supplied, sent, delivered or arriving for a
party, and forces trained and equipped (see ``rules_aid`` for money and assistance).

Weapons also travel the other way: a missile "sent to strike" a city, shells that "landed
in" a town. ``NOT_GIFT`` and ``_NOT_ARRIVAL`` keep those out; a recipient must be named
(``rules_aid.has_recipient``).
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.aid import NOT_GIFT, NOT_GIFT_WORDS, has_recipient
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.text.lexicon import AID_KIND, WEAPONS

A = Label.AID
_SUPPLY = r"(?<!-)(?:deliver\w*|suppl(?:y|ied|ies|ying)|provid\w*|pledg\w*|donat\w*|hand\w*\s+over|transferr?\w*|gift(?:s|ed|ing)?)"

# Munitions that "landed in" or "reached" a town were fired at it: "mortar shells landed in a
# residential area", "drones launched from the south reached the outskirts".
_NOT_ARRIVAL = compile_rule(rf"{NOT_GIFT_WORDS}|\b(?:mortars?|shells?|rockets?|missiles?|bombs?|drones?|projectiles?|"
                            rf"munitions|debris)\b{GAP}*?\blanded\b|\b(?:launch\w*|fired|intercept\w*|downed|"
                            rf"shot\s+down)\b")
# Between an auxiliary and its participle: "has now been delivered", "were quietly shipped".
_ADVERB = r"(?:now|finally|already|just|all|also|since|reportedly|successfully|quietly|secretly)"

_ARMS = [
    # "France will train and equip a Ukrainian brigade"
    Trigger(A, "equips_force", compile_rule(
        r"\b(?:train\s+and\s+)?equip(?:s|ped|ping)?\s+(?:[\w,-]+\s+){0,3}?(?:brigades?|battalions?|units|forces|"
        r"troops|soldiers|army|navy|air\s+force|pilots)\b"), 0.85, check=has_recipient, anchors=("equip",)),
    # "Iran supplied drones to Russia": military supply to a party
    Trigger(A, "supplies_weapons", compile_rule(
        rf"\b{_SUPPLY}\b{GAP}{{0,50}}?\b{WEAPONS}\b"), 0.85,
            check=has_recipient, forbid=NOT_GIFT, anchors=("interceptor", "mines", "landmine", "helicopter", "aircraft", "weapon", "arms", "tank", "artillery",
                     "shells", "ammunition", "howitzer", "drones", "missiles", "rockets", "munitions", "armoured",
                     "armored", "jets", "vehicles", "carriers", "apcs", "ifvs")),
    # "agreed to send long-range missiles to Kyiv": arms sent to someone, not at them
    Trigger(A, "sends_weapons", compile_rule(
        rf"\b(?:sen[dt]|sending|ship(?:s|ped|ping)?)\s+(?:[\w,'’-]+\s+){{0,6}}?{WEAPONS}\s+(?:[\w-]+\s+){{0,3}}?"
        rf"to\s+(?!(?:strike|hit|attack|target|destroy|bomb|shell|kill)\b)"), 0.85, check=has_recipient,
            forbid=NOT_GIFT, anchors=("send", "sent", "ship")),
    # "the howitzers were delivered last week"
    Trigger(A, "weapons_were_supplied", compile_rule(
        rf"\b(?:were|was|(?:have|has|had)\s+(?:{_ADVERB}\s+)?been|(?:will|is\s+to|are\s+to|to)\s+be)\s+(?:{_ADVERB}\s+)?"
        rf"(?:delivered|supplied|handed\s+over|donated|shipped|(?:handed|transferred|given)\s+(?:over\s+)?to)\b"), 0.85,
            check=has_recipient, forbid=NOT_GIFT, anchors=("delivered", "supplied", "handed", "donated", "shipped", "transferred to", "given to"),
            before=compile_rule(rf"\b{WEAPONS}\b{GAP}{{0,30}}?$")),
    # "the first Abrams tanks have arrived in Ukraine", "a shipment of shells arrived in Ukraine"
    Trigger(A, "arrived_in", compile_rule(
        r"\b(?:arriv(?:ed|es|ing)?(?:\s+in)?|landed\s+in)\b(?!\s+(?:in\s+)?(?:waves|salvos|swarms|groups|pairs|numbers|"
        r"droves|force|over|above|minutes|seconds|moments|shortly|from|at\s+(?:the\s+)?(?:scene|site)))"),
            0.85, check=has_recipient,
            anchors=("arriv", "landed"), forbid=_NOT_ARRIVAL,
            before=compile_rule(rf"\b(?:{AID_KIND}|{WEAPONS}|shipments?|consignments?|batch(?:es)?|deliveries)\b"
                                rf"{GAP}{{0,60}}?(?:(?:has|have|had)\s+)?$")),
    # "the first batch of Leopard tanks has reached Ukraine": a consignment, not a missile, reaching a place
    Trigger(A, "shipment_reached", compile_rule(r"\breach(?:ed|es)\b"), 0.85, check=has_recipient, anchors=("reach",),
            forbid=_NOT_ARRIVAL, before=compile_rule(
                rf"\b(?:(?:shipments?|consignments?|batch(?:es)?|deliveries)\s+of\s+(?:[\w'’-]+\s+){{0,4}}?(?:{AID_KIND}|"
                rf"{WEAPONS})|tranches?|(?:aid|arms|weapons|military)\s+(?:packages?|shipments?|consignments?))\b"
                rf"{GAP}{{0,60}}?(?:(?:has|have|had)\s+(?:now\s+|finally\s+|already\s+)?)?$")),
]

_ARMS.append(
    # "Russia had received a shipment of Fath-360 ballistic missiles from Iran": the recipient says it got them
    Trigger(A, "received_shipment", compile_rule(
        rf"\b(?:receiv(?:ed|es|ing)|took\s+delivery\s+of|taken\s+delivery\s+of|tak(?:es|ing)\s+delivery\s+of)\s+"
        rf"(?:(?:a|the|its|their|first|new|another|further|latest|large|second|third)\s+)*(?:(?:shipments?|consignments?|"
        rf"batch(?:es)?|deliver(?:y|ies)|tranches?)\s+of\s+)?(?:[\w,.'’-]+\s+){{0,5}}?(?:{AID_KIND}|{WEAPONS})\b"), 0.85,
            check=has_recipient, forbid=_NOT_ARRIVAL, anchors=("receiv", "delivery of")))

ARMS_RULES: tuple[Trigger, ...] = tuple(_ARMS)
