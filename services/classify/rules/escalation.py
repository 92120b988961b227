"""Trigger phrases for ``escalation`` by forces: outside forces joining, forces crossing
a border, major new offensives (see ``rules_pacts`` for alliances and pacts,
``rules_weapons`` for new weapons, ranges, permissions and nuclear warnings).

Routine strikes, front-line fighting and rhetoric are not escalation; the sentence
cues in ``cues`` keep hypotheticals ("could send troops") and denials out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.text.lexicon import FOREIGN, TROOPS

E = Label.ESCALATION
_OUTSIDERS = ("north korea", "dprk", "pyongyang", "korean people", "kpa", "iranian", "belarusian", "chinese", "cuban",
              "chechen", "rwandan", "eritrean", "burundian",
              "foreign", "western", "nato", "european", "french", "british", "american", "us ", "u.s.")
_NEEDS_FOREIGN = compile_rule(rf"\b{FOREIGN}")
_NEEDS_DEPLOY = compile_rule(
    r"\b(?:deploy\w*|dispatch\w*|sen[dt]|sending|arriv\w+|moved|transferr?\w*|join\w*|enter\w*|"
    r"fight(?:ing)?|combat|front\s*lines?|the\s+front|stationed|participat\w+|in\s+Russia|into\s+Russia|"
    r"to\s+Russia|in\s+Ukraine|Kursk|presence|withdrawal|uniforms|operat\w+|against\s+Ukrain\w+|"
    r"t[ao]ok\s+part|taken\s+part|take\s+part|assault|offensive|cross\w*|alongside|back(?:ing)?\s+\w+)\b")
# a war joined by striking: "struck Iran's nuclear sites, joining Israel's campaign against Iran"
_MIL_ACTION = compile_rule(r"\b(?:struck|strikes?|bomb\w*|jets|warplanes|air\s*force|troops|forces|navy|missiles?|"
                           r"drones?|air\s*strikes?|shelled|fired)\b")

# Helped in a fight by an outside force: "to help the junta fight jihadist insurgents".
# (an army or forces named by whose they are: "the Malian army", not "the army", which may be their own)
_HELP_FIGHT = (r"to\s+(?:help|assist|support|back|bolster)\s+(?:the\s+)?(?:(?:[\w'’-]+\s+){0,2}?(?:junta|government|regime|"
               r"authorities|allies|ally|rebels|militias?)|(?!the\s)(?:[\w'’-]+\s+){1,2}?(?:army|armed\s+forces|military|forces))\s+"
               r"(?:to\s+)?(?:fight|battle|"
               r"combat|against|counter|repel|defeat|retake|push\s+back|in\s+(?:its|their)\s+(?:war|fight|campaign))")

# a rescue, evacuation or relief operation is no offensive
NOT_OFFENSIVE = compile_rule(r"\b(?:rescue|evacuation|humanitarian|relief|search|recovery|vaccination|police|"
                              r"anti-drug|clean-?up|charm|diplomatic|marketing|sales)\b")

# troops moved for drills or parades are not joining a war
DRILLS = compile_rule(r"\b(?:exercis\w*|drills?|manoeuvres|maneuvers|war\s+games|parades?|peacekeep\w*)\b")


def lacks(pattern: re.Pattern[str]) -> Callable[[str, str, int, int], bool]:
    """A sentence check (``Trigger.check``): the sentence holds no match of ``pattern``."""
    def check(text: str, low: str, start: int, end: int) -> bool:
        return pattern.search(low, start, end) is None
    return check


_ESCALATION = [
    Trigger(E, "foreign_troops", compile_rule(rf"\b{TROOPS}\b"), 0.9, needs=(_NEEDS_FOREIGN, _NEEDS_DEPLOY), anchors=_OUTSIDERS,
            check=lacks(DRILLS)),
    # "100 soldiers of the Africa Corps arrived in Burkina Faso to help the junta fight insurgents",
    # "troops crossed into North Kivu and joined M23 positions": a force joining another's war
    Trigger(E, "sent_to_fight", compile_rule(
        rf"\b{TROOPS}\b{GAP}{{0,80}}?\b(?:arriv\w+|deploy\w*|landed|sent|dispatched|flown|stationed|moved)\s+"
        rf"(?:in|to|into)\s+{GAP}{{1,40}}?\b{_HELP_FIGHT}\b|"
        rf"\b{TROOPS}\b{GAP}{{0,60}}?\bcross(?:ed|es|ing)\s+(?:the\s+border\s+)?into\b{GAP}{{0,100}}?\band\s+join(?:ed|s)\s+"
        rf"(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?(?:positions|fighters|rebels|forces|ranks|offensive|assault|fight|fighting|"
        rf"operations?|lines)\b"),
        0.85, anchors=("to help", "to assist", "to support", "to back", "to bolster", "joined", "joins"),
        forbid=compile_rule(r"\b(?:peacekeep\w*|police|rescue|relief|humanitarian|medical|training|exercises?|drills?)\b")),
    Trigger(E, "joins_war", compile_rule(
        r"\b(?:join\w*|enter\w*)\s+(?:the\s+|[\w-]+['’]s\s+)?(?:war|fighting|conflict|hostilities)\b(?!['’]s)"
        r"(?!\s+(?:zone|effort|of\s+words|against\s+(?:inflation|climate|cancer|poverty|corruption|drugs|crime)))"),
        0.85, anchors=("join", "enter")),
    # "..., widening the war": the sentence says its news widened it (a clause of its own, not "avoid widening")
    Trigger(E, "widens_war", compile_rule(
        r"\b(?:widening|broadening)\s+the\s+(?:[\w'’-]+\s+)?(?:war|conflict)\b"), 0.85, anchors=("widening", "broadening"),
        before=compile_rule(r",\s+(?:effectively\s+|further\s+|sharply\s+|dramatically\s+)?$")),
    # "joining the US-led air campaign against the group", "jets joined the strikes on Houthi targets"
    Trigger(E, "joins_campaign", compile_rule(
        r"\b(?:join(?:s|ed|ing)?|enter(?:s|ed|ing)?)\s+(?:the\s+|[\w'’-]+['’]s\s+)?(?:[\w-]+\s+)?(?:(?:military|air|"
        r"bombing|aerial|naval|armed)\s+)?(?:campaign|offensive|strikes|air\s*strikes|operations?|war|attacks)\s+"
        r"(?:against|on|in)\b"), 0.85, needs=(_MIL_ACTION,), anchors=("join", "enter")),
    # "3,000 Rwandan troops are fighting alongside M23": an outside force in the fighting
    Trigger(E, "fights_alongside", compile_rule(
        rf"\b{TROOPS}\b{GAP}{{0,60}}?\b(?:fight\w*|deployed|operating|serving|battling|embedded)\s+(?:(?:the\s+)?[\w'’-]+\s+)?(?:alongside|"
        rf"on\s+the\s+side\s+of|side\s+by\s+side\s+with|in\s+support\s+of)\b"), 0.85, anchors=("alongside", "side of",
                                                                                            "side by side", "support of")),
    # "intervened militarily", "began a military intervention in"
    Trigger(E, "intervention", compile_rule(
        r"\b(?:intervened|intervenes|intervening)\s+militarily\b|\b(?:launch\w*|beg[au]n|start\w*)\s+(?:a\s+)?"
        r"military\s+intervention\b|\bfirst\s+(?:ever\s+)?direct\s+(?:[\w-]+\s+){0,2}?(?:attacks?|strikes?|assault|"
        r"action|operations?|intervention|involvement|clash|confrontation|engagement)\b|"
        # "its second direct attack on Israeli territory": a state striking another's soil itself
        r"\bdirect\s+(?:military\s+|missile\s+|drone\s+)?(?:attacks?|strikes?|assaults?)\s+(?:on|against)\s+"
        r"(?:[\w'’-]+\s+){0,2}?(?:territory|soil)\b"),
        0.85, anchors=("interven", "first direct", "first ever direct", "first-ever direct", "direct")),
    # "Ukrainian forces crossed the border into Russia's Kursk region"
    Trigger(E, "cross_border", compile_rule(
        r"\b(?:troops|forces|tanks|soldiers|units|army|columns|brigades)\s+(?:have\s+|had\s+)?(?:cross(?:es|ed)?|"
        r"pour(?:s|ed)?|push(?:es|ed)?|roll(?:s|ed)?|move[sd]?|advance[sd]?|storm(?:s|ed)?)\s+(?:across\s+)?"
        r"(?:the\s+|an?\s+)?(?:[\w-]+\s+)?(?:border|frontier)\s+into\b|"
        r"\b(?:troops|forces|tanks|soldiers|units|army|columns|brigades)\s+(?:have\s+|had\s+)?(?:cross(?:es|ed)?|"
        r"push(?:es|ed)?|move[sd]?|advance[sd]?|went)\s+(?:beyond|past|across|over)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
        r"(?:buffer\s+zone|demilitari[sz]ed\s+zone|line\s+of\s+contact|ceasefire\s+line|armistice\s+line)\b"),
        0.85, anchors=("border into", "frontier into", "buffer zone", "demilitari", "line of contact",
                       "ceasefire line", "armistice line")),
    # "pushed into Velmora in a major new offensive", "approved expanding the ground operation"
    Trigger(E, "offensive_named", compile_rule(
        r"\b(?:in|with|as\s+part\s+of)\s+(?:a|an|its|their|the)\s+(?:(?:new|major|large-scale|fresh|renewed|"
        r"full-scale|sweeping|broad|wide-scale|massive|surprise|multi-front|ground|spring|summer|winter|autumn)\s+)+"
        r"(?:[\w-]+\s+)?(?:offensive|ground\s+operation|incursion|invasion)\b|\b(?:expan(?:d|ds|ded|ding|sion\s+of)|"
        r"(?:widen|broaden)(?:s|ed|ing)?)\s+"
        r"(?:the|its|their|a)\s+(?:ground\s+|military\s+)?(?:operation|offensive|invasion|incursion)\b"), 0.85,
        anchors=("offensive", "operation", "incursion", "invasion"), forbid=NOT_OFFENSIVE),
    Trigger(E, "new_offensive", compile_rule(
        r"\b(?:launch\w*|beg[au]n|begins|start\w*|open\w*|mount\w*|unleash\w*|kick\w*\s+off)\s+(?:a\s+|an\s+|its\s+|"
        r"their\s+|the\s+)?(?:[\"“][^\"”.;!?\n]{1,60}[\"”]\s+)?(?:(?:new|major|large-scale|massive|full-scale|surprise|ground|cross-border|"
        r"long-awaited|all-out|sweeping|amphibious|counter-?|wide-scale|broad|coordinated|multi-front|military)\s+)+"
        r"(?:offensive|incursion|invasion|(?:ground\s+|military\s+)?operation|ground\s+assault|assault|front|raids)\b"
        r"(?!\s+to\s+(?:rescue|evacuate|free|recover|deliver|restore|clear|find|search))|"
        r"\b(?:launch\w*|beg[au]n|begins|start\w*|mount\w*|unleash\w*)\s+(?:a\s+|an\s+|its\s+|their\s+|the\s+)?"
        r"(?:offensive|counteroffensive|counter-offensive|incursion|invasion|ground\s+(?:operation|offensive|invasion|"
        r"incursion))\b|\blaunch\s+of\b[^.;!?\n]{0,40}?\b(?:offensive|counteroffensive|incursion|invasion)\b|"
        r"\b(?:offensive|counteroffensive|counter-offensive|invasion|incursion|ground\s+operation)\s+(?:has\s+)?"
        r"(?:begins|began|begun|starts|started|(?:is|got)\s+under\s*way|underway|was\s+launched)\b|"
        r"\bopening\s+(?:phase|stage)\s+of\s+(?:an?|the|its)\s+(?:[\w-]+\s+)?(?:operation|offensive|invasion)\b|"
        r"\b(?:first|largest|biggest|broadest|widest)\s+(?:[\w-]+\s+){0,3}?(?:offensive|incursion|invasion|"
        r"(?:ground|military|army|land)\s+operation|operation|(?:ground|cross-border|land|armou?red|amphibious)\s+"
        r"(?:assault|attack)s?)\s+(?:there\s+|here\s+)?(?:into|in|on|against|of|since)\b|"
        # "Israeli ground forces began operations in southern Lebanon"
        r"\bground\s+(?:forces|troops|units)\s+(?:have\s+|had\s+)?(?:beg[au]n|launched|started|commenced)\s+"
        r"(?:(?:limited|localised|localized|targeted|new|fresh)\s+)*(?:operations|raids|incursions)\s+(?:in|into|inside|across)\b"
        r"(?![^.;!?\n]{0,60}\bto\s+(?:rescue|evacuate|free|recover|deliver|restore|clear|find|search|help))|"
        r"\bopen\w*\s+(?:a\s+)?(?:new|second|third)\s+front\b"),
        0.85, anchors=("offensive", "counteroffensive", "counter-offensive", "incursion", "invasion", "operation",
                       "assault", "front", "raids", "first", "largest", "biggest", "broadest", "widest"),
        forbid=NOT_OFFENSIVE),
]

ESCALATION_RULES: tuple[Trigger, ...] = tuple(_ESCALATION)
