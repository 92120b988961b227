"""`frontwire run`: the broker (if needed) and all four services under one supervisor.

With ``--demo`` it also serves sample live blogs that grow over time, a webhook
receiver that verifies every signature, and a mailbox, and subscribes both to
every label, so a newcomer sees alerts arrive within a minute (frontwire/demo/parts.py).
With ``--exit-when-idle`` it stops once the work is done (frontwire/progress.py) and
prints the counts as the very last line, after every service has stopped.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import signal
import time
from collections.abc import Callable

import httpx
from pydantic import SecretStr

from frontwire.demo.parts import Demo
from frontwire.progress import Progress, pipeline_counts
from frontwire.serve import SERVICES, kafka_for, service_ports
from frontwire.startup import check_port, open_database
from frontwire.supervisor import Supervisor
from services.runtime.config import Settings, default_public_url

log = logging.getLogger("frontwire.run")

API_START_S = 60.0


def run(settings: Settings, *, demo: bool, exit_when_idle: bool, timeout: float) -> int:
    stop_requested = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    env = dict(os.environ)
    generated_key: str | None = None
    if demo:
        # A fresh state per demo run: the embedded broker keeps nothing either.
        data_dir = settings.data_dir / "demo"
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        settings = settings.model_copy(update={"data_dir": data_dir})
        env["FRONTWIRE_DATA_DIR"] = str(data_dir)
        if settings.api_key is None:
            generated_key = "demo-" + secrets.token_hex(8)
            settings = settings.model_copy(update={"api_key": SecretStr(generated_key)})
            env["FRONTWIRE_API_KEY"] = generated_key
    # Once here, rather than once per service: the services log theirs at DEBUG only.
    log.info("settings (secrets masked): %s", settings.masked())
    preflight(settings)
    sup = Supervisor(list(SERVICES), env)
    demo_parts = Demo(sup.say) if demo else None
    summary: list[str] = []
    with kafka_for(settings) as bootstrap:
        env["FRONTWIRE_KAFKA_BOOTSTRAP"] = bootstrap
        if demo_parts:
            env.update(demo_parts.start(settings.data_dir))
        sup.say(f"supervisor | broker {bootstrap}; starting {', '.join(SERVICES)}")
        sup.start()
        try:
            code = _watch(sup, settings, demo_parts, generated_key, exit_when_idle, timeout,
                          lambda: stop_requested, summary)
        finally:
            sup.say("supervisor | stopping services")
            sup.stop()
            if demo_parts:
                demo_parts.stop()
            sup.say("supervisor | stopped")
    for line in summary:  # the last line of the output, after every service and the broker stopped
        sup.say(line)
    return code


def preflight(settings: Settings) -> None:
    """Fail before starting anything when a port is taken or the database does not answer."""
    for host, port, setting in service_ports(settings).values():
        check_port(host, port, setting)
    shown = settings.masked()["database_url"] or str(settings.data_dir / "frontwire.db")
    open_database(settings.sqlalchemy_url, str(shown), settings.startup_wait).dispose()


def wait_for_api(sup: Supervisor, url: str, timeout: float, stopping: Callable[[], bool]) -> bool:
    """Poll url until it answers 200, reporting (and restarting) services that die meanwhile."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopping():
        sup.check()
        if sup.gave_up:
            return False
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    if not stopping():
        sup.say(f"supervisor | the API did not answer on {url} within {timeout:.0f}s")
    return False


def _watch(sup: Supervisor, settings: Settings, demo: Demo | None, generated_key: str | None,
           exit_when_idle: bool, timeout: float, stopping: Callable[[], bool],
           summary: list[str]) -> int:
    api = default_public_url(settings.api_host, settings.api_port)
    started = time.monotonic()
    if demo is not None:
        if not wait_for_api(sup, f"{api}/healthz", API_START_S, stopping):
            return 0 if stopping() else 1
        assert settings.api_key is not None
        try:
            demo.subscribe(api, settings.api_key.get_secret_value())
        except httpx.HTTPError as exc:
            sup.say(f"demo  | could not subscribe the demo's receiver and mailbox: {exc}")
            return 1
        demo.welcome(api, generated_key)
    progress = Progress()
    while not stopping():
        sup.check()
        if sup.gave_up:
            return 1
        time.sleep(0.5)
        if not exit_when_idle:
            continue
        counts = pipeline_counts(settings)
        complete = demo is None or demo.site.settled
        if progress.observe(counts, time.monotonic(), complete):
            summary.append(counts.line())
            return 0
        if time.monotonic() - started > timeout:
            sup.say(f"supervisor | not idle after {timeout:.0f}s: {counts.line()} "
                    f"pending={int(counts.pending)}")
            summary.append(counts.line())
            return 1
    return 0
