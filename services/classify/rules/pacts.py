"""Trigger phrases for ``escalation`` by alliances: mutual-defence treaties signed,
ratified or coming into force, states joining a military alliance, a pact's joint force
becoming operational (see ``rules_escalation``).

A pact of mutual defence states its own condition ("to come to each other's aid if
attacked"); ``cues.hypotheticals`` does not read that "if" as a doubt about the pact.
"""

from __future__ import annotations

from schemas.models import Label
from services.classify.rules.base import GAP, Trigger, compile_rule

E = Label.ESCALATION
# What makes a pact one of mutual defence: each side bound to defend the other.
_MUTUAL_DEFENCE = compile_rule(
    r"\b(?:mutual[- ](?:defen[cs]e|military\s+assistance|assistance\s+clause)|collective\s+(?:defen[cs]e|security)\s+"
    r"(?:clause|guarantee|obligation|commitment)s?|come\s+to\s+(?:the\s+|each\s+other['’]s\s+|one\s+another['’]s\s+)?"
    r"(?:defen[cs]e|aid|assistance)|(?:defend|protect)\s+(?:each\s+other|one\s+another)(?!['’]s)|(?:assist|help|aid|support)\s+"
    r"(?:each\s+other|one\s+another)\s+(?:militarily|if|in\s+(?:case|the\s+event)|against)|"
    r"(?:assistance|aid|help|support)\s+(?:[\w'’-]+\s+){0,4}?if\s+(?:[\w'’-]+\s+){0,4}?(?:attacked|invaded)|"
    r"attack\s+on\s+(?:one|any)\s+(?:[\w-]+\s+){0,3}?(?:is|as|would\s+be|will\s+be)\s+(?:an\s+)?attack\s+on\s+"
    r"(?:all|both|the\s+others?))")
_PACT = compile_rule(r"\b(?:treaty|treaties|pact|alliance|agreement|accord|charter|confederation|convention)\b")

_PACTS = [
    # treaties of mutual defence coming into force (wherever the clause says so)
    Trigger(E, "pact_in_force", compile_rule(
        r"\b(?:enter\w*\s+into\s+force|c[oa]mes?\s+into\s+force|t[ao]kes?\s+effect|took\s+effect|ratif\w+)\b"),
        0.85, needs=(compile_rule(r"\b(?:treaty|pact|alliance|agreement|accord|confederation)\b"),
                     compile_rule(r"\b(?:defen[cs]e|mutual\s+(?:military\s+)?(?:assistance|aid|support)|military\s+"
                                  r"(?:assistance|alliance|aid|support|pact|cooperation)|security\s+guarantees|"
                                  r"collective\s+defen[cs]e|each\s+other|aggression|armed\s+attack|nuclear)\b")),
        anchors=("into force", "effect", "ratif")),
    # "signed a confederation treaty that commits each state to come to the defence of the others"
    Trigger(E, "defence_pact", compile_rule(
        # (ratified or in force: ``pact_in_force``)
        r"\b(?:sign(?:s|ed|ing)?|formali[sz](?:e|es|ed|ing)|conclud(?:e|es|ed|ing)|seal(?:s|ed|ing)?)\b"), 0.85,
        needs=(_PACT, _MUTUAL_DEFENCE), anchors=("sign", "formalis", "formaliz", "conclud", "seal")),
    # "Sweden joins NATO", "became the 32nd member of NATO"
    Trigger(E, "joins_alliance", compile_rule(
        r"\b(?:join(?:s|ed|ing)?|admitted\s+(?:in)?to|acced\w*\s+to|accession\s+to|bec[oa]m\w*\s+(?:a|the)\s+"
        r"(?:[\w-]+\s+)?(?:full\s+)?member\s+of)\s+(?:the\s+)?(?:nato|csto|north\s+atlantic\s+(?:treaty\s+)?"
        r"alliance|military\s+alliance)\b(?!\s+(?:summit|talks|meeting|exercises?|drills|countries|members|allies))|"
        r"\bbec[oa]m\w*\s+(?:nato|the\s+alliance|csto)['’]s\s+(?:\d+\w*|[a-z]+-?[a-z]*)\s+(?:full\s+)?member\b"),
        0.85, anchors=("nato", "csto", "alliance")),
    # "the joint battalion of the three-nation pact became operational": a pact's force in being
    Trigger(E, "joint_force", compile_rule(
        rf"\b(?:joint|unified|combined|common)\s+(?:military\s+)?(?:force|army|command|brigade|battalion)\b{GAP}{{0,120}}?"
        rf"\b(?:is|are|was|became|becomes|declared|now)\s+(?:fully\s+)?operational\b"), 0.85,
        needs=(compile_rule(r"\b(?:pact|alliance|confederation|bloc|members|countries|states|nations?)\b|three-nation|"
                            r"\w+-nation\b"),), anchors=("operational",)),
    Trigger(E, "alliance", compile_rule(
        rf"\b(?:ratif\w+|sign\w*|approv\w+|enter\w*\s+into\s+force|c[oa]me\s+into\s+force|"
        rf"t[ao]kes?\s+effect|took\s+effect)\b{GAP}{{0,80}}?\b(?:mutual[- ]defen[cs]e|defen[cs]e\s+"
        rf"(?:treaty|pact)|military\s+(?:alliance|pact|treaty)|mutual\s+assistance\s+(?:treaty|pact|clause))"
        rf"|\b(?:mutual[- ]defen[cs]e|defen[cs]e|military)\s+(?:treaty|pact|alliance)\b{GAP}{{0,60}}?"
        rf"\b(?:ratified|signed|c[oa]me\s+into\s+force|entered\s+into\s+force|t[ao]kes?\s+effect|took\s+effect)\b"),
        0.85, anchors=("treaty", "pact", "alliance", "mutual")),
]

PACT_RULES: tuple[Trigger, ...] = tuple(_PACTS)
