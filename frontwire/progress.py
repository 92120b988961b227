"""How far the pipeline has got, read from the services' own /metrics, and when it is done.

``frontwire run --exit-when-idle`` (``make demo``) exits once :class:`Progress` says the
work is done: the input is complete (for the demo: every sample blog's final page,
edits included, has been fetched by ingest), every stage has caught up with the one
before it, nothing waits for a retry, and the counts then stayed unchanged for
``quiet`` seconds, the window restarting when the input completes.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

from services.runtime.config import Settings


@dataclass(frozen=True)
class Counts:
    ingested: float = 0  # new updates published (ingest and the API's push)
    revisions: float = 0  # revisions of known updates published
    classified: float = 0
    seen: float = 0  # classified updates read by notify
    alerts: float = 0
    delivered: float = 0
    pending: float = 0  # deliveries waiting for a retry

    def line(self) -> str:
        return (f"ingested={int(self.ingested)} classified={int(self.classified)} "
                f"alerts={int(self.alerts)} delivered={int(self.delivered)}")

    @property
    def caught_up(self) -> bool:
        """Each stage has processed what the one before it produced; every alert is delivered."""
        return (self.ingested > 0 and self.classified >= self.ingested + self.revisions
                and self.seen >= self.classified and self.pending == 0
                and self.delivered >= self.alerts > 0)


@dataclass
class Progress:
    """Feed it counts with observe(); it says when the pipeline is done."""

    quiet: float = 3.0
    _last: Counts | None = None
    _since: float = 0.0
    _complete: bool = False

    def observe(self, counts: Counts, now: float, input_complete: bool) -> bool:
        """True once the input is complete and counts are caught up and quiet for ``quiet`` s."""
        if counts != self._last or (input_complete and not self._complete):
            # The last fetch may still be on its way through the stages: wait from here.
            self._last, self._since = counts, now
        self._complete = input_complete
        return input_complete and counts.caught_up and now - self._since >= self.quiet


def scrape(url: str) -> dict[str, float]:
    """Sum every sample of each metric family at url (labels folded)."""
    try:
        text = httpx.get(url, timeout=2).text
    except httpx.HTTPError:
        return {}
    sums: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.endswith("_created"):
                continue
            key = sample.name
            if sample.name == "frontwire_deliveries_total":
                key += ":" + sample.labels.get("outcome", "")
            sums[key] = sums.get(key, 0.0) + sample.value
    return sums


def pipeline_counts(settings: Settings) -> Counts:
    ingest = scrape(f"http://127.0.0.1:{settings.ingest_metrics_port}/metrics")
    api = scrape(f"http://127.0.0.1:{settings.api_port}/metrics")
    classify = scrape(f"http://127.0.0.1:{settings.classify_metrics_port}/metrics")
    notify = scrape(f"http://127.0.0.1:{settings.notify_metrics_port}/metrics")
    return Counts(
        ingested=ingest.get("frontwire_updates_ingested_total", 0) + api.get(
            "frontwire_updates_ingested_total", 0),
        revisions=ingest.get("frontwire_update_revisions_total", 0),
        classified=classify.get("frontwire_updates_classified_total", 0),
        seen=notify.get("frontwire_notify_updates_seen_total", 0),
        alerts=notify.get("frontwire_alerts_total", 0),
        delivered=notify.get("frontwire_deliveries_total:delivered", 0),
        pending=notify.get("frontwire_retries_pending", 0))
