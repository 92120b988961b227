"""The alert rules pass `promtool check rules` and their unit tests (`promtool test rules`),
Prometheus' config loads them, and every alert has a runbook entry."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers.observability import REPO, prometheus_tools

PROM = REPO / "deploy" / "prometheus"
RULES = sorted((PROM / "rules").glob("*.yml"))
RULE_TESTS = sorted((PROM / "tests").glob("*.yml"))
ISSUE_ALERTS = {"FrontwirePipelineStalled", "FrontwireConsumerLagGrowing",
                "FrontwireDeliveryFailureRatioHigh", "FrontwireEndToEndLatencyHigh",
                "FrontwireSourceDown", "FrontwireDeadLetters"}

pytestmark = pytest.mark.integration


def promtool(*args: str | Path) -> subprocess.CompletedProcess[str]:
    tool, _ = prometheus_tools()
    return subprocess.run([tool, *map(str, args)], cwd=PROM, capture_output=True, text=True,
                          timeout=120, check=False)


def alert_names() -> set[str]:
    return {m for path in RULES for m in re.findall(r"^\s*- alert: (\w+)", path.read_text(), re.M)}


def test_rules_pass_promtool_check_rules() -> None:
    assert RULES
    done = promtool("check", "rules", *RULES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_rule_passes_its_promtool_unit_tests() -> None:
    assert RULE_TESTS
    done = promtool("test", "rules", *RULE_TESTS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_is_unit_tested() -> None:
    tested = {m for path in RULE_TESTS
              for m in re.findall(r"alertname: (\w+)", path.read_text())}
    assert alert_names() == tested


def test_the_issue_alerts_exist() -> None:
    assert alert_names() >= ISSUE_ALERTS


def test_prometheus_config_is_valid_and_loads_the_rules() -> None:
    done = promtool("check", "config", "prometheus.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(f"Checking {p.relative_to(PROM)}" in done.stdout for p in RULES), done.stdout


def test_every_alert_has_a_runbook_entry() -> None:
    runbook = (REPO / "docs" / "operations.md").read_text()
    headings = {re.sub(r"[^a-z0-9]", "", h.lower())
                for h in re.findall(r"^#+ (.+)$", runbook, re.M)}
    for name in alert_names():
        assert name.lower() in headings, f"docs/operations.md has no section for {name}"
        assert f"docs/operations.md#{name.lower()}" in "".join(p.read_text() for p in RULES)
