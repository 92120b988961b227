"""Trigger phrases for ``escalation`` by weapons: a new class or range of weapon or
strike used, supplied or permitted, and warnings of a direct clash between nuclear
powers (see ``rules_escalation`` for forces, alliances and offensives).
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.text.leads import first_guard

E = Label.ESCALATION
_NEEDS_WEAPON = compile_rule(r"\b(?:missiles?|ATACMS|Storm\s+Shadows?|jets?|weapons?|bombs?|munitions|warheads?|"
                             r"ICBMs?|rockets?|drones?|aircraft|nuclear)\b")
_NEEDS_WARN = compile_rule(r"\b(?:warn\w*|threat\w*|risk\w*|danger\w*|would\s+(?:mean|lead|trigger|provoke)|"
                           r"could\s+(?:lead|trigger|provoke)|lower\w*\s+the\s+threshold|doctrine|spill\w*\s+over)\b")
_STRIKE = compile_rule(r"\b(?:struck|strikes?|hit|attack\w*|drones?|missiles?|bomb\w*|raid\w*)\b")

_WEAPONS = [
    # "the first Houthi attack to reach Tel Aviv": a new range (not "the first attack in weeks")
    Trigger(E, "new_reach", compile_rule(
        rf"\bfirst\s+(?:ever\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:attacks?|strikes?|missile|drone|rocket|salvo)s?\s+"
        rf"(?:[\w-]+\s+){{0,2}}?(?:to\s+(?:reach|hit|strike|target|land\s+in)|on|against|inside|deep\s+inside|"
        rf"beyond|at|toward|towards|into)\b(?!{GAP}{{0,80}}\b(?:in\s+(?:weeks|months|days|years|over|more\s+than|nearly|almost|"
        rf"a\s+(?:week|month|year)|\d+|two|three|four|five|six|several|recent)|since|this\s+(?:year|month|week)|"
        rf"of\s+the\s+(?:day|week|month|year)))"), 0.85, anchors=("first",)),
    # "U.S. approved cluster munitions for Ukraine": a new class of weapon sent
    Trigger(E, "new_class_supplied", compile_rule(
        rf"\b(?:provi\w*|suppl(?:y|ied|ies|ying)|send\w*|sent|deliver\w*|transfer\w*|approv\w*|authori[sz]\w*|"
        rf"us(?:e|ed|es|ing)|fir(?:ed|ing))\b{GAP}{{0,60}}?\b(?:cluster\s+(?:munitions|bombs)|anti-personnel\s+"
        rf"(?:land)?mines|depleted\s+uranium|white\s+phosphorus|dual-purpose\s+improved\s+conventional\s+munitions|"
        rf"dpicms?|thermobaric|chemical\s+weapons|tactical\s+nuclear)\b"), 0.85,
        anchors=("cluster", "anti-personnel", "depleted", "white phosphorus", "dual-purpose", "dpicm", "thermobaric",
                 "chemical", "tactical nuclear")),
    Trigger(E, "weapon_permitted", compile_rule(
        rf"\b(?:allow\w*|permi\w+|authori[sz]\w*|green[- ]?light\w*|go-ahead|approv\w+|(?:lift\w*|eas\w+|drop\w*|"
        rf"scrap\w*|remov\w*)\s+(?:(?:its|their|the|a|all|remaining|some|his|her|any|most)\s+)?(?:[\w-]+\s+)?"
        rf"(?:restrictions?|bans?|limits|curbs|prohibitions?|caveats|constraints)|clear\w*\s+(?:Ukraine|Kyiv|Israel)\s+to|"
        rf"(?:can|could|may)\s+now\s+(?:use|strike|fire|hit|target)|free\s+to\s+(?:use|strike)|"
        rf"(?:decid\w*|agree\w*)\s+to\s+(?:supply|send|deliver|provide|give|transfer))\b"
        rf"{GAP}{{0,80}}?\b(?:long-range|deep\s+(?:inside|into)|inside\s+Russia|into\s+Russia|on\s+Russian\s+"
        rf"(?:soil|territory)|ATACMS|Storm\s+Shadows?|SCALP|Taurus|Tomahawks?|cluster\s+munitions|"
        rf"anti-personnel\s+(?:land)?mines|(?:targets?|strikes?)\s+(?:in|inside|on)\s+russia\w*|"
        rf"(?:targets?|strikes?|attacks?)\s+(?:[\w-]+\s+){{0,3}}?(?:in|inside|on)\s+(?:[\w'-]+\s+)?(?:soil|territory)|"
        rf"across\s+the\s+border|cross-border\s+(?:strikes?|attacks?|targets?))"),
        0.85, anchors=("soil", "territory", "long-range", "deep", "inside russia", "into russia", "russian soil",
                       "russian territory", "atacms", "storm shadow", "scalp", "taurus", "tomahawk", "cluster",
                       "anti-personnel", "across the border", "cross-border")),
    Trigger(E, "new_weapon", compile_rule(
        r"\b(?:for\s+the\s+first\s+time|first[- ]ever|first\s+(?:(?:confirmed|reported|known|recorded|documented|"
        r"battlefield|combat|operational)\s+){0,2}use)\b|\b(?:intercontinental|"
        r"intermediate-range|experimental|new\s+hypersonic)\s+(?:ballistic\s+)?missiles?\b|\bOreshnik\b|"
        r"\bfirst\s+(?:ever\s+)?direct\s+(?:military\s+)?(?:attack|strike|assault)\b"),
        0.85, needs=(_NEEDS_WEAPON,), anchors=("first", "intercontinental", "intermediate-range", "experimental", "hypersonic", "oreshnik")),
    Trigger(E, "nuclear_warning", compile_rule(
        r"\b(?:nuclear\s+(?:war|strike|attack|response|retaliation|conflict|confrontation|escalation|"
        r"doctrine|threshold|catastrophe)|(?:use|using|deploy\w*)\s+(?:of\s+)?(?:tactical\s+)?nuclear\s+"
        r"weapons|direct\s+(?:military\s+)?(?:clash|confrontation|conflict|war)[\"”’']?\s+(?:between|with)|"
        r"at\s+war\s+with\s+(?:NATO|the\s+West|the\s+United\s+States)|"
        r"(?:NATO|the\s+West|Western\s+countries|the\s+United\s+States|the\s+US|Washington)\s+(?:countries\s+)?"
        r"(?:is|are|was|were|would\s+be|will\s+be)\s+(?:now\s+)?(?:directly\s+)?at\s+war\s+with\s+(?:Russia|Moscow|China)|World\s+War\s+(?:III|Three|3)|"
        r"third\s+world\s+war)\b"), 0.85, needs=(_NEEDS_WARN,), anchors=("nuclear", "direct", "war with", "world war"),
        hypo_ok=True),
    # "struck a refinery 1,500 km from the border", "the deepest strike of the war": a new range
    Trigger(E, "deep_strike", compile_rule(first_guard(
        r"\b(?:[1-9],\d{3}|[1-9]\d{3})\s?(?:km|kilomet(?:re|er)s|miles)\s+(?:from|inside|behind|beyond)\s+"
        r"(?:the\s+)?(?:border|front(?:\s*line)?|frontier)\b|\b(?:deepest|farthest|furthest|longest-range)\s+"
        r"(?:[\w-]+\s+)?(?:strike|attack|raid)s?\b")), 0.85, needs=(_STRIKE,),
        anchors=("km", "kilomet", "miles", "deepest", "farthest", "furthest", "longest-range")),
]

WEAPON_RULES: tuple[Trigger, ...] = tuple(_WEAPONS)
