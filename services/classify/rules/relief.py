"""Trigger phrases for humanitarian ``aid`` on the ground: convoys, trucks, ships and
agencies reaching people in need (see ``rules`` for the model, ``rules_aid`` for
money and arms given to a party).
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.aid import has_recipient
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.text.lexicon import AGENCIES, NUM, QUAL

A = Label.AID
# Arriving, in the tenses of copy and of headlines ("reached", "docks", "crosses").
_ARRIVE = (r"(?:arriv\w*|enter\w*|reach\w*|cross(?:es|ed|ing)?|deliver\w*|unload\w*|land(?:s|ed|ing)?|"
           r"dock(?:s|ed|ing)?|distribut\w*|roll(?:s|ed|ing)?)")
_RELIEF = compile_rule(r"\b(?:food|aid|humanitarian|relief|medic\w*|nutrition|flour|wheat|supplies|tents|"
                       r"blankets|water|fuel|shelter|vaccin\w*|un|wfp|icrc|red\s+cross|red\s+crescent|"
                       r"inter-agency|unicef|unrwa|unhcr|iom|ocha)\b")
_HELPED = compile_rule(rf"{_RELIEF.pattern}|\b(?:assistance|cash|kits|rations|support|services)\b")
_NOT_RELIEF = compile_rule(r"\b(?:military|army|armou?red|troops?|police|rebels?|militants?|tanks?|funeral|"
                           r"presidential|motorcade|prisoners?)\b")
# What an agency may "deliver" that is not aid: words.
_NOT_GOODS = (r"(?!\s+(?:(?:a|an|the|its|their)\s+)?(?:[\w-]+\s+)?(?:warnings?|statements?|reports?|messages?|"
              r"appeals?|briefings?|speech|updates?|assessments?|verdict|figures|data|details|numbers|"
              r"information|estimates|accounts?|testimony|evidence|detainees|prisoners|hostages|captives|bodies|remains|"
              r"soldiers|servicemen)\b)")

_PEOPLE = r"(?:people|persons|families|households|children|civilians|residents|beneficiaries|displaced)"

_RELIEF_RULES = [
    # "reached 1.4 million people with food assistance", "a vaccination drive ... reached 300,000 children"
    Trigger(A, "reached_with_aid", compile_rule(
        rf"\breach(?:ed|es|ing)?\s+(?:[\w,.-]+\s+){{0,4}}?{_PEOPLE}\s+(?:[\w-]+\s+){{0,4}}?with\s+"
        rf"(?:[\w-]+\s+){{0,3}}?(?:aid|assistance|supplies|food|kits|cash|relief|support|rations|services)\b|"
        rf"\b(?:campaign|drive|programme|program|distributions?|response|partners|agenc(?:y|ies)|{AGENCIES})\b"
        rf"{GAP}{{0,80}}?\breach(?:ed|es)\s+(?:{QUAL}\s+)?{NUM}\s+(?:more\s+)?{_PEOPLE}\b"),
            0.85, needs=(_HELPED,), anchors=("reach",)),
    # "a 12-truck inter-agency convoy delivered food to Kadugli", "150 trucks crossed into Gaza"
    Trigger(A, "convoy_delivered", compile_rule(
        rf"\b(?:convoys?|trucks|lorries)\b{GAP}{{0,80}}?\b(?:{_ARRIVE}|carr(?:y|ied|ying)|brought)\b"),
            0.85, check=has_recipient, needs=(_RELIEF,), forbid=_NOT_RELIEF, anchors=("convoy", "truck", "lorr")),
    # "aid convoys entered Gaza", "aid ship docks", "trucks carrying food reached El Fasher"
    Trigger(A, "convoy_arrived", compile_rule(
        rf"\b(?:aid|humanitarian|relief|food)\s+(?:convoys?|trucks|lorries|shipments?|deliveries|supplies|"
        rf"flights?|ships?|planes?|airdrops?|airlifts?)\b{GAP}{{0,60}}?\b{_ARRIVE}\b|\b(?:trucks|lorries|convoys?)\s+"
        r"(?:carrying|loaded\s+with|of)\s+(?:aid|food|humanitarian|medical|relief|flour|wheat|grain|sorghum|"
        r"fuel|medicines?|supplies|water|tents|blankets)\b|\bconvoy\s+of\s+\d+\s+(?:trucks|lorries)\b|"
        r"\b(?:airdrop|airlift)\w*\s+(?:of\s+)?(?:aid|food|supplies|relief|humanitarian|medical)\b"), 0.85,
            anchors=("aid ", "humanitarian", "relief", "food", "truck", "lorr", "convoy", "airdrop", "airlift")),
    # "UNICEF delivered two water units to the hospital", "IOM distributed 6,000 kits to displaced families"
    Trigger(A, "agency_delivered", compile_rule(rf"\b{AGENCIES}\b"), 0.85, check=has_recipient,
            anchors=("unicef", "wfp", "unhcr", "iom", "icrc", "msf", "ocha", "unrwa", "unfpa", "undp", "fao",
                     "world food", "red cross", "red crescent", "norwegian refugee", "save the children", "oxfam",
                     "care international", "decins sans", "doctors without", "world health"),
            after=compile_rule(
                rf"\b(?:deliver(?:ed|s|ing)?|distribut\w+|provid(?:ed|es|ing)|suppl(?:ied|ies|ying)|"
                rf"hand(?:ed|s|ing)\s+(?:out|over)|airdrop\w*|airlift\w*|donat\w+|ship(?:ped|s)|dispatch\w*|"
                rf"install\w*|brought|truck(?:ed|s))\b{_NOT_GOODS}"),
            # an agency that receives the dead or freed captives is at an exchange, not handing out aid
            forbid=compile_rule(r"\b(?:bodies|remains|corpses|detainees|prisoners|hostages|captives)\b")),
]

RELIEF_RULES: tuple[Trigger, ...] = tuple(_RELIEF_RULES)
