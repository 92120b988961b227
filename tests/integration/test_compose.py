"""The production shape, checked without Docker: docker-compose.yml is valid Compose,
wires every service to Kafka, PostgreSQL and SMTP, and is watched by Prometheus and Grafana.

``deploy/check-compose.sh`` validates against the Compose Specification schema in its
own tool venv; the YAML is read here with that venv's parser (the project has none).
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from services.ingest.sources import load_sources_file

REPO = Path(__file__).resolve().parents[2]
TOOLS_PYTHON = REPO / ".tools" / "check-jsonschema" / "bin" / "python"
SERVICES = {"ingest": 9101, "classify": 9102, "notify": 9103, "api": 8080}
FRONTWIRE_ENV = {
    "FRONTWIRE_KAFKA_BOOTSTRAP": "kafka:9092",
    "FRONTWIRE_DATABASE_URL": "postgresql+psycopg://frontwire:frontwire@postgres:5432/frontwire",
    "FRONTWIRE_API_KEY": "${FRONTWIRE_API_KEY:?set FRONTWIRE_API_KEY}",
    "FRONTWIRE_SMTP_URL": "smtp://mailpit:1025",
    "FRONTWIRE_SOURCES_FILE": "/etc/frontwire/sources.toml",
}

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def checked() -> subprocess.CompletedProcess[str]:
    """One run of the check script (it also installs the tool venv the others use)."""
    return subprocess.run(["bash", "deploy/check-compose.sh"], cwd=REPO, capture_output=True,
                          text=True, timeout=600, check=False)


def load_yaml(checked: subprocess.CompletedProcess[str], path: str) -> Any:
    assert checked.returncode == 0, checked.stderr
    script = ("import json, sys; from ruamel.yaml import YAML; "
              "print(json.dumps(YAML(typ='safe').load(open(sys.argv[1], encoding='utf-8'))))")
    out = subprocess.run([str(TOOLS_PYTHON), "-c", script, path], cwd=REPO, capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def compose(checked: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return load_yaml(checked, "docker-compose.yml")["services"]  # type: ignore[no-any-return]


def test_compose_file_passes_the_compose_spec_schema(checked: subprocess.CompletedProcess[str]) -> None:
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "validation done" in checked.stdout


def test_compose_runs_kafka_postgres_the_services_and_observability(compose: dict[str, Any]) -> None:
    assert {"kafka", "postgres", "prometheus", "grafana", "mailpit", *SERVICES} <= compose.keys()
    kafka = compose["kafka"]
    assert kafka["image"] == "apache/kafka:3.8.0"
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert compose["postgres"]["image"].startswith("postgres:16")
    assert "healthcheck" in compose["postgres"] and compose["postgres"]["volumes"]
    assert {"1025:1025", "8025:8025"} <= set(compose["mailpit"]["ports"])


def test_classify_and_notify_scale_out_to_two_workers(compose: dict[str, Any]) -> None:
    assert compose["classify"]["deploy"]["replicas"] == 2
    assert compose["notify"]["deploy"]["replicas"] == 2


def test_every_service_is_wired_to_kafka_postgres_and_smtp(compose: dict[str, Any]) -> None:
    for name, port in SERVICES.items():
        service = compose[name]
        env = service["environment"]
        for key, value in FRONTWIRE_ENV.items():
            assert env.get(key) == value, (name, key)
        assert env.get("FRONTWIRE_MAIL_FROM") and env.get("FRONTWIRE_PUBLIC_URL"), name
        assert service["command"] == ["serve", name]
        assert service["build"] == "."
        assert any(v.endswith(":/etc/frontwire/sources.toml:ro") for v in service["volumes"])
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert f":{port}/healthz" in " ".join(service["healthcheck"]["test"])
    assert "8080:8080" in compose["api"]["ports"]
    assert compose["api"]["environment"]["FRONTWIRE_API_HOST"] == "0.0.0.0"


def test_prometheus_scrapes_all_four_services(checked: subprocess.CompletedProcess[str],
                                              compose: dict[str, Any]) -> None:
    config = load_yaml(checked, "deploy/prometheus/prometheus.yml")
    targets = set()
    for job in config["scrape_configs"]:
        if job.get("metrics_path", "/metrics") != "/metrics":
            continue
        for static in job.get("static_configs", []):
            targets.update(static["targets"])
        for sd in job.get("dns_sd_configs", []):
            targets.update(f"{name}:{sd['port']}" for name in sd["names"])
    assert {f"{name}:{port}" for name, port in SERVICES.items()} <= targets
    assert "./deploy/prometheus:/etc/prometheus:ro" in compose["prometheus"]["volumes"]


def test_grafana_provisions_prometheus_and_the_dashboard(checked: subprocess.CompletedProcess[str],
                                                          compose: dict[str, Any]) -> None:
    datasources = load_yaml(checked, "deploy/grafana/provisioning/datasources/prometheus.yml")
    assert datasources["datasources"][0]["url"] == "http://prometheus:9090"
    providers = load_yaml(checked, "deploy/grafana/provisioning/dashboards/frontwire.yml")
    path = providers["providers"][0]["options"]["path"]
    assert f"./deploy/grafana/dashboards:{path}:ro" in compose["grafana"]["volumes"]
    dashboard = json.loads((REPO / "deploy/grafana/dashboards/frontwire.json").read_text())
    queries = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    for metric in ("frontwire_updates_ingested_total", "frontwire_updates_classified_total",
                   "frontwire_alerts_matched_total", "frontwire_deliveries_total",
                   "frontwire_delivery_latency_seconds_bucket",
                   "frontwire_end_to_end_latency_seconds_bucket", "frontwire_deadletter_total"):
        assert metric in queries


def test_example_sources_file_is_accepted_by_ingest() -> None:
    path = REPO / "deploy/sources.example.toml"
    specs = load_sources_file(path)
    assert specs and {s.kind for s in specs} <= {"auto", "jsonld", "microdata", "feed", "text", "html"}
    assert len(tomllib.loads(path.read_text())["sources"]) == len(specs)


def test_image_installs_the_locked_project_and_runs_as_non_root() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    assert "pip install -c constraints.txt ." in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    assert 'ENTRYPOINT ["frontwire"]' in dockerfile
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", ".git", ".tools"} <= set(ignored)
