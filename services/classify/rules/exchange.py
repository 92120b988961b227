"""Trigger phrases for ``prisoner_exchange`` (see ``rules`` for the model).

Exchanges need captives: "exchange" alone is mostly rates, fire or views, and
"released" mostly statements and footage. A release counts when the sentence
speaks of captivity (``_CAPTIVITY``): prisoners, hostages, detainees, people held,
jailed or abducted, freed by those who held them (a rescue is not, see ``cues``).
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import Trigger, compile_rule

P = Label.PRISONER_EXCHANGE
_RELEASE_ANCHORS = ("exchang", "swap", "free", "releas", "return", "repatriat", "brought home", "bring home",
                    "hand", "traded", "pardon")

_CAPTIVE = (r"(?:prisoners?(?:\s+of\s+war)?|POWs?|PoWs?|captives?|detainees?|hostages?|servicem[ae]n|"
            r"soldiers?|defenders|civilians|children|people|troops|fighters|Ukrainians|Russians|Israelis|"
            r"Palestinians|marines|nationals?|citizens?|crew(?:\s+members)?|crewmen|seafarers|sailors|"
            r"journalists?|aid\s+workers?|activists?|women|men|captured\s+\w+|staff(?:\s+members)?|"
            r"employees|workers|personnel|contractors)")
# Words that make "released ... prisoners" about footage, and "exchanged ..." about fire.
_NOT_CAPTIVE_GAP = (r"(?!video|footage|statement|report|images?|photos?|list|names|data|figures|details|"
                    r"number|fire|views|blows|letters|messages|greetings|gifts|shots|gunfire|information|"
                    r"notes|ideas|words|insults|accusations|barbs|intelligence|experience|vows|rings|"
                    r"pleasantries|contacts|opinions|threats|documents|findings|results|accounts|up\b|funds|"
                    r"assets|money|cash|reserves|cargo|grain|ships?|vessels?)")
# Words after a freed person that say they were held: "freed an aid worker abducted in March".
_HELD = r"(?:held|detained|jailed|imprisoned|abducted|kidnapped|seized|captured)"
_CAPTIVITY = compile_rule(r"\b(?:prisoners?|POWs?|PoWs?|captiv\w+|captur\w+|detain\w+|hostages?|custody|exchang\w+|"
                          r"swap\w*|abduct\w+|kidnapp?\w+|deport\w+|freed|jail\w*|imprison\w*|held|seiz\w+|"
                          # handed over through the Red Cross, released "in return", pardoned in an amnesty
                          r"icrc|red\s+cross|red\s+crescent|in\s+return|amnest\w+(?!\s+international)|pardon\w*|"
                          # "children taken during the occupation": people carried off
                          r"(?:taken|removed|carried\s+off)\s+(?:away\s+)?(?:from|during|to|by|in)|"
                          r"taken\s+(?:captive|prisoner|hostage)|"
                          # released "after 14 months": how long they were held
                          r"(?:after|following)\s+(?:more\s+than\s+)?\w+\s+(?:days|weeks|months|years))\b")

_HOMECOMING = compile_rule(r"\b(?:c[oa]me\s+home|return(?:ed|s|ing)?|br(?:ought|ings?|inging)\s+(?:back\s+)?home|back\s+home|"
                           r"(?:are|is|were|was)\s+home|home\s+again|reunited|freed|released|"
                           r"prisoners?|pows?|captiv\w+|held|detained|hostages?)\b")

_EXCHANGE = [
    Trigger(P, "swap_noun", compile_rule(
        r"\b(?:prisoner|POW|PoW|hostage|captive|detainee)s?[- ](?:swaps?|exchanges?|releases?|trades?|"
        r"handovers?)\b|\b(?:swap|exchange|release|return)\s+of\s+(?:[\w-]+\s+){0,3}?(?:prisoners|POWs|"
        r"PoWs|captives|detainees|hostages|bodies)\b"), 0.9, anchors=("swap", "exchange", "release", "handover", "trade", "return")),
    Trigger(P, "captives_released", compile_rule(
        # the boundary first: the look-behinds then run at word starts only
        rf"\b(?<!\bfrom\s)(?<!\bof\s)(?<!\bby\s)(?<!\bwith\s)(?<!\bnewly\s)"
        rf"(?:exchang\w*|swapp?\w*|free[ds]?|freeing|releas\w*|return\w*|repatriat\w*|brought\s+home|"
        rf"br(?:ings?|inging)\s+(?:back\s+)?home|hand(?:s|ed|ing)?\s+(?:over|back)|set\s+free|traded|pardon(?:s|ed|ing)?)\s+"
        rf"(?:{_NOT_CAPTIVE_GAP}[\w,-]+\s+)"
        rf"{{0,5}}?{_CAPTIVE}\b"), 0.85, needs=(_CAPTIVITY,), anchors=_RELEASE_ANCHORS),
    # "handed 32 servicemen over to Armenia", "handed 40 prisoners to the ICRC": captives passed to their side
    Trigger(P, "captives_handed", compile_rule(
        rf"\bhand(?:s|ed|ing)?\s+(?:{_NOT_CAPTIVE_GAP}[\w,'’-]+\s+){{0,5}}?{_CAPTIVE}\s+(?:(?:back|over)\s+)?to\b"),
            0.85, needs=(_CAPTIVITY,), anchors=("hand",)),
    # "were flown to Oman after their release": a release told by its aftermath
    Trigger(P, "after_release", compile_rule(
        r"\b(?:after|following|upon|since)\s+(?:their|his|her)\s+(?:release|liberation|handover)\b"
        r"(?!\s+from\s+(?:the\s+)?(?:hospital|clinic|care|quarantine))"), 0.85, needs=(_CAPTIVITY,),
            anchors=("release", "liberation", "handover")),
    # "freed a French aid worker abducted in March": whoever it is, the words say they were held
    Trigger(P, "held_released", compile_rule(
        rf"\b(?:free[ds]?|freeing|releas(?:e|es|ed|ing)|set\s+free|hand(?:s|ed|ing)?\s+over)\s+"
        rf"(?:{_NOT_CAPTIVE_GAP}[\w'’-]+\s+){{1,5}}?{_HELD}\b"), 0.85, anchors=("free", "releas", "hand")),
    # "150 defenders returned home from Russian captivity", "came home in an exchange"
    Trigger(P, "home_from_captivity", compile_rule(
        r"\b(?:return\w*|c[oa]me|coming|brought|got|freed|released|back)\s+(?:back\s+)?(?:home\s+)?from\s+"
        r"(?:[\w-]+\s+){0,2}?captivity\b|\b(?:released|freed)\s+from\s+(?:[\w-]+\s+){0,2}?"
        r"(?:detention|custody|prison|jail)\b"), 0.85, anchors=("captivity", "from detention", "from custody", "from prison", "from jail")),
    Trigger(P, "captives_were_released", compile_rule(
        rf"\b{_CAPTIVE}\b[^.;!?\n]{{0,80}}?\b(?:were|was|have\s+been|has\s+been|had\s+been|are|being)\s+"
        rf"(?:\w+\s+)?(?:exchanged|swapped|freed|released|returned|repatriated|brought\s+home|set\s+free|"
        rf"handed\s+(?:over|back)(?:\s+to)?|handed\s+to|pardoned)\b"), 0.9, needs=(_CAPTIVITY,), anchors=_RELEASE_ANCHORS),
    # "49 people came home on Thursday in an exchange brokered by the UAE"
    Trigger(P, "in_exchange", compile_rule(
        r"\b(?<!foreign\s)(?<!stock\s)(?:exchange|swap)\b(?!\s+(?:for|rates?|of\s+(?:fire|views|letters|messages|"
        r"information|blows)))"),
        0.85, needs=(_HOMECOMING,), anchors=("exchange", "swap"), before=compile_rule(
            r"\b(?:in|after|following|during|under|through|as\s+part\s+of)\s+(?:an?\s+|the\s+|this\s+|its\s+|"
            r"yesterday['’]s\s+|today['’]s\s+)?(?:latest\s+|new\s+|first\s+|largest\s+|\w+-for-\w+\s+)?$")),
    Trigger(P, "bodies_returned", compile_rule(
        r"\b(?:return\w*|repatriat\w*|hand\w*(?:\s+(?:over|back))?|handover|transferr?\w*|receiv\w*|brought\s+back|"
        r"exchang\w*|swapp?\w*)\s+(?:[\w-]+\s+){0,3}?(?:bodies|remains)\b|\brepatriation\s+of\s+(?:the\s+)?"
        r"(?:bodies|remains|war\s+dead|fallen|dead)\b|\b(?:bodies|remains)\b[^.;!?\n]{0,60}?\b(?:were\s+|"
        r"have\s+been\s+|was\s+)?(?:returned|repatriated|handed\s+over|handed\s+(?:back\s+)?to|transferred\s+to|brought\s+back)\b"),
        0.9, anchors=("bodies", "remains", "repatriation")),
]


EXCHANGE_RULES: tuple[Trigger, ...] = tuple(_EXCHANGE)
