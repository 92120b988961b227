"""Classifier throughput on one core: updates/s over ~600-character synthetic updates,
beside the rules-only core (rule pass and facts) and one regex pass, in the same run.

The texts are built from sentence templates of every kind the classifier meets
(harm, aid, escalation, exchanges, negated, denied and background sentences,
plain diplomacy and markets filler), so that every rule and cue is exercised.
The baseline is the cheapest conceivable labeller: one compiled regex pass of
keywords over the text, with no negation, context or facts.

"On one core": each pass is timed by the CPU time of this process, so that other
work on a shared machine does not count against the classifier; classifier and
baseline passes alternate, so that both see the same machine. Wall-clock rates
are reported beside (``wall_value``, ``wall_baseline_value``).
"""

from __future__ import annotations

import random
import re
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from schemas.models import Update
from services.classify.core import Classifier
from services.classify.facts.extract import extract_facts
from services.classify.rules.engine import run_rules
from services.classify.text.segment import Segments

T = datetime(2025, 1, 1, tzinfo=UTC)
N_UPDATES, RUNS, TARGET_CHARS = 400, 7, 600

PLACES = ["Kharkiv", "Odesa", "Zaporizhzhia", "Sumy", "Kherson", "Dnipro", "Kursk", "Belgorod",
          "Gaza City", "Khan Younis", "El Fasher", "Sagaing", "Pokrovsk", "Lviv", "Tyre"]
NUMS = ["two", "three", "four", "seven", "12", "at least 5", "more than 20", "1,200", "dozens of"]
SENTENCES = [
    "A Russian missile struck an apartment block in {p}, killing {n} civilians and injuring {n} more.",
    "Drones hit energy facilities near {p} overnight, leaving 40,000 households without power.",
    "Residents of {p} were urged to evacuate as shelling intensified, the governor said.",
    "No casualties were reported after debris fell on an industrial site near {p}.",
    "Moscow denied that its forces had targeted a hospital in {p}, calling the reports fake.",
    "More than 10,000 civilians have been killed since the full-scale invasion began, UN monitors say.",
    "Germany announced a new €500m military aid package for Ukraine, including air defence systems.",
    "The US delivered a further $425m in security assistance to Kyiv, the Pentagon said on Monday.",
    "Officials said Seoul may consider supplying weapons to Ukraine if the situation worsens.",
    "Ukraine and Russia exchanged {n} prisoners of war in a deal mediated by the UAE.",
    "The bodies of {n} soldiers were returned to Ukraine on Friday.",
    "A court in occupied Donetsk sentenced two prisoners of war to long prison terms.",
    "North Korean troops have been deployed to the front line in the {p} region, intelligence said.",
    "Russian lawmakers ratified a mutual defence treaty with Pyongyang on Thursday.",
    "Analysts say escalating tensions in the South China Sea weigh on shipping stocks.",
    "The foreign ministers discussed grain exports and visa rules at a meeting in {p}.",
    "Shares in European defence firms rose 2% as the euro slipped on foreign exchange markets.",
    "Ukraine's general staff reported 120 combat clashes along the front over the past day.",
    "The UN secretary-general called for a just peace in a speech to the General Assembly.",
    "Aid trucks carrying flour and medicine entered {p} through the southern crossing.",
]
KEYWORDS = re.compile(
    r"\b(?:killed|injured|wounded|evacuate|aid|assistance|troops|treaty|prisoners|exchanged|"
    r"bodies|power|hospital)\b", re.IGNORECASE)


def _texts(n: int, rng: random.Random) -> list[str]:
    texts = []
    for i in range(n):
        parts = [f"UPDATE {rng.randint(0, 23):02d}{rng.randint(0, 59):02d} GMT:"]
        while sum(len(p) + 1 for p in parts) < TARGET_CHARS - 60:
            parts.append(rng.choice(SENTENCES).format(p=rng.choice(PLACES), n=rng.choice(NUMS)))
        texts.append(("\n" if i % 3 == 0 else " ").join(parts)[:TARGET_CHARS + 80])
    return texts


def _rates(fn: Any, items: list[Any]) -> tuple[float, float]:
    """(items per CPU second, items per wall-clock second) of one pass."""
    cpu, wall = time.process_time(), time.perf_counter()
    for item in items:
        fn(item)
    return len(items) / (time.process_time() - cpu), len(items) / (time.perf_counter() - wall)


def run() -> list[dict[str, Any]]:
    rng = random.Random(7)
    texts = _texts(N_UPDATES, rng)
    updates = [Update(id=f"u{i}", source="bench", body=t, first_seen_at=T, content_hash=str(i))
               for i, t in enumerate(texts)]
    classifier = Classifier()

    def classify(u: Update) -> object:
        return classifier.classify(u, classified_at=T)

    def baseline(u: Update) -> object:
        return KEYWORDS.findall(u.text)

    def rules_only(u: Update) -> object:
        # the rule pass and the facts, as the core ran them before the learned model came in
        seg = Segments(u.text)
        return run_rules(seg, u.first_seen_at.year), extract_facts(u.text, seg)

    _rates(classify, updates[:50])  # warm caches (regex compilation, pydantic validators)
    _rates(rules_only, updates[:50])
    runs = [(_rates(classify, updates), _rates(baseline, updates), _rates(rules_only, updates))
            for _ in range(RUNS)]
    value = statistics.median(c[0] for c, _, _ in runs)
    base = statistics.median(b[0] for _, b, _ in runs)
    rules = statistics.median(r[0] for _, _, r in runs)
    return [{"name": "classify_updates_per_s", "value": value, "unit": "updates/s",
             "baseline": "one compiled regex pass", "baseline_value": base, "ratio": value / base,
             "wall_value": statistics.median(c[1] for c, _, _ in runs),
             "wall_baseline_value": statistics.median(b[1] for _, b, _ in runs),
             "mean_chars": statistics.mean(len(u.text) for u in updates),
             "classifier_version": classifier.version},
            {"name": "classify_vs_rules_only", "value": value, "unit": "updates/s",
             "baseline": "the rule pass and facts alone (no model, no language detection)",
             "baseline_value": rules, "ratio": value / rules}]


if __name__ == "__main__":
    for row in run():
        print(row)
