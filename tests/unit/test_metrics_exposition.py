"""Every service's /metrics passes `promtool check metrics` and follows the naming rules."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from tests.helpers.observability import (
    SERVICES,
    exercise,
    exposed_names,
    prometheus_tools,
    service_registries,
)

# Labels whose values grow with users or pages: never on a metric.
UNBOUNDED_LABELS = {"url", "subscription", "subscription_id", "subscriber", "email", "alert_id",
                    "update_id", "delivery_id", "endpoint"}
REQUIRED = {
    "ingest": {"frontwire_updates_ingested_total", "frontwire_parse_failures_total",
               "frontwire_source_polls_total", "frontwire_source_poll_duration_seconds_bucket",
               "frontwire_source_consecutive_failures",
               "frontwire_source_last_success_timestamp_seconds"},
    "classify": {"frontwire_updates_classified_total", "frontwire_updates_labelled_total",
                 "frontwire_classification_duration_seconds_bucket", "frontwire_deadletter_total",
                 "frontwire_consumer_lag_records"},
    "notify": {"frontwire_alerts_matched_total", "frontwire_deliveries_total",
               "frontwire_delivery_latency_seconds_bucket", "frontwire_retries_pending",
               "frontwire_deadletter_total", "frontwire_consumer_lag_records",
               "frontwire_end_to_end_latency_seconds_bucket",
               "frontwire_subscriptions_disabled_total"},
    "api": {"frontwire_updates_ingested_total", "frontwire_api_rate_limited_total"},
}


@pytest.fixture(scope="module")
def registries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CollectorRegistry]:
    regs = service_registries(tmp_path_factory.mktemp("registries"))
    for registry in regs.values():
        exercise(registry)
    return regs


@pytest.mark.parametrize("service", SERVICES)
def test_exposition_passes_promtool_check_metrics(service: str,
                                                  registries: dict[str, CollectorRegistry]) -> None:
    promtool, _ = prometheus_tools()
    text = generate_latest(registries[service])
    done = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True,
                          timeout=60, check=False)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), (
        done.stdout.decode() + done.stderr.decode())


@pytest.mark.parametrize("service", SERVICES)
def test_service_exposes_the_metrics_the_issue_asks_for(service: str,
                                                        registries: dict[str, CollectorRegistry]) -> None:
    assert REQUIRED[service] <= exposed_names(registries[service])


@pytest.mark.parametrize("service", SERVICES)
def test_names_follow_prometheus_conventions(service: str,
                                             registries: dict[str, CollectorRegistry]) -> None:
    for family in registries[service].collect():
        assert family.name.startswith("frontwire_"), family.name
        assert family.documentation, f"{family.name} has no help text"
        assert not any(unit in family.name for unit in ("_ms", "millis", "_minutes", "_hours")), (
            f"{family.name}: use base units (seconds)")
        labels = {k for sample in family.samples for k in sample.labels} - {"le", "quantile"}
        assert not labels & UNBOUNDED_LABELS, f"{family.name} has an unbounded label {labels}"


def test_end_to_end_buckets_cover_sub_second_to_minutes(registries: dict[str, CollectorRegistry]) -> None:
    [family] = [f for f in registries["notify"].collect()
                if f.name == "frontwire_end_to_end_latency_seconds"]
    bounds = sorted({float(s.labels["le"]) for s in family.samples if s.name.endswith("_bucket")})
    assert bounds[0] < 1 and any(b <= 10 for b in bounds)  # the seconds goal is resolved
    assert any(60 <= b <= 600 for b in bounds)  # minutes: retries and backlogs show up


def test_no_metric_is_registered_globally(tmp_path: Path) -> None:
    from prometheus_client import REGISTRY

    before = {f.name for f in REGISTRY.collect()}
    service_registries(tmp_path)
    assert not {n for n in {f.name for f in REGISTRY.collect()} - before if n.startswith("frontwire_")}
