"""The console in a real headless Chromium (Selenium + Debian's chromium-driver) against the
services run as processes: api, classify and notify on the embedded broker, a real SMTP
mailbox and a webhook receiver. Skips, saying why, where no Chromium can be had."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontwire.broker import EmbeddedBroker, free_port
from frontwire.demo.mailbox import Mailbox
from frontwire.demo.receiver import WebhookReceiver
from services.runtime.kafka import ensure_topics
from tests.helpers import processes

REPO = Path(__file__).resolve().parents[2]
API_KEY = "browser-key-" + "y" * 8
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900")


def _chromium() -> tuple[str, str] | None:
    found = shutil.which("chromium"), shutil.which("chromedriver")
    if not all(found):
        # The project's own setup step; a no-op without root or apt.
        subprocess.run(["sh", str(REPO / "deploy" / "install-browser.sh")], check=False, timeout=600)
        found = shutil.which("chromium"), shutil.which("chromedriver")
    return (found[0], found[1]) if found[0] and found[1] else None


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Stack:
    api: str
    procs: dict[str, subprocess.Popen[bytes]]
    mailbox: Mailbox
    receiver: WebhookReceiver
    logs: Path

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.api}{path}", timeout=10,
                             headers={"Authorization": f"Bearer {API_KEY}"}, **kw)

    def push(self, source: str, headline: str, body: str, **extra: Any) -> str:
        got = self.call("POST", "/v1/updates", json={"source": source, "headline": headline,
                                                       "body": body, **extra})
        assert got.status_code == 202, got.text
        return str(got.json()["id"])

    def log_tail(self) -> str:
        return processes.log_tail(self.logs, 3000)


@pytest.fixture(scope="package")
def chromium() -> tuple[str, str]:
    found = _chromium()
    if found is None:
        pytest.skip("chromium and chromedriver are not installed and deploy/install-browser.sh "
                    "could not install them (needs root and apt)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed in this environment")
    return found


@pytest.fixture(scope="package")
def stack(chromium: tuple[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("console")
    logs = tmp / "logs"
    logs.mkdir()
    with EmbeddedBroker(log_path=tmp / "broker.log") as broker, Mailbox() as mailbox, \
            WebhookReceiver() as receiver:
        ensure_topics(broker.bootstrap, 2)
        port = free_port()
        api = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({
            "FRONTWIRE_KAFKA_BOOTSTRAP": broker.bootstrap, "FRONTWIRE_DATA_DIR": str(tmp / "data"),
            "FRONTWIRE_API_KEY": API_KEY, "FRONTWIRE_API_PORT": str(port), "FRONTWIRE_PUBLIC_URL": api,
            "FRONTWIRE_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8", "FRONTWIRE_SMTP_URL": mailbox.url,
            "FRONTWIRE_RETRY_SCHEDULE": "0.5,0.5,0.5", "FRONTWIRE_PARTITIONS": "2",
            "FRONTWIRE_CONSUMER_SESSION_TIMEOUT": "3",
            "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
            "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
            "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port()),
        })
        procs: dict[str, subprocess.Popen[bytes]] = {}
        for name in ("api", "notify", "classify"):
            out = open(logs / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
            procs[name] = subprocess.Popen([sys.executable, "-m", "frontwire", "serve", name],
                                           env=env, stdout=out, stderr=subprocess.STDOUT)
        running = Stack(api, procs, mailbox, receiver, logs)
        try:
            processes.wait_for("the API", lambda: _ok(f"{api}/healthz"), 60, procs=procs)
            for key in ("FRONTWIRE_CLASSIFY_METRICS_PORT", "FRONTWIRE_NOTIFY_METRICS_PORT"):
                processes.wait_for(key, lambda k=key: _ok(f"http://127.0.0.1:{env[k]}/healthz"), 60,
                                   procs=procs)
            yield running
        except BaseException:
            print(running.log_tail())
            raise
        finally:
            processes.stop(procs, 20)


@pytest.fixture(scope="package")
def browser(chromium: tuple[str, str]) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = chromium
    profile = tempfile.mkdtemp(prefix="frontwire-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*CHROME_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
