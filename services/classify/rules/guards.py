"""What a label needs in the text before the learned model alone may give it.

The model reads words; the rules know what a label is about. When no rule trigger of a
label survived, the model's score for it is capped below any threshold where the text
lacks what the label needs:
- aid needs someone it is for: a party or place of a conflict, people in need, an aid
  agency, weapons, or assistance said to be military, humanitarian or for security; a
  bank's loan to a carmaker is not aid;
- civilian harm needs something that harms: an attack, a weapon, fighting, a casualty, damage,
  flight or a cut; "residents were told to leave their cars at home during the parade" has the
  words of an evacuation order and none of its cause;
- escalation is not a warning, a threat or a possibility: when the sentence the model leans
  on most carries the rules' hypothetical cue for escalation ("warned against", "could",
  "ready to"), the model alone does not decide it.
Pure functions over the lower-cased text.
"""

from __future__ import annotations

import re

from schemas.models import Label
from services.classify.rules import cues
from services.classify.rules.base import compile_rule
from services.classify.text.lexicon import AGENCIES, RECIPIENT, WEAPONS

_AID_CONTEXT = compile_rule(rf"\b(?:{RECIPIENT}|{AGENCIES}|{WEAPONS}|humanitarian|military|defen[cs]e|"
                            rf"security|armed\s+forces|war|conflict|crisis|disaster|earthquake|relief)\b")
_HARM_CONTEXT = compile_rule(
    r"\b(?:attack\w*|strik\w+|struck|shell\w*|bomb\w*|missile\w*|drones?|rockets?|artillery|mortars?|"
    r"gun\w*|shot|shoot\w*|sniper\w*|fire[ds]?|firing|explo\w+|blast\w*|grenades?|mines?|raid\w*|"
    r"kill\w*|dead|death\w*|died|die|dying|bod(?:y|ies)|wound\w*|injur\w*|hurt|casualt\w+|victims?|"
    r"damag\w*|destroy\w*|destruction|rubble|ruins?|burn\w*|loot\w*|flee\w*|fled|displac\w+|evacuat\w+|"
    r"refugees?|homeless|shelters?|hostages?|kidnap\w*|abduct\w*|detain\w*|siege\w*|besieged|famine|starv\w+|"
    r"blackouts?|outages?|without\s+(?:power|electricity|water|heat\w*|gas)|cut\s+off|"
    r"fighting|fought|clash\w*|offensive|assault\w*|occup\w+|invad\w+|invasion|war|troops|soldiers|forces|"
    r"enemy|militants?|gunmen|insurgents?|rebels?|militia\w*|terror\w*|violence|atrocit\w+|massacre\w*|"
    r"air\s+raid\w*|sirens?|danger\w*|threat\w*|front(?:\s+line|line)?)\b")
_WARNING = compile_rule(r"\bwarn\w*\s+(?:\w+\s+){0,3}?against\b|\bthreat\w*\b|\bvow\w*\s+to\b")


def lacks_context(label: Label, low: str) -> bool:
    """Whether the text lacks what ``label`` needs (aid and civilian harm have such needs)."""
    if label is Label.AID:
        return _AID_CONTEXT.search(low) is None
    if label is Label.CIVILIAN_HARM:
        return _HARM_CONTEXT.search(low) is None
    return False


def hypothetical(label: Label, sentence: str) -> bool:
    """Whether a (lower-cased) sentence puts ``label``'s news as a possibility, warning or threat."""
    if label is not Label.ESCALATION:
        return False
    pattern: re.Pattern[str] = cues.HYPOTHETICAL[Label.ESCALATION]
    return pattern.search(sentence) is not None or _WARNING.search(sentence) is not None
