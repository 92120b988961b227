"""Trigger phrases for ``civilian_harm`` by displacement: civilians fleeing, driven out,
counted as displaced, ordered to evacuate or left homeless (see ``rules_harm``).

An order to leave counts when it names the people told to go or the place they must
leave ("told residents of three buildings to leave", "leave their homes"), not what
they leave behind ("leave their cars at home").
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule
from services.classify.rules.harm import ATTACK_CONTEXT, MILITARY
from services.classify.text.lexicon import NUM, QUAL, VICTIM

H = Label.CIVILIAN_HARM
# A crowd of unnamed people: "Thousands fled", "hundreds were ordered out" (soldiers are
# named as such, and ``MILITARY`` keeps them out).
_CROWD = r"(?:(?:tens\s+of\s+|hundreds\s+of\s+)?thousands|hundreds|dozens|scores|crowds)"
# Where people are told to leave: "leave their homes", "leave the eastern districts" (not "leave their cars").
_PLACE = (r"(?:homes?|houses?|city|town|villages?|areas?|region|district|districts|neighbou?rhoods?|zone|enclave|camps?|"
          r"strip|coast|border|premises|buildings?|blocks?|quarters?|suburbs?|outskirts|island|province|oblast|"
          r"countryside|streets?|shelters?)\b")
_PLACE_GAP = r"(?:(?!(?:at|in|on|by|with|behind|and|or)\b)[\w'’-]+\s+){0,3}?"  # "the eastern districts"
# A bare "to leave" may go on only with a place: "told residents to leave" but not "to leave their cars".
_LEAVE_WHAT = rf"(?!\s+(?:their|the|a|an|his|her|its|our)\s+(?!{_PLACE_GAP}{_PLACE})[\w'’-]+)"
# Who an evacuation order is given to.
_ORDERED = (r"(?:residents|civilians|inhabitants|people|population|families|villagers|households|locals|"
            r"everyone|those\s+(?:living|still|remaining))")

_DISPLACEMENT = [
    # "thousands of residents fled", "civilians fleeing the fighting", "forcing residents to flee"
    Trigger(H, "victims_fled", compile_rule(
        r"\b(?:fled|flee|flees|fleeing|escaped|uprooted|(?:were|was|have\s+been|had\s+been|are\s+being)\s+"
        r"(?:forced\s+out|driven\s+out|forced\s+to\s+(?:flee|leave|abandon)))\b"), 0.85, context=ATTACK_CONTEXT,
            forbid=MILITARY, anchors=("fled", "flee", "escaped", "uprooted", "forced out", "driven out", "forced to"),
            before=compile_rule(rf"\b(?<!\bfor\s)(?<!\bto\s)(?<!\bhelp\s)(?:{VICTIM}|{_CROWD})\b{GAP}{{0,50}}?$")),
    Trigger(H, "forced_to_flee", compile_rule(
        rf"\b(?:forc\w+|driv\w+)\s+(?:[\w,-]+\s+){{0,4}}?{VICTIM}\s+(?:to\s+flee|from\s+their\s+homes|out\s+of\s+"
        rf"their\s+homes)\b|\b(?:after|while|when)\s+fleeing\s+(?:[\w-]+\s+){{0,4}}?(?:attacks?|fighting|shelling|"
        rf"violence|bombardment|strikes|clashes|assault|offensive|advance)\b"),
        0.85, context=ATTACK_CONTEXT, forbid=MILITARY, anchors=("fleeing", "forced", "forcing", "driven", "driving")),
    # "fighting has driven 20,000 more people across the border", "pushed 5,000 Sudanese into Chad"
    Trigger(H, "driven_across", compile_rule(
        rf"\b(?:push(?:ed|es|ing)?|dr(?:ove|iven|ives|iving)|forc(?:ed|es|ing)|sen[dt]|sending)\s+(?:{QUAL}\s+)?"
        rf"{NUM}\s+(?:more\s+)?(?:[\w'-]+\s+){{0,2}}?(?:{VICTIM}|[A-Z]\w+ese|[A-Z]\w+ians)\s+(?:more\s+)?"
        rf"(?:into|across|out\s+of|over)\b"), 0.85, context=ATTACK_CONTEXT, forbid=MILITARY,
            anchors=("push", "drove", "driven", "drive", "forc", "sent", "send")),
    # "40,000 newly displaced", "36,000 people displaced from El Fasher"
    Trigger(H, "displaced_count", compile_rule(
        # not the people aid goes to: "kits to 1,200 displaced households"
        rf"\b(?<![\d,.])(?<!\bto\s)(?<!\baround\s)(?<!\babout\s)(?<!\bsome\s)(?<!\bover\s)(?<!\bnearly\s)(?<!\balmost\s)"
        rf"(?<!\bleast\s)(?<!\bfor\s)(?<!\bamong\s)(?<!\breach(?:ed|es)\s)(?<!\bhelp\s)(?<!\bserving\s)(?<!\bthan\s)"
        rf"(?:{QUAL}\s+)?{NUM}\s+(?:(?:people|persons|civilians|residents|families|households|children)\s+)?"
        rf"(?:(?:were|have\s+been|had\s+been|are|newly|now)\s+)?(?:newly\s+)?(?:displaced|evacuated|made\s+homeless)"
        rf"\b|\b(?:newly|recently)\s+displaced\b"),
        0.85, anchors=("displac", "evacuat", "homeless")),
    # "residents urged to evacuate", "telling residents to move north", "thousands fled their homes"
    Trigger(H, "evacuation", compile_rule(
        r"\b(?:(?:urg(?:ed|es|ing)|order(?:ed|s|ing)?|told|tell(?:s|ing)?|forc(?:ed|es|ing)|call(?:ed|s|ing)\s+on|"
        r"ask(?:ed|s|ing)|advis(?:ed|es|ing)|instruct(?:ed|s|ing)|warn(?:ed|s|ing))\s+(?:[\w,'’\"“”-]+\s+){0,14}?"
        rf"(?:to\s+)?(?:evacuate|leave\s+[\"“]?(?:(?:their|the)\s+{_PLACE_GAP}{_PLACE}|now|immediately|at\s+once)|flee|"
        r"move\s+(?:south|north|west|east)|relocate|head\s+(?:south|north|west|east))|(?:evacuation|displacement)\s+"
        r"(?:orders?|warnings?|notices?|maps?|of\s+(?:[\w,-]+\s+){0,3}?(?:civilians|residents|children|families|people|inhabitants|"
        r"the\s+(?:city|town|village|district)))|order(?:ed|s)?\s+(?:the\s+)?evacuation|"
        r"(?:mandatory|forced|compulsory)\s+evacuation|fled\s+(?:their|the)\s+homes|(?:were|have\s+been|"
        r"being|was|are)\s+(?:displaced|evacuated|forced\s+from\s+their\s+homes|made\s+homeless)|"
        r"displacing|(?:began|begun|started)\s+evacuating|evacuat(?:ed|ing)\s+(?:[\w,-]+\s+){0,3}?"
        r"(?:civilians|residents|children|people|families))\b"), 0.85, context=ATTACK_CONTEXT, anchors=("evacu", "flee", "fled", "leave", "displac", "homeless", "relocat", "move ", "head ", "forced from")),
    # "told residents of three buildings to leave", "residents were ordered to leave": a bare
    # "leave" is an evacuation only when the people told to go are named
    Trigger(H, "told_to_leave", compile_rule(
        rf"\b(?:urg(?:ed|es|ing)|order(?:ed|s|ing)?|told|tell(?:s|ing)?|instruct(?:ed|s|ing)|warn(?:ed|s|ing)|"
        rf"ask(?:ed|s|ing)|call(?:ed|s|ing)\s+on)\s+(?:the\s+|all\s+)?(?:[\w'’-]+\s+){{0,2}}?{_ORDERED}\s+"
        rf"(?:(?:of|in|living\s+in|from|near)\s+(?:[\w,'’\"“”-]+\s+){{0,8}}?)?to\s+(?:get\s+out|leave)\b{_LEAVE_WHAT}|"
        rf"\b{_ORDERED}\s+(?:[\w,'’\"“”-]+\s+){{0,8}}?(?:were|was|have\s+been|had\s+been|are|is|being)\s+"
        rf"(?:(?:again|now|also)\s+)?(?:told|ordered|urged|instructed|warned|asked)\s+to\s+(?:get\s+out|leave)\b{_LEAVE_WHAT}"),
            0.85, context=ATTACK_CONTEXT, forbid=MILITARY, anchors=("to leave", "to get out")),
    # "the strike left 400 families homeless"
    Trigger(H, "left_homeless", compile_rule(
        rf"\b(?:left|leaving|leaves|rendered|rendering|made|making)\s+(?:{QUAL}\s+)?(?:{NUM}\s+)?"
        rf"(?:[\w'-]+\s+){{0,2}}?(?:{VICTIM}|{_CROWD})\s+(?:homeless|without\s+(?:a\s+)?(?:homes?|shelter|a\s+roof))\b"),
            0.85, context=ATTACK_CONTEXT, forbid=MILITARY, anchors=("homeless", "homes", "shelter", "roof")),
]

DISPLACEMENT_RULES: tuple[Trigger, ...] = tuple(_DISPLACEMENT)
