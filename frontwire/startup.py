"""Checks a service makes before it starts work, each failing with one line naming the setting.

A busy port, a database or Kafka that does not answer: the user should read which
setting to fix, not a driver's traceback or a client library's reconnect log. Ports
fail at once. Kafka and the database get a bounded wait (they may still be starting,
e.g. under docker compose), with one line every few seconds saying what is awaited;
after it the service exits, and whatever supervises it (``frontwire run``, compose's
restart policy) decides whether to try again.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("frontwire.startup")

WAIT_S = 30.0  # how long Kafka or the database may take to answer before we give up
SAY_EVERY_S = 5.0


class StartupError(RuntimeError):
    """A service cannot start; the message names the setting to fix and says how."""


def env_name(field: str) -> str:
    return "FRONTWIRE_" + field.upper()


def bind(host: str, port: int, setting: str) -> socket.socket:
    """A listening-ready TCP socket on host:port; StartupError naming ``setting`` if taken."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartupError(f"cannot listen on {host}:{port}: {host!r} is not an address of this "
                           f"machine ({exc.strerror})") from None
    family, kind, proto, _canon, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as every server does
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        raise StartupError(bind_problem(host, port, setting, exc)) from None
    return sock


def check_port(host: str, port: int, setting: str) -> None:
    """Raise StartupError naming ``setting`` unless host:port can be listened on (0: any port)."""
    if port:
        bind(host, port, setting).close()


def bind_problem(host: str, port: int, setting: str, exc: OSError) -> str:
    """The one line to show when listening on host:port failed with exc."""
    import errno

    if exc.errno == errno.EADDRINUSE:
        return (f"{setting}: port {port} on {host} is already in use (another program, or "
                f"frontwire already running?): stop it or set {setting} to a free port")
    if exc.errno == errno.EACCES:
        return f"{setting}: not allowed to listen on port {port}: choose a port above 1023"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}:{port}: {host} is not an address of this machine"
    return f"{setting}: cannot listen on {host}:{port}: {exc.strerror or exc}"


def wait_until(what: str, setting: str, attempt: Callable[[], str | None],
               timeout: float = WAIT_S, every: float = 0.5,
               clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], None] = time.sleep) -> None:
    """Call ``attempt`` (None: ready, else what is wrong) until it succeeds or timeout passes.

    Says once every SAY_EVERY_S what it waits for; raises StartupError naming ``setting``.
    """
    started = clock()
    said: float | None = None
    while True:
        problem = attempt()
        if problem is None:
            return
        now = clock()
        if now - started >= timeout:
            raise StartupError(f"{setting}: {what} did not answer within {timeout:.0f}s "
                               f"({problem}): check {setting}, or start it first")
        if said is None or now - said >= SAY_EVERY_S:
            log.warning("waiting for %s (%s): %s; giving up in %.0fs", what, setting, problem,
                        timeout - (now - started))
            said = now
        sleep(every)


def tcp_problem(bootstrap: str, timeout: float = 1.0) -> str | None:
    """None when any server of a host:port list accepts a TCP connection, else why not."""
    errors = []
    for server in filter(None, (s.strip() for s in bootstrap.split(","))):
        host, _, port = server.rpartition(":")
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout):
                return None
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            errors.append(f"{server}: {reason.lower()}")
    return "; ".join(errors) or "no servers given"


def wait_for_kafka(bootstrap: str, timeout: float = WAIT_S) -> None:
    """Wait until Kafka at bootstrap accepts connections (no client library, so no log flood)."""
    wait_until(f"Kafka at {bootstrap}", "FRONTWIRE_KAFKA_BOOTSTRAP",
               lambda: tcp_problem(bootstrap), timeout)


def open_database(url: str, shown_url: str, timeout: float = WAIT_S) -> Engine:
    """The migrated engine for url; StartupError naming the setting when it cannot be opened.

    A database that refuses or does not answer gets ``timeout`` to come up; one that
    answers with an error (bad password, no such database) fails at once.
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    from services.runtime.db import connect

    setting = "FRONTWIRE_DATABASE_URL"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StartupError(f"{setting}: {shown_url!r} is not a database URL ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        setting = "FRONTWIRE_DATA_DIR"  # the default database lives there
    else:
        try:
            probe = create_engine(url, connect_args={"connect_timeout": 5})
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StartupError(f"{setting}: cannot use {shown_url} ({exc})") from None

        def attempt() -> str | None:
            try:
                with probe.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return None
            except DBAPIError as exc:
                reason = _db_reason(exc)
                if "FATAL:" in str(exc.orig):  # the server answered (role, database, password)
                    raise StartupError(f"{setting}: the database at {shown_url} refused us: "
                                       f"{reason}") from None
                return reason

        try:
            wait_until(f"the database at {shown_url}", setting, attempt, timeout)
        finally:
            probe.dispose()
    try:
        return connect(url)
    except (DBAPIError, OSError) as exc:
        reason = _db_reason(exc) if isinstance(exc, DBAPIError) else str(exc)
        raise StartupError(f"{setting}: cannot open the database at {shown_url}: {reason}") from None


def _db_reason(exc: Exception) -> str:
    """The driver's first line, without its generic prefix: "connection to ... failed: ..."."""
    orig = getattr(exc, "orig", None) or exc
    first = next((ln.strip() for ln in str(orig).splitlines() if ln.strip()), type(orig).__name__)
    return " ".join(first.removeprefix("connection failed: ").split())
