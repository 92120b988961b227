"""Cues that stop a trigger from counting: negation, denial, hypotheticals, background.

A label is about what the update reports as news, so "no casualties were
reported", "Moscow denied that civilians were killed", "Seoul may review sending
weapons" and "thousands have been killed since 2022" must not fire. Each cue has
a scope: negation reaches only the trigger's clause, denial the whole sentence (or,
for a denial of a role only, what follows it), hypotheticals a window around the
trigger, background (see ``background``) the sentence unless the trigger's own clause
is dated as fresh news.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from schemas.models import Label
from services.classify.rules.base import GAP, compile_rule
from services.classify.text.anchors import AnchorKeys, anchor_keys
from services.classify.text.leads import word_gate
from services.classify.text.lexicon import RECIPIENT, WEAPONS
from services.classify.text.segment import Segments

# Cues run on the lower-cased text like the rules (see rules.compile_rule);
# "may" is checked on the original text, since "May" is mostly the month.
MAY = re.compile(r"\bmay\b(?!\s+now)")

# "did not deny that ...", "does not hide": a negated denial affirms.
_AFFIRM = r"\s+(?:deny|denied|dispute|disputed|hide|conceal|rule\s+out|ruled\s+out)\b"
NEGATION = compile_rule(
    rf"\b(?:no(?!\s+(?:fewer|less|longer|sooner|doubt))|not(?!\s+(?:far|only|least|just|yet\s+clear))(?!{_AFFIRM})|"
    rf"never|none|neither|nor|nobody|no\s+one|cannot)\b|n't\b(?!{_AFFIRM})")
# "without" negates only what follows it closely ("without casualties"), not a whole
# clause ("without light after an attack on energy infrastructure"); idioms ("without delay",
# "without warning") negate nothing.
NEAR_NEGATION = compile_rule(r"\bwithout\b(?!\s+(?:any\s+|further\s+)?(?:delay|hesitation|warning|notice|exception|fail)\b)")
NEAR_NEGATION_REACH = 25

# Label-specific verbs that undo the news: aid halted, a swap postponed.
EXTRA_NEGATION: dict[Label, re.Pattern[str]] = {
    Label.AID: compile_rule(
        r"\b(?:halt\w*|suspend\w*|paus\w*|block\w*|withh[oe]ld\w*|refus\w*|reject\w*|veto\w*|delay\w*|"
        r"froze|freez\w*|stall\w*|fail\w*\s+to|cut\s+off|cuts\s+to|scrapp?\w*|cancel\w*|stopp?\w*|"
        r"export\w*(?!-?\s*(?:financ\w*|credits?))|voted\s+(?:down|against)|vote\s+against|sales?|sold|sell\w*|purchas\w*|buy\w*|bought|contracts?|reserves|revenues?|"
        # "repaid from the profits of immobilised Russian assets": how aid is financed
        r"(?<!windfall\s)profits?(?!\s+(?:of|from|on|earned\s+on)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:assets|reserves|funds))|"
        r"earnings|turnover|valuation|deficit|(?:financing|funding|budget)\s+gaps?|shortfalls?|inflows|imports|sentenc\w*|convict\w*|treason|"
        r"charged\s+with|accus\w*|fined|trial|destroy\w*|intercept(?:ed|s|ing)|seiz\w*|confiscat\w*|smuggl\w*|"
        r"shot\s+down|looted)\b"),
    Label.PRISONER_EXCHANGE: compile_rule(
        r"\b(?:postpon\w*|cancel\w*|collaps\w*|stall\w*|fail\w*\s+to|refus\w*|block\w*|halt\w*|"
        r"suspend\w*|called\s+off|derail\w*|delay\w*|broke\s+down|sentenc\w*|execut\w*|bail|parole|fines?|"
        r"acquitt\w*|without\s+charge|"
        r"transferr\w*\s+(?:to|between|from)|moved\s+(?:to|between)\s+(?:\w+\s+)?(?:camps?|prisons?|colon(?:y|ies)|"
        r"detention))\b"),
}

# Words before a blocking verb that take it back ("dropped its veto", "lifted the block") or
# set it in a phrase about something else ("the first swap since talks broke down", "after
# months of blockade"); buying arms for a party with the money given is aid ("to buy interceptors").
_UNDOES = compile_rule(
    r"\b(?:drop\w*|lift\w*|withdr[ae]w\w*|overc[oa]m\w*|end(?:s|ed|ing)?|remov\w*|revers\w*|since|despite|"
    r"after\s+(?:months|weeks|days|years)\s+of)\s+(?:[\w'’-]+\s+){0,4}$")
# "the shipment was never paused", "aid has not been halted": a blocking verb negated affirms.
_NOT_BLOCKED = compile_rule(r"(?:\bnot|n't|\bnever)\s+(?:been\s+|be\s+)?$")
_BUYS_ARMS = compile_rule(rf"(?<=\bto\s)(?:buy|purchase|procure)\s+(?:[\w,.-]+\s+){{0,4}}?{WEAPONS}\b")
# A purchase made for a party is aid: "would buy $988m worth of drones ... for Ukraine", "shells
# bought under the Czech-led initiative" (bought by a donor: not "bought by Poland from Seoul").
_BUYS_FOR = compile_rule(
    rf"(?:buy\w*|bought|purchas\w*|procur\w*)\b{GAP}{{0,100}}?\bfor\s+(?:the\s+)?{RECIPIENT}\b|"
    rf"(?<=\w\s)(?:bought|purchased|procured)\s+(?:under|through|via|with)\b")


def blocking_verbs(label: Label, low: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans in low[start:end] (a sentence) of the verbs that undo ``label``'s news
    (``EXTRA_NEGATION``), leaving out those taken back (``_UNDOES``, ``_BUYS_ARMS``)."""
    pattern = EXTRA_NEGATION.get(label)
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(low, start, end)
            if not _UNDOES.search(low, max(0, m.start() - 50), m.start()) and not _BUYS_ARMS.match(low, m.start())
            and not _NOT_BLOCKED.search(low, max(0, m.start() - 20), m.start())
            and not _BUYS_FOR.match(low, m.start(), end)]


