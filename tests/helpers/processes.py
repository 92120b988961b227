"""Shared by the tests that run the services as subprocesses: a poll with a deadline that
gives up at once when a watched process dies, a teardown that stops every process
(SIGTERM, then SIGKILL), and the tails of their logs for a failure message."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

KILLED = -signal.SIGKILL
"""The exit code ``stop`` reports for a process that ignored SIGTERM and had to be killed."""


def wait_for(what: str, check: Callable[[], T], timeout: float = 30.0, *, every: float = 0.1,
             procs: Mapping[str, subprocess.Popen[bytes]] | None = None,
             detail: Callable[[], str] | None = None) -> T:
    """Call ``check`` every ``every`` seconds until it returns something truthy, and return that.

    Raises AssertionError naming ``what`` once ``timeout`` seconds have passed, or at once
    when one of ``procs`` (name -> process) has exited: waiting on a dead service only
    hides the reason. ``check`` runs at least once, and once more at the deadline.
    ``detail``, when given, is called on failure and its text (the services' logs, say)
    ends the message.
    """
    def fail(message: str) -> AssertionError:
        return AssertionError(f"{message}\n{detail()}" if detail else message)

    deadline = time.monotonic() + timeout
    while True:
        for name, proc in (procs or {}).items():
            if proc.poll() is not None:
                raise fail(f"{name} exited with code {proc.returncode} while waiting for {what}")
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)


def stop(procs: Mapping[str, subprocess.Popen[bytes]], timeout: float = 20.0) -> dict[str, int]:
    """SIGTERM every process still running, give each up to ``timeout`` seconds to exit, then
    SIGKILL the ones that have not. Returns each one's exit code (``KILLED`` for those).

    All are signalled before any is waited for, so they shut down side by side.
    """
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    codes: dict[str, int] = {}
    for name, proc in procs.items():
        try:
            codes[name] = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            codes[name] = proc.wait()
    return codes


def log_tail(logs: Path, chars: int = 3000) -> str:
    """The last ``chars`` characters of every ``*.log`` in ``logs``, each under its name."""
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-chars:]}"
                     for p in sorted(logs.glob("*.log")))
