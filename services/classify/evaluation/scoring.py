"""Scoring predicted labels against a gold set, as ``../shared/eval/LABELS.md`` says.

Only ``kind == "update"`` rows count. Per label: a prediction of a label listed
in the row's ``ambiguous`` is neither hit nor miss, and a missing ambiguous label
is not a miss. Macro-F1 is the mean F1 over the four labels. Pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.models import LABELS, Label

MIN_PRECISION, MIN_MACRO_F1 = 0.9, 0.9


@dataclass
class LabelScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        # No prediction at all is no false alarm: precision 1 (recall tells the rest).
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Confusion:
    kind: str  # "false positive" | "false negative"
    label: Label
    row_id: str
    note: str
    evidence: list[str]


@dataclass
class Report:
    rows: int = 0
    labels: dict[Label, LabelScore] = field(default_factory=lambda: {lab: LabelScore() for lab in LABELS})
    confusions: list[Confusion] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.labels.values()) / len(self.labels)

    @property
    def meets_targets(self) -> bool:
        return self.macro_f1 >= MIN_MACRO_F1 and all(
            s.precision >= MIN_PRECISION for s in self.labels.values())


def row_id(row: dict[str, Any], index: int) -> str:
    """A row's id: its own, else doc:first-last line, else its position."""
    if row.get("id"):
        return str(row["id"])
    lines = row.get("lines")
    if row.get("doc") and isinstance(lines, list) and len(lines) == 2:
        return f"{row['doc']}:{lines[0]}-{lines[1]}"
    return f"row-{index + 1}"


def score(rows: list[dict[str, Any]], predicted: dict[str, dict[str, Any]]) -> Report:
    """Score ``predicted`` (row id -> ClassifiedUpdate as a dict) against gold ``rows``."""
    report = Report()
    for index, row in enumerate(rows):
        if row.get("kind", "update") != "update":
            continue
        rid = row_id(row, index)
        report.rows += 1
        result = predicted.get(rid, {})
        got = {Label(x) for x in result.get("labels", [])}
        gold = {Label(x) for x in row.get("labels", [])}
        ambiguous = {Label(x) for x in row.get("ambiguous", [])}
        for label in LABELS:
            if label in ambiguous:
                continue
            counts = report.labels[label]
            if label in got and label in gold:
                counts.tp += 1
            elif label in got:
                counts.fp += 1
                spans = result.get("evidence", {}).get(label.value, [])
                report.confusions.append(Confusion("false positive", label, rid, row.get("note", ""),
                                                   [s["text"] for s in spans]))
            elif label in gold:
                counts.fn += 1
                report.confusions.append(Confusion("false negative", label, rid, row.get("note", ""),
                                                   [row.get("text", "")[:160]]))
    return report


def render(report: Report, title: str) -> str:
    """The report as a text table plus its confusions."""
    out = [f"{title}: {report.rows} updates scored",
           f"{'label':<20}{'precision':>10}{'recall':>10}{'f1':>8}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for label, s in report.labels.items():
        out.append(f"{label.value:<20}{s.precision:>10.3f}{s.recall:>10.3f}{s.f1:>8.3f}"
                   f"{s.tp:>5}{s.fp:>5}{s.fn:>5}")
    verdict = "targets met" if report.meets_targets else "TARGETS MISSED"
    out.append(f"macro-F1 {report.macro_f1:.3f}  ({verdict}: precision >= {MIN_PRECISION} per label, "
               f"macro-F1 >= {MIN_MACRO_F1})")
    for c in report.confusions:
        out.append(f"  {c.kind} {c.label.value} [{c.row_id}] {c.note}")
        out.extend(f"      evidence: {e!r}" for e in c.evidence)
    return "\n".join(out)
