"""The supervisor with real child processes: a service that dies is reported at once with its
last lines, restarted with a growing delay, and given up on when it keeps failing at start.

Children are small Python commands; the supervisor's clock is a fake the test moves, so
the restart delays cost nothing. Waits poll with a deadline.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from frontwire.broker import free_port
from frontwire.supervisor import Supervisor
from tests.helpers.processes import wait_for

pytestmark = pytest.mark.integration

FAILS_AT_ONCE = ("import sys; print('starting api'); "
                 "print('frontwire api: FRONTWIRE_API_PORT: port 8080 on 127.0.0.1 is already in use'); "
                 "sys.exit(2)")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def supervisor(script: dict[str, str], clock: FakeClock) -> tuple[Supervisor, io.StringIO]:
    out = io.StringIO()
    sup = Supervisor(list(script), dict(os.environ), out=out, clock=clock,
                     command=lambda name: [sys.executable, "-c", script[name]])
    return sup, out


def exited(sup: Supervisor, name: str) -> bool:
    return sup.children[name].proc.poll() is not None


def test_a_service_that_dies_at_once_is_reported_restarted_then_given_up_on() -> None:
    clock = FakeClock()
    sup, out = supervisor({"api": FAILS_AT_ONCE, "ingest": "import time; time.sleep(60)"}, clock)
    sup.start()
    try:
        spawned = [sup.children["api"].proc.pid]
        wait_for("api to exit", lambda: exited(sup, "api"), 20, every=0.05)
        sup.check()  # the first check after the exit reports it, with its last lines
        report = out.getvalue()
        assert "supervisor | api exited with code 2 after 0.0s; restarting in 1.0s. Its last lines:" \
            in report
        assert "supervisor |   frontwire api: FRONTWIRE_API_PORT: port 8080" in report
        for delay in (1.0, 2.0):
            clock.now += delay
            sup.check()  # due: restarted
            assert sup.children["api"].proc.pid not in spawned
            spawned.append(sup.children["api"].proc.pid)
            wait_for("api to exit again", lambda: exited(sup, "api"), 20, every=0.05)
            sup.check()
        assert sup.gave_up is not None
        assert sup.gave_up.startswith("api failed at start 3 times in a row; not restarting it")
        assert sup.gave_up.endswith("FRONTWIRE_API_PORT: port 8080 on 127.0.0.1 is already in use")
        assert f"supervisor | {sup.gave_up}" in out.getvalue()
        assert "restarting in 2.0s" in out.getvalue()
        assert sup.alive() == ["ingest"]  # the others run until the caller stops them
    finally:
        sup.stop()
    assert sup.alive() == []


def test_a_service_that_ran_a_while_is_restarted_without_counting_as_a_failed_start() -> None:
    clock = FakeClock()
    sup, out = supervisor({"notify": "import sys; print('bye'); sys.exit(1)"}, clock)
    sup.start()
    try:
        for _ in range(5):
            wait_for("notify to exit", lambda: exited(sup, "notify"), 20, every=0.05)
            clock.now += 60  # it ran for a minute before dying
            sup.check()
            clock.now += 0.5
            sup.check()
        assert sup.gave_up is None
        assert out.getvalue().count("notify exited with code 1 after 60.0s; restarting in 0.5s") == 5
    finally:
        sup.stop()


def test_frontwire_run_prints_the_masked_settings_once_for_every_service(tmp_path: Path) -> None:
    with socket.socket() as busy:  # stops before any service starts: the line comes first
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({"FRONTWIRE_DATA_DIR": str(tmp_path), "FRONTWIRE_API_PORT": str(busy.getsockname()[1]),
                    "FRONTWIRE_API_KEY": "k-hunter2", "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
                    "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
                    "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port()),
                    "FRONTWIRE_SMTP_URL": "smtp+starttls://desk:pa55word@mail.example.org:587"})
        proc = subprocess.run([sys.executable, "-m", "frontwire", "run"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "settings (secrets masked): {" in line]
    assert len(lines) == 1, proc.stderr
    assert "'api_key': '****'" in lines[0] and "desk:****@mail.example.org" in lines[0]
    assert "k-hunter2" not in proc.stderr + proc.stdout and "pa55word" not in proc.stderr


def test_frontwire_run_with_a_busy_api_port_stops_at_once_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
        env.update({"FRONTWIRE_DATA_DIR": str(tmp_path), "FRONTWIRE_API_PORT": str(busy.getsockname()[1]),
                    "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
                    "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
                    "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port())})
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-m", "frontwire", "run", "--demo"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert time.monotonic() - started < 15
    assert proc.stderr.strip().splitlines()[-1].startswith(
        "frontwire run: FRONTWIRE_API_PORT: port ")
    assert "Traceback" not in proc.stderr
