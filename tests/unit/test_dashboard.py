"""The Grafana dashboard asks only for metrics the services really expose, in valid PromQL,
and covers what operators watch: throughput, labels, deliveries, latency, lag, sources."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.observability import REPO, exposed_names, prometheus_tools, service_registries

DASHBOARDS = sorted((REPO / "deploy" / "grafana" / "dashboards").glob("*.json"))
METRIC = re.compile(r"\bfrontwire_[a-z0-9_]+\b")
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}


def panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel, including those nested in collapsed rows."""
    out = []
    for panel in dashboard["panels"]:
        out.append(panel)
        out.extend(panel.get("panels", []))
    return out


def queries() -> list[tuple[str, str]]:
    """(panel title, expr) for every query of every dashboard."""
    found = []
    for path in DASHBOARDS:
        for panel in panels(json.loads(path.read_text(encoding="utf-8"))):
            found.extend((panel["title"], t["expr"]) for t in panel.get("targets", []))
    return found


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    names: set[str] = set()
    for registry in service_registries(tmp_path_factory.mktemp("registries")).values():
        names |= exposed_names(registry)
    return names


def test_there_is_a_dashboard_with_queries() -> None:
    assert DASHBOARDS and queries()


def test_every_query_names_only_metrics_the_services_expose(exposed: set[str]) -> None:
    unknown = {(title, name) for title, expr in queries() for name in METRIC.findall(expr)
               if name not in exposed}
    assert not unknown, f"dashboard asks for metrics no service exposes: {sorted(unknown)}"


def test_every_query_is_valid_promql(tmp_path: Path) -> None:
    promtool, _ = prometheus_tools()
    rules = []
    for i, (_title, expr) in enumerate(queries()):
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        rules.append({"record": f"dashboard:query_{i}", "expr": expr})
    path = tmp_path / "queries.yml"
    path.write_text(json.dumps({"groups": [{"name": "dashboard", "rules": rules}]}))  # JSON is YAML
    done = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_dashboard_covers_what_operators_watch() -> None:
    text = " ".join(expr for _title, expr in queries())
    for metric in (
        "frontwire_updates_ingested_total", "frontwire_updates_classified_total",  # throughput
        "frontwire_notify_updates_seen_total", "frontwire_updates_labelled_total",  # ... labels
        "frontwire_deliveries_total", "frontwire_delivery_latency_seconds_bucket",  # deliveries
        "frontwire_end_to_end_latency_seconds_bucket", "frontwire_consumer_lag_records",
        "frontwire_source_polls_total", "frontwire_source_last_success_timestamp_seconds",
        "frontwire_source_consecutive_failures", "frontwire_deadletter_total",
    ):
        assert metric in text, metric


def test_panels_use_the_provisioned_datasource_and_do_not_overlap() -> None:
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        taken: set[tuple[int, int]] = set()
        for panel in panels(dashboard):
            assert panel["datasource"] == {"type": "prometheus", "uid": "prometheus"}, panel["title"]
            pos = panel["gridPos"]
            cells = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"])
                     for y in range(pos["y"], pos["y"] + pos["h"])}
            assert not cells & taken, f"{panel['title']} overlaps another panel"
            assert pos["x"] + pos["w"] <= 24, panel["title"]
            taken |= cells
        assert len({p["id"] for p in panels(dashboard)}) == len(panels(dashboard))
