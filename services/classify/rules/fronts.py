"""Trigger phrases for ``escalation`` by new fronts: forces crossing into another state or
a new territory, record pushes, major new strike campaigns, named operations, and one
state striking another that was not already at war with it (see ``rules_escalation``).

The pairs of ``_STATE_STRIKES`` are states whose direct strikes on each other widen a war
(Israel or the US on Iran, India and Pakistan, a Russian strike on NATO soil): Russia on
Ukraine or Israel on Gaza is the routine fighting the label leaves out.
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.rules.escalation import DRILLS, NOT_OFFENSIVE, lacks
from services.classify.text.lexicon import TROOPS

E = Label.ESCALATION
_STATES = (r"(?:russia|ukraine|belarus|poland|lithuania|latvia|estonia|finland|romania|moldova|georgia|armenia|"
           r"azerbaijan|lebanon|israel|syria|iran|iraq|jordan|pakistan|india|afghanistan|congo|drc|rwanda|burundi|"
           r"uganda|sudan|south\s+sudan|chad|ethiopia|eritrea|somalia|kenya|niger|mali|burkina\s+faso|taiwan|"
           r"south\s+korea|north\s+korea|thailand|cambodia|venezuela|guyana)")
_MIL_ACTOR = compile_rule(r"\b(?:military|army|armed\s+forces|air\s*force|navy|troops|forces|jets|warplanes|"
                          r"air\s*strikes|strikes|missiles|drones|idf|pentagon)\b")
_NOT_CAMPAIGN = compile_rule(
    rf"{NOT_OFFENSIVE.pattern}|\b(?:election\w*|vaccin\w*|advertis\w*|fundrais\w*|awareness|recruit\w*|"
    r"disinformation|propaganda|lobbying|sanctions|pressure|corruption|crime|drugs|smuggl\w*|poaching|"
    r"information|media|legal|boycott|petition|donors?|aid)\b")

# Strikes from one state on another: the attacker named before the verb, the target after it.
_STRIKE_VERB = (r"(?:struck|strik(?:e|es|ing)\s+(?:on|against|in|inside)|(?:air\s*)?strikes\s+(?:on|against|in|inside)|"
                r"attack(?:ed|s)?|bomb(?:ed|s)|hit(?!\s+back)|launch\w*\s+(?:an?\s+)?(?:(?:wave|barrage|series|salvo)s?\s+of\s+"
                r"(?:[\w-]+\s+)?)?(?:strikes|air\s*strikes|missiles|drones|rockets)\s+(?:on|at|against|toward|towards|"
                r"into)|fir(?:ed|es|ing)\s+(?:[\w-]+\s+)?(?:missiles|rockets|drones)\s+(?:at|on|into|toward|towards))")
_IRAN = (r"(?:iran\b(?![-‑])(?!['’]s\s+(?:proxies|allies|partners))|iranian\s+(?:territory|soil|nuclear|military|air|"
         r"missile|oil|energy|targets|sites|facilities|cities|provinces|capital|bases)|tehran|isfahan|fordow|natanz|"
         r"tabriz|shiraz|kermanshah)")
_ISRAEL = r"(?:israel\b(?![-‑])|israeli\s+(?:territory|soil|cities|targets|bases|military|air)|tel\s+aviv|haifa)"
_PAKISTAN = (r"(?:pakistan\b(?![-‑])|pakistani\s+(?:territory|soil|military|air|targets|bases|cities|punjab)|muridke|"
             r"bahawalpur|rawalpindi|lahore|islamabad)")
_INDIA = r"(?:india\b(?![-‑])|indian\s+(?:territory|soil|military|air|targets|bases|cities)|srinagar|amritsar|jammu|pathankot)"
_NATO_SOIL = (r"(?:poland|polish\s+(?:territory|soil)|romania|romanian\s+(?:territory|soil)|lithuania|latvia|estonia|"
              r"finland|nato\s+(?:territory|soil))")
_US = r"(?:the\s+us|us(?=\s+(?:aircraft|forces|military|jets|warplanes|bombers|b-2s?|navy|troops|army|air|strikes))|u\.s\.|united\s+states|american|pentagon)"
_PAIRS = ((rf"(?:israel|israeli|idf|{_US}|britain|british)", _IRAN),
          (r"(?:iran|iranian|irgc|revolutionary\s+guards?)(?![-‑])", _ISRAEL),
          (r"(?:india|indian)(?![-‑])", _PAKISTAN), (r"(?:pakistan|pakistani)(?![-‑])", _INDIA),
          (r"(?:russia|russian|moscow)(?![-‑])", _NATO_SOIL),
          (r"(?:north\s+korea|north\s+korean|pyongyang)", r"(?:south\s+korea\b|seoul|south\s+korean\s+(?:territory|soil))"),
          (r"(?:china|chinese|pla)(?![-‑])", r"(?:taiwan\b(?![-‑])|taipei|kinmen)"))
_STATE_STRIKES = "|".join(rf"\b{a}\b{GAP}{{0,80}}?\b{_STRIKE_VERB}\s+(?:[\w,'’-]+\s+){{0,6}}?{b}" for a, b in _PAIRS)
_TARGET_ANCHORS = ("iran", "tehran", "isfahan", "fordow", "natanz", "tabriz", "shiraz", "kermanshah", "israel", "tel aviv",
                   "haifa", "pakistan", "muridke", "bahawalpur", "rawalpindi", "lahore", "islamabad", "india", "srinagar",
                   "amritsar", "jammu", "pathankot", "poland", "polish", "romania", "lithuania", "latvia", "estonia",
                   "finland", "nato", "south korea", "seoul", "taiwan", "taipei", "kinmen")



_FRONTS = [
    # "troops crossed into Russia's Kursk region", "fighters crossed into Walikale territory"
    Trigger(E, "crossed_into", compile_rule(
        rf"\b(?:{TROOPS}|tanks|armou?red\s+columns)\b{GAP}{{0,80}}?\bcross(?:ed|es|ing)\s+(?:the\s+border\s+)?into\s+"
        rf"(?:(?:the\s+)?{_STATES}\b|(?:[\w'’-]+\s+){{1,2}}?(?:territory|region|province|oblast|governorate)\b)"),
        0.85, anchors=("crossed into", "crosses into", "crossing into", "border into"), forbid=NOT_OFFENSIVE,
        check=lacks(DRILLS)),
    # "the furthest westward push of the rebellion", "began an advance on the town", "troops poured across"
    Trigger(E, "new_push", compile_rule(
        r"\b(?:furthest|farthest|deepest)\s+(?:[\w-]+\s+){0,2}?(?:push|advance|thrust|incursion|breakthrough)\b|"
        r"\b(?:beg[au]n|launch\w*|start\w*)\s+(?:an?\s+|its\s+|their\s+)?(?:(?:new|major|fresh|rapid|sweeping)\s+)*"
        r"(?:advance|push|thrust)\s+(?:on|toward|towards|into|against)\b|"
        rf"\b{TROOPS}\b{GAP}{{0,40}}?\bpour(?:ed|ing|s)?\s+(?:across|into|over)\b"),
        0.85, anchors=("furthest", "farthest", "deepest", "advance", "push", "thrust", "pour"), forbid=NOT_OFFENSIVE,
        check=lacks(DRILLS)),
    # "launched a large-scale campaign of air strikes against", "had begun a "broad campaign" against"
    Trigger(E, "new_campaign", compile_rule(
        r"\b(?:launch\w*|beg[au]n|begins|start\w*|open\w*|unleash\w*|mount\w*)\s+(?:a\s+|an\s+|its\s+|their\s+|the\s+)?"
        r"[\"“]?(?:(?:(?:new|major|large-scale|massive|broad|sweeping|wide-scale|full-scale|all-out|intensive|sustained|"
        r"extensive|widespread)\s+)+(?:(?:air|aerial|bombing|military|missile|drone|strike)\s+)?|(?:air|aerial|bombing)\s+)"
        r"campaign[\"”]?\s+(?:of\s+(?:air\s*)?(?:strikes|airstrikes|bombing|bombardment|raids)|against|on|in|across|"
        r"targeting)\b"), 0.85, needs=(_MIL_ACTOR,), anchors=("campaign",), check=lacks(_NOT_CAMPAIGN)),
    # "launched a retaliatory operation named Bunyan-um-Marsoos": a named military operation
    Trigger(E, "named_operation", compile_rule(
        r"\b(?:launch\w*|beg[au]n|start\w*|mount\w*|unleash\w*|commenc\w*)\s+(?:a\s+|an\s+|its\s+|their\s+)?"
        r"(?:(?:retaliatory|punitive|large-scale|major|new|military|air|missile)\s+)*(?:operation|offensive)\s+"
        r"(?:(?:code-?)?named|called|dubbed)\b"), 0.85, needs=(_MIL_ACTOR,), anchors=("operation", "offensive"),
        forbid=compile_rule(rf"{NOT_OFFENSIVE.pattern}|\b(?:counter-?terror\w*|anti-terror\w*|security|clearance)\b")),
    # "US aircraft have struck three Iranian nuclear sites", "India says it has struck nine sites in Pakistan"
    Trigger(E, "state_strikes_state", compile_rule(_STATE_STRIKES), 0.85, anchors=_TARGET_ANCHORS, forbid=compile_rule(
        r"\b(?:against|accus\w*|condemn\w*|blam\w*|warn\w*|vow\w*|threat\w*|urg\w*|denied|denies|if|after|since|"
        r"retaliation|response|revenge|avenge|before|previous|earlier|past)\b")),
    # "the first time Israel has openly acknowledged strikes on Iranian territory"
    Trigger(E, "first_on_soil", compile_rule(
        rf"\bfirst\s+time\b{GAP}{{0,60}}?\b(?:struck|strikes?|attack\w*|hit|bombed)\s+(?:on\s+|against\s+|inside\s+)?"
        r"(?:[\w'’-]+\s+){0,2}?(?:territory|soil)\b"), 0.85, anchors=("first time",)),
]

FRONT_RULES: tuple[Trigger, ...] = tuple(_FRONTS)
