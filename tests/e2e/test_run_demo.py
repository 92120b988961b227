"""`make demo` and `make run` as a newcomer meets them: `frontwire run --demo` with no
broker given (so it starts the embedded one), on ports of its own."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from frontwire.broker import free_port

pytestmark = pytest.mark.e2e

SUMMARY = re.compile(r"ingested=(\d+) classified=(\d+) alerts=(\d+) delivered=(\d+)")


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
    env.update({
        "FRONTWIRE_DATA_DIR": str(tmp / "data"), "FRONTWIRE_API_PORT": str(free_port()),
        "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
        "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
        "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port()),
        "NO_COLOR": "1",
    })
    return env


def test_demo_exits_0_once_every_alert_is_delivered_and_ends_with_the_counts(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "frontwire", "run", "--demo", "--exit-when-idle",
                           "--timeout", "240"], env=_env(tmp_path), capture_output=True, text=True,
                          timeout=300)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-4000:]
    last = [line for line in done.stdout.splitlines() if line.strip()][-1]
    counts = SUMMARY.search(last)
    assert counts, f"the last line is not the summary: {last!r}"
    ingested, classified, alerts, delivered = map(int, counts.groups())
    assert ingested > 0 and classified >= ingested and delivered > 0 and delivered == alerts, last
    assert "signature OK" in done.stdout  # the demo's receiver verified the webhooks it got
    assert "supervisor | stopped" in done.stdout


def test_run_shows_alerts_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "frontwire", "run", "--demo"], env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")),  # type: ignore[union-attr]
                              daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not any("signature OK" in line for line in lines) or \
                not any(line.strip().startswith("email") for line in lines):
            assert proc.poll() is None, "".join(lines)[-4000:]
            assert time.monotonic() < deadline, "no webhook and mail shown within 180s:\n" + \
                "".join(lines)[-4000:]
            time.sleep(0.2)
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        code = proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(10)
    out = "".join(lines)
    assert code == 0, out[-4000:]
    assert "supervisor | stopped" in out and "Traceback" not in out, out[-4000:]
