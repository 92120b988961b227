"""Runs the services as child processes: prefixed logs, restarts, orderly shutdown.

A child that exits is reported at the next check() with its exit code, how long it ran
and the last lines it printed, then restarted after a delay that doubles while it keeps
failing. One that fails at start (exits within ``quick`` seconds) ``give_up_after``
times in a row is not restarted again: ``gave_up`` then says why, and the caller stops
the others (a pipeline without one of its services does nothing useful).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

log = logging.getLogger("frontwire.supervisor")

_COLOURS = {"ingest": "36", "classify": "35", "notify": "33", "api": "32"}
TAIL_LINES = 3


def serve_command(name: str) -> list[str]:
    """The command line of service ``name``."""
    return [sys.executable, "-m", "frontwire", "serve", name]


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[str]
    started: float
    failures: int = 0  # failed starts in a row before this one
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL_LINES))
    pump: threading.Thread | None = None


@dataclass
class Supervisor:
    """Start with start(); call check() periodically; stop() ends every child."""

    services: list[str]
    env: dict[str, str]
    out: TextIO = sys.stdout
    restart: bool = True
    command: Callable[[str], list[str]] = serve_command
    quick: float = 10.0  # an exit this soon after start counts as a failed start
    give_up_after: int = 3
    clock: Callable[[], float] = time.monotonic
    children: dict[str, Child] = field(default_factory=dict)
    gave_up: str | None = None  # why the supervisor stopped restarting, once it did
    _due: dict[str, tuple[float, int]] = field(default_factory=dict)  # restart time, failures
    _stopping: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for name in self.services:
            self._spawn(name)

    def _spawn(self, name: str, failures: int = 0) -> None:
        proc = subprocess.Popen(
            self.command(name), env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            bufsize=1, start_new_session=True)  # Ctrl-C reaches us; we stop children in order
        child = Child(name, proc, self.clock(), failures)
        child.pump = threading.Thread(target=self._pump, args=(child,), daemon=True)
        child.pump.start()
        self.children[name] = child

    def _pump(self, child: Child) -> None:
        colour = _COLOURS.get(child.name, "37")
        tty = self.out.isatty()
        prefix = f"\x1b[{colour}m{child.name:>8} |\x1b[0m " if tty else f"{child.name:>8} | "
        assert child.proc.stdout is not None
        for line in child.proc.stdout:
            if line.strip():
                child.tail.append(line.rstrip())
            with self._lock:
                self.out.write(prefix + line)
                self.out.flush()

    def say(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()

    def check(self) -> None:
        """Report children that exited; restart them when due, or give up on one that
        keeps failing at start."""
        if self._stopping or self.gave_up:
            return
        now = self.clock()
        for name, child in list(self.children.items()):
            if name in self._due:
                continue
            code = child.proc.poll()
            if code is None:
                continue
            if child.pump is not None:
                child.pump.join(timeout=2)  # so its last lines are in the tail
            self._exited(child, code, now)
            if self.gave_up:
                return
        for name, (due, failures) in list(self._due.items()):
            if now >= due and not self._stopping:
                del self._due[name]
                self._spawn(name, failures)

    def _exited(self, child: Child, code: int, now: float) -> None:
        uptime = now - child.started
        failures = child.failures + 1 if uptime < self.quick else 0
        what = f"supervisor | {child.name} exited with code {code} after {uptime:.1f}s"
        last = list(child.tail)
        if not self.restart:
            self.say(what)
            self._say_tail(last)
            del self.children[child.name]
            return
        if failures >= self.give_up_after:
            self.gave_up = (f"{child.name} failed at start {failures} times in a row; not "
                            "restarting it" + (f": {last[-1]}" if last else ""))
            self.say(what)
            self.say(f"supervisor | {self.gave_up}")
            return
        delay = min(30.0, 0.5 * 2 ** min(failures, 6))
        self.say(f"{what}; restarting in {delay:.1f}s" + (". Its last lines:" if last else ""))
        self._say_tail(last)
        self._due[child.name] = (now + delay, failures)

    def _say_tail(self, lines: list[str]) -> None:
        for line in lines:
            self.say(f"supervisor |   {line}")

    def alive(self) -> list[str]:
        return [n for n, c in self.children.items() if c.proc.poll() is None]

    def stop(self, timeout: float = 15.0) -> None:
        self._stopping = True
        self._due.clear()
        for child in self.children.values():
            if child.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
                    os.killpg(child.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.proc.wait(remaining)
            except subprocess.TimeoutExpired:
                self.say(f"supervisor | {child.name} did not stop in {timeout:.0f}s: killing it")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.proc.pid, signal.SIGKILL)
                child.proc.wait()
        for child in self.children.values():
            if child.pump is not None:
                child.pump.join(timeout=2)  # its last lines ("... stopped") are printed