# Sentence-wide cues that undo a label whatever clause they sit in: a hostage freed in a
# police raid is a rescue, not a release; aid to farmers hit by hail is domestic relief.
SENTENCE_NEGATION: dict[Label, re.Pattern[str]] = {
    # a disaster's harm is not the war's; a court's charge is not news of harm
    Label.CIVILIAN_HARM: compile_rule(
        r"\b(?:floods?|flooding|flash\s+floods|earthquakes?|quakes?|wildfires?|forest\s+fires?|landslides?|"
        r"mudslides?|cyclones?|hurricanes?|typhoons?|tropical\s+storm|tsunami|volcan\w*|heatwaves?|"
        r"avalanches?|(?:(?<=\ba\s)|(?<=\bthe\s))(?:winter\s+|ice\s+|severe\s+)?storm|snowstorms?|blizzards?|"
        r"heavy\s+(?:rain|snow)|technical\s+(?:fault|failure|problems?)|arrest\s+warrants?|warrants?\s+(?:for|against)|indict\w*|convict\w*|tribunal|(?<=\bon\s)trial|"
        r"prosecutors?\s+(?:charged|indicted|accused|filed|brought|opened)|"
        r"sentenc(?:ed|es|ing)\s+(?:\w+\s+){0,4}?(?:to|in\s+absentia|for|over)|charged\s+(?:\w+\s+){0,3}?(?:with|over)|"
        r"(?:found|pleaded|pled)\s+guilty|jailed\s+(?:\w+\s+){0,3}?for)\b"),
    Label.PRISONER_EXCHANGE: compile_rule(
        r"\b(?:raids?|raided|rescu(?:ed|es|ing)|rescue\s+(?:operation|mission)|ransom|stormed|"
        r"(?:police|troops|soldiers|forces|army|commandos)\s+(?:\w+\s+){0,2}?(?:freed|liberated)|"
        r"police\s+(?:\w+\s+){0,2}?releas\w+|"
        r"(?:special|military|security|counter-?terrorism)\s+operation|escaped|escapees)\b"),
    Label.AID: compile_rule(
        r"\b(?:farmers|farms|harvests?|hailstorms?|droughts?|floods?|flooding|wildfires?|earthquakes?|"
        r"steelmakers?|carmakers?|automakers?|airlines?|domestic\s+industry|hearing\s+aids?|aided\s+by)\b"),
}
# Update-wide cues: a jailbreak or prison riot anywhere makes "freed" a breakout.
UPDATE_NEGATION: dict[Label, re.Pattern[str]] = {
    Label.PRISONER_EXCHANGE: compile_rule(
        r"\b(?:jail\s*break|prison\s*break|prison\s+riot|riot(?:s|ing|ers)?|mutiny|stormed\s+(?:the|a)\s+"
        r"(?:prison|jail)|broke\s+out\s+of|(?:special\s+forces|police|troops|commandos|security\s+forces)\s+"
        r"stormed)\b"),
}

