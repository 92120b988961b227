"""`frontwire serve X` as a real process: clean stops on SIGTERM/SIGINT, and startup failures
that print one line naming the setting instead of a traceback.

Every wait polls with a deadline.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from frontwire.broker import free_port, pid_alive
from tests.helpers.processes import wait_for

pytestmark = pytest.mark.integration


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
    env.update({"FRONTWIRE_DATA_DIR": str(tmp / "data"), "FRONTWIRE_API_PORT": str(free_port()),
                "FRONTWIRE_INGEST_METRICS_PORT": str(free_port()),
                "FRONTWIRE_CLASSIFY_METRICS_PORT": str(free_port()),
                "FRONTWIRE_NOTIFY_METRICS_PORT": str(free_port())})
    env.update(extra)
    return env


def start(service: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "wb")  # noqa: SIM115 - the child holds it; closed when it exits
    return subprocess.Popen([sys.executable, "-m", "frontwire", "serve", service], env=env,
                            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_api_stops_cleanly_and_stops_the_broker_it_started(
        tmp_path: Path, procs: list[subprocess.Popen[bytes]], signum: int) -> None:
    env = clean_env(tmp_path)
    log = tmp_path / "api.log"
    api = start("api", env, log)
    procs.append(api)
    wait_for("the API", lambda: healthy(f"http://127.0.0.1:{env['FRONTWIRE_API_PORT']}/healthz")
             or api.poll() is not None, 60)
    assert api.poll() is None, log.read_text()
    record = json.loads((tmp_path / "data" / "broker.json").read_text())
    assert record["pid"] == api.pid and pid_alive(record["broker_pid"])

    api.send_signal(signum)
    assert api.wait(30) == 0, log.read_text()
    text = log.read_text()
    assert "api stopped" in text and "embedded broker stopped" in text, text
    assert "Traceback" not in text
    assert not (tmp_path / "data" / "broker.json").exists()
    wait_for("the broker to exit", lambda: not pid_alive(record["broker_pid"]), 30)


def test_a_record_of_a_dead_broker_is_not_trusted(
        tmp_path: Path, procs: list[subprocess.Popen[bytes]]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    # A port that answers, recorded by a process that is gone: a leftover, not a broker to use.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        (data / "broker.json").write_text(json.dumps(
            {"bootstrap": f"127.0.0.1:{port}", "pid": dead.pid, "broker_pid": dead.pid}))
        env = clean_env(tmp_path)
        log = tmp_path / "ingest.log"
        ingest = start("ingest", env, log)
        procs.append(ingest)
        metrics = f"http://127.0.0.1:{env['FRONTWIRE_INGEST_METRICS_PORT']}/healthz"
        wait_for("ingest", lambda: healthy(metrics) or ingest.poll() is not None, 60)
    text = log.read_text()
    assert ingest.poll() is None, text
    assert f"(pid {dead.pid}) is gone" in text
    assert "started by another frontwire process" not in text
    assert "starting the embedded broker" in text
    ingest.send_signal(signal.SIGTERM)
    assert ingest.wait(30) == 0, log.read_text()


def test_a_broker_left_behind_by_a_killed_owner_is_stopped_not_reused(
        tmp_path: Path, procs: list[subprocess.Popen[bytes]]) -> None:
    env = clean_env(tmp_path)
    api_log, ingest_log = tmp_path / "api.log", tmp_path / "ingest.log"
    api = start("api", env, api_log)
    procs.append(api)
    wait_for("the API", lambda: healthy(f"http://127.0.0.1:{env['FRONTWIRE_API_PORT']}/healthz")
             or api.poll() is not None, 60)
    record = json.loads((tmp_path / "data" / "broker.json").read_text())
    api.kill()  # no cleanup: its broker lives on, recorded, with nobody to stop it
    api.wait(10)
    assert pid_alive(record["broker_pid"])

    ingest = start("ingest", env, ingest_log)
    procs.append(ingest)
    metrics = f"http://127.0.0.1:{env['FRONTWIRE_INGEST_METRICS_PORT']}/healthz"
    wait_for("ingest", lambda: healthy(metrics) or ingest.poll() is not None, 60)
    text = ingest_log.read_text()
    assert f"stopping the embedded broker (pid {record['broker_pid']})" in text, text
    assert "started by another frontwire process" not in text
    wait_for("the orphan broker to exit", lambda: not pid_alive(record["broker_pid"]), 30)
    assert json.loads((tmp_path / "data" / "broker.json").read_text())["pid"] == ingest.pid
    ingest.send_signal(signal.SIGTERM)
    assert ingest.wait(30) == 0, ingest_log.read_text()


def one_line_failure(service: str, env: dict[str, str], tmp: Path,
                     timeout: float = 60) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "frontwire", "serve", service], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc.returncode, proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("level", "printed"), [("INFO", False), ("DEBUG", True)])
def test_a_service_prints_its_full_settings_only_at_debug(
        tmp_path: Path, level: str, printed: bool) -> None:
    """`frontwire run` prints them once for all four services (tests/integration/test_supervisor.py)."""
    with socket.socket() as busy:  # the service stops at once, after its start lines
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env = clean_env(tmp_path, FRONTWIRE_API_PORT=str(busy.getsockname()[1]),
                        FRONTWIRE_LOG_LEVEL=level, FRONTWIRE_API_KEY="k-hunter2")
        proc = subprocess.run([sys.executable, "-m", "frontwire", "serve", "api"], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "starting api" in proc.stderr
    assert ("api settings (secrets masked): {" in proc.stderr) is printed, proc.stderr
    assert "k-hunter2" not in proc.stderr


def test_a_busy_api_port_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env = clean_env(tmp_path, FRONTWIRE_API_PORT=str(busy.getsockname()[1]))
        started = time.monotonic()
        code, last = one_line_failure("api", env, tmp_path)
    assert code == 2
    assert last.startswith("frontwire api: FRONTWIRE_API_PORT: port ")
    assert "already in use" in last
    assert time.monotonic() - started < 15  # before any broker or database is touched


@pytest.mark.parametrize("service", ["ingest", "classify", "notify"])
def test_a_busy_metrics_port_is_one_line_naming_the_setting(tmp_path: Path, service: str) -> None:
    setting = f"FRONTWIRE_{service.upper()}_METRICS_PORT"
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        env = clean_env(tmp_path, **{setting: str(busy.getsockname()[1])})
        code, last = one_line_failure(service, env, tmp_path)
    assert code == 2
    assert last.startswith(f"frontwire {service}: {setting}: port ")


def test_an_unreachable_database_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://frontwire:s3cret@127.0.0.1:{free_port()}/frontwire"
    env = clean_env(tmp_path, FRONTWIRE_DATABASE_URL=url, FRONTWIRE_STARTUP_WAIT="2")
    code, last = one_line_failure("ingest", env, tmp_path)
    assert code == 2
    assert last.startswith("frontwire ingest: FRONTWIRE_DATABASE_URL: the database at ")
    assert "s3cret" not in last and "did not answer within" in last


def test_an_unreachable_kafka_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    env = clean_env(tmp_path, FRONTWIRE_KAFKA_BOOTSTRAP=f"127.0.0.1:{free_port()}",
                    FRONTWIRE_STARTUP_WAIT="2")
    proc = subprocess.run([sys.executable, "-m", "frontwire", "serve", "ingest"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "ECONNREFUSED" not in proc.stderr, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("frontwire ingest: FRONTWIRE_KAFKA_BOOTSTRAP: Kafka at 127.0.0.1:")
    assert "waiting for Kafka" in proc.stderr  # the one line said while waiting
