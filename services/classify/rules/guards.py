"""What a label needs in the text before the learned model alone may give it.

The model reads words; the rules know what a label is about. When no rule trigger of a
label survived, the model's score for it is capped below any threshold where the text
lacks what the label needs:
- aid needs someone it is for: a party or place of a conflict, people in need, an aid
  agency, weapons, or assistance said to be military, humanitarian or for security; a
  bank's loan to a carmaker is not aid;
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
_WARNING = compile_rule(r"\bwarn\w*\s+(?:\w+\s+){0,3}?against\b|\bthreat\w*\b|\bvow\w*\s+to\b")


def lacks_context(label: Label, low: str) -> bool:
    """Whether the text lacks what ``label`` needs (only aid has such a need)."""
    return label is Label.AID and _AID_CONTEXT.search(low) is None


def hypothetical(label: Label, sentence: str) -> bool:
    """Whether a (lower-cased) sentence puts ``label``'s news as a possibility, warning or threat."""
    if label is not Label.ESCALATION:
        return False
    pattern: re.Pattern[str] = cues.HYPOTHETICAL[Label.ESCALATION]
    return pattern.search(sentence) is not None or _WARNING.search(sentence) is not None