_HYPO_COMMON = (r"could|might|possib\w*|potential\w*|if|unless|whether|propos\w*|consider\w*|"
                r"plan(?:s|ned|ning)?\s+to|prepar\w*\s+to|call\w*\s+(?:for|on)|urg\w*|"
                r"threat\w*\s+to|hop\w*\s+to|want\w*\s+to|motion\s+to|bill\s+to|resolution\s+(?:to|calling)")
# "Ukraine could now use ..." reports a permission, not a possibility.
_HYPO_NOW = _HYPO_COMMON.replace("could|", r"could(?!\s+now)|")
HYPOTHETICAL: dict[Label, re.Pattern[str]] = {
    Label.CIVILIAN_HARM: compile_rule(
        r"\b(?:could|might|would|threat\w*\s+to|risk\w*|fear\w*|warn\w*\s+(?:that|of)|if|unless|"
        r"potential\w*|possible|likely\s+to|(?<=\bin\s)case|simulat\w*|drills?|exercises?)\b"),
    Label.ESCALATION: compile_rule(
        rf"\b(?:{_HYPO_NOW}|would|weigh\w*|mull\w*|ready\s+to|rule[sd]?\s+out|ruling\s+out|"
        rf"not\s+exclude|speculat\w*|rumou?r\w*|expect\w*|reviewing|discuss\w*|debat\w*|warn\w*\s+(?:of|that|about)|"
        rf"brac\w*\s+for|fears?\s+(?:of|that)|bid\s+to|aspir\w*|ask\w*|request\w*|seek\w*|sought|lobb\w*|"
        rf"press(?:ed|ing)\s+for|push\w*\s+for)\b"),
    Label.AID: compile_rule(
        rf"\b(?:{_HYPO_COMMON}|weigh\w*|mull\w*|(?:would|will|could|might)\s+[\"“]?review|(?<=\bto\s)review|(?<=\bto\s[\"“])review|reviewing|discuss\w*|debat\w*|seek\w*|sought|appeal\w*|"
        rf"ask\w*|request\w*|demand\w*|negotiat\w*|talks?\s+(?:on|about|over)|lobb\w*|push\w*\s+for|"
        rf"press(?:ed|ing)|intend\w*|aim\w*\s+to|resist\w*|would\s+(?:consider|be\s+ready|like)|rul(?:e|es|ed|ing)\s+out)\b"),
    Label.PRISONER_EXCHANGE: compile_rule(
        rf"\b(?:{_HYPO_COMMON}|would|discuss\w*|demand\w*|negotiat\w*|talks?\s+(?:on|about|over)|"
        rf"ready\s+to|willing\s+to|offer\w*|seek\w*|push\w*\s+for|expected\s+to|rul(?:e|es|ed|ing)\s+out)\b"),
}

# "Officials said North Korea would send troops": reported, "would" tells a decision, not a condition.
_REPORTED = compile_rule(r"\b(?:said|says|announced|confirmed|stated|told\s+\w+)\s+(?:that\s+)?(?:[\w'’-]+\s+){0,4}$")
# ... unless the sentence makes it a condition: "troops would deploy once a ceasefire holds"
_CONDITION = compile_rule(r"\b(?:if|unless|once|in\s+the\s+event|should\s+there|after\s+a\s+(?:ceasefire|truce|peace))\b")
_DECIDED = frozenset({Label.ESCALATION, Label.AID, Label.PRISONER_EXCHANGE})
# A mutual-defence clause states its condition: "to come to the defence of the others if attacked"
# is what a pact says, not a doubt about the pact (for escalation; the help itself is not yet given).
_CLAUSE_IF = compile_rule(
    r"\bif\s+(?:(?:either|one|any|another|the\s+other|each|a|an|one\s+of\s+them)\s+(?:[\w'’-]+\s+){0,3}?)?"
    r"(?:(?:is|are|were|was|be|gets?|comes?|came)\s+(?:ever\s+)?)?(?:attacked|invaded|under\s+(?:an?\s+)?(?:armed\s+)?attack)\b")


