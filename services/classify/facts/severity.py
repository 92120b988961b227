"""Severity of a classified update, from its labels and facts.

Severity (from facts and labels, first rule that holds):
- critical: civilian harm with >= 10 killed, >= 50 injured or >= 10,000 displaced;
  or escalation together with civilian harm where someone was killed;
- high: escalation; or civilian harm with >= 1 killed or >= 10 injured;
- medium: any other decided label;
- low: no label.
"""

from __future__ import annotations

from schemas.models import Facts, Label, Severity


def severity(labels: list[Label], facts: Facts) -> Severity:
    """Severity from labels and facts; the rule is in the module docstring."""
    killed = facts.killed.value if facts.killed else 0
    injured = facts.injured.value if facts.injured else 0
    displaced = facts.displaced.value if facts.displaced else 0
    harm = Label.CIVILIAN_HARM in labels
    escalation = Label.ESCALATION in labels
    if harm and (killed >= 10 or injured >= 50 or displaced >= 10_000):
        return Severity.CRITICAL
    if harm and escalation and killed >= 1:
        return Severity.CRITICAL
    if escalation or (harm and (killed >= 1 or injured >= 10)):
        return Severity.HIGH
    return Severity.MEDIUM if labels else Severity.LOW
