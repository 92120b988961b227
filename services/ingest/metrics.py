"""The ingest service's Prometheus metrics, registered on the registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


@dataclass(frozen=True)
class IngestMetrics:
    ingested: Counter
    revisions: Counter
    polls: Counter
    poll_duration: Histogram
    parse_failures: Counter
    consecutive_failures: Gauge
    last_success: Gauge
    parse_warnings: Counter
    flagged: Gauge


def ingest_metrics(registry: CollectorRegistry) -> IngestMetrics:
    return IngestMetrics(
        ingested=Counter("frontwire_updates_ingested_total", "New updates published",
                         ["source", "kind"], registry=registry),
        revisions=Counter("frontwire_update_revisions_total", "Revisions of known updates published",
                          ["source"], registry=registry),
        polls=Counter("frontwire_source_polls_total", "Source polls by status",
                      ["source", "status"], registry=registry),
        poll_duration=Histogram("frontwire_source_poll_duration_seconds",
                                "Fetch and parse time per poll", ["source"],
                                buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
                                registry=registry),
        parse_failures=Counter("frontwire_parse_failures_total", "Pages that could not be parsed",
                               ["source"], registry=registry),
        consecutive_failures=Gauge("frontwire_source_consecutive_failures",
                                   "Failed polls in a row", ["source"], registry=registry),
        last_success=Gauge("frontwire_source_last_success_timestamp_seconds",
                           "Unix time of the last successful poll", ["source"], registry=registry),
        parse_warnings=Counter("frontwire_parse_warnings_total",
                               "Pages parsed despite a problem (e.g. malformed JSON-LD skipped)",
                               ["source"], registry=registry),
        # 1 while the source is flagged (services/ingest/health.py): alert on max by source.
        flagged=Gauge("frontwire_source_flagged", "1 while a source is failing or silent",
                      ["source", "flag"], registry=registry),
    )