# "approved a plan to expand the offensive": a plan adopted is a decision, not an intention.
_ADOPTED = compile_rule(r"\b(?:approv\w+|adopt\w+|endors\w+|sign\w*\s+off\s+on|green-?lit|ratif\w+)\s+"
                        r"(?:a|the|its|their)\s+(?:[\w-]+\s+)?$")
# A cue after the trigger in a clause of its own is about that clause ("has sent 3,000 soldiers,
# and they are expected at the front", "is now operational and would conduct operations"): an
# "and" opening a new verb phrase, after a clause with a finite verb (not "soldiers and
# equipment could be sent"); a condition ("if", "unless") still reaches back.
COORDINATE = compile_rule(
    r"(?:,\s*|\s)and\s+(?:(?:they|it|he|she|we|these|those|the\s+[\w-]+|its\s+[\w-]+|their\s+[\w-]+)\s+)?"
    r"(?:are|is|were|was|will|would|could|should|might|have|has|had)\b")
FINITE = compile_rule(r"\b(?:has|have|had|was|were|is|are|\w+ed|sent|began|struck|fought|took|flew)\b")
CONDITION_WORD = compile_rule(r"\b(?:if|unless|once|whether)\b")
# "in response to North Korea's troop deployment": a deployment cited as the cause of other news.
REFERENCE = compile_rule(
    r"\b(?:in\s+response\s+to|in\s+retaliation\s+for|retaliation\s+for|in\s+reaction\s+to|revenge\s+for|"
    r"(?:condemn|denounc|protest)\w*|because\s+of)\s+(?:[\w'’-]+\s+){0,4}$")


def hypotheticals(label: Label, low: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans in low[start:end] (a sentence) of the hypothetical cues of ``label``, a
    reported "would" (see ``_REPORTED``) and an adopted plan (``_ADOPTED``) aside."""
    decided = label in _DECIDED and not _CONDITION.search(low, start, end)
    clause = label is Label.ESCALATION
    return [m.span() for m in HYPOTHETICAL[label].finditer(low, start, end)
            if not (decided and m.group() == "would" and _REPORTED.search(low, max(0, m.start() - 60), m.start()))
            and not (clause and m.group() == "if" and _CLAUSE_IF.match(low, m.start()))
            and not (decided and m.group().startswith("plan") and _ADOPTED.search(low, max(0, m.start() - 40),
                                                                                    m.start()))]



class CueGate(NamedTuple):
    """A quick "this sentence cannot hold the cue" test: the word prefixes its matches
    start with (``leads.word_gate``), and its words of one or two letters as a regex."""

    keys: AnchorKeys
    short: re.Pattern[str] | None

    def may_hold(self, seg: Segments, index: int) -> bool:
        """Whether sentence ``index`` may hold a match (never False when it does)."""
        if seg.holds(self.keys, index):
            return True
        return self.short is not None and self.short.search(seg.lowered, seg.starts[index], seg.ends[index]) is not None


def _gate(pattern: re.Pattern[str]) -> CueGate | None:
    words = word_gate(pattern.pattern)
    if words is None:
        return None
    short = sorted(w for w in words if len(w) < 3)
    return CueGate(anchor_keys(tuple(sorted(w for w in words if len(w) >= 3))),
                   compile_rule(rf"\b(?:{'|'.join(short)})\b") if short else None)


# gates of the long sentence-wide cues, by the identity of their pattern
GATES: dict[int, CueGate] = {
    id(pattern): gate for patterns in (HYPOTHETICAL, EXTRA_NEGATION, SENTENCE_NEGATION) for pattern in patterns.values()
    if (gate := _gate(pattern)) is not None}
