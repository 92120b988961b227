"""Shared by the metrics, dashboard and Prometheus tests: each service's real registry,
built in-process by the service's own wiring, and the Prometheus binaries."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Summary

REPO = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = REPO / "deploy" / "install-prometheus.sh"
SERVICES = ("ingest", "classify", "notify", "api")


def service_registries(tmp: Path) -> dict[str, CollectorRegistry]:
    """Every service's registry as `frontwire serve <name>` fills it (nothing connects)."""
    from services.api.app import ApiDeps, create_app
    from services.classify.app import build as build_classify
    from services.ingest.app import build as build_ingest
    from services.notify.app import build as build_notify
    from services.runtime.config import Settings
    from services.runtime.db import connect

    settings = Settings(data_dir=tmp, api_key="test-key")
    engine = connect(settings.sqlalchemy_url)
    registries = {name: CollectorRegistry() for name in SERVICES}
    build_ingest(engine, None, registries["ingest"], [])  # type: ignore[arg-type]
    build_classify(settings, "127.0.0.1:9", registries["classify"])
    build_notify(settings, "127.0.0.1:9", engine, registries["notify"])
    create_app(ApiDeps(settings, engine, lambda updates: None, registries["api"]))
    return registries


def exercise(registry: CollectorRegistry) -> None:
    """Give every metric in registry one sample per family, so labelled families are exposed."""
    for collector in list(registry._collector_to_names):  # noqa: SLF001 - tests only
        metric: Any = collector
        if not isinstance(metric, Counter | Gauge | Histogram | Summary):
            continue
        names = metric._labelnames  # noqa: SLF001
        child = metric.labels(*(f"x{i}" for i in range(len(names)))) if names else metric
        if isinstance(metric, Counter):
            child.inc()
        elif isinstance(metric, Gauge):
            child.set(1)
        else:
            child.observe(0.3)


def exposed_names(registry: CollectorRegistry) -> set[str]:
    """Every series name a scrape of registry can show (counters with _total, histograms' parts)."""
    names: set[str] = set()
    for family in registry.collect():
        if family.type == "counter":
            names |= {family.name + "_total", family.name + "_created"}
        elif family.type == "histogram":
            names |= {family.name + s for s in ("_bucket", "_sum", "_count", "_created")}
        elif family.type == "summary":
            names |= {family.name, family.name + "_sum", family.name + "_count"}
        else:
            names.add(family.name)
    return names


def prometheus_tools() -> tuple[str, str]:
    """Paths of promtool and prometheus, installed by deploy/install-prometheus.sh if missing.

    Fails when the install fails; skips (with the reason) only when the binaries are
    missing and this process could not install them anyway (not root, no sudo).
    """
    def found() -> tuple[str | None, str | None]:
        return shutil.which("promtool"), shutil.which("prometheus")

    promtool, prometheus = found()
    if promtool and prometheus:
        return promtool, prometheus
    can_sudo = shutil.which("sudo") and subprocess.run(
        ["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    if os.geteuid() != 0 and not can_sudo:
        pytest.skip("promtool/prometheus are missing and installing them needs root: "
                    f"run {INSTALL_SCRIPT.relative_to(REPO)} as root (or apt-get install prometheus)")
    done = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True,
                          timeout=600, check=False)
    promtool, prometheus = found()
    if done.returncode != 0 or not (promtool and prometheus):
        pytest.fail(f"{INSTALL_SCRIPT.name} could not install prometheus/promtool:\n"
                    f"{done.stdout}{done.stderr}")
    return promtool, prometheus
