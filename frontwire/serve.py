"""Entry points that run one service as a process: wiring from settings to a running loop.

Before any work a service checks what it needs (its port, Kafka, the database) and
stops with one line naming the setting when something is missing (frontwire/startup.py).
SIGTERM and SIGINT stop every service the same way: its loop ends, its producer is
closed, the embedded broker it started (if any) is stopped and "<name> stopped" is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry

from frontwire import broker as embedded
from frontwire.startup import (
    StartupError,
    bind,
    bind_problem,
    check_port,
    open_database,
    wait_for_kafka,
)
from services.runtime.config import Settings
from services.runtime.db import ping
from services.runtime.kafka import ensure_topics, keep_topics, make_producer
from services.runtime.observe import BrokerCheck, OpsServer, ReadyCheck, all_ready

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("frontwire")
SERVICES = ("ingest", "classify", "notify", "api")
METRICS_PORT_FIELD = {"ingest": "ingest_metrics_port", "classify": "classify_metrics_port",
                      "notify": "notify_metrics_port"}


def service_ports(settings: Settings) -> dict[str, tuple[str, int, str]]:
    """Service -> (host, port, setting) it listens on."""
    ports = {name: (settings.metrics_host, int(getattr(settings, field)),
                    "FRONTWIRE_" + field.upper()) for name, field in METRICS_PORT_FIELD.items()}
    ports["api"] = (settings.api_host, settings.api_port, "FRONTWIRE_API_PORT")
    return ports


@contextlib.contextmanager
def kafka_for(settings: Settings) -> Iterator[str]:
    """The bootstrap to use: the configured cluster, a running embedded broker, or a new one."""
    if settings.kafka_bootstrap:
        bootstrap = settings.kafka_bootstrap
        wait_for_kafka(bootstrap, settings.startup_wait)
        ensure_topics(bootstrap, settings.partitions)
        yield bootstrap
        return
    running = embedded.find_running(settings.data_dir)
    if running:
        log.info("using the embedded broker at %s (started by another frontwire process)", running)
        ensure_topics(running, settings.partitions)
        yield running
        return
    log.info("FRONTWIRE_KAFKA_BOOTSTRAP is unset: starting the embedded broker")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with embedded.EmbeddedBroker(log_path=settings.data_dir / "broker.log") as broker:
        embedded.record(settings.data_dir, broker)
        try:
            ensure_topics(broker.bootstrap, settings.partitions)
            yield broker.bootstrap
        finally:
            embedded.forget(settings.data_dir)


def serve(name: str, settings: Settings) -> int:
    if name not in SERVICES:
        raise ValueError(f"unknown service {name!r}: choose from {', '.join(SERVICES)}")
    # The full settings at DEBUG only: `frontwire run` prints them once for all four services.
    log.info("starting %s", name)
    log.debug("%s settings (secrets masked): %s", name, settings.masked())
    # Until the service's own loop takes the signals over, SIGTERM unwinds like Ctrl-C, so
    # the finally blocks below (and the embedded broker's) always run.
    signal.signal(signal.SIGTERM, _interrupt)
    host, port, setting = service_ports(settings)[name]
    # Bound before Kafka and the database: a busy port is reported at once.
    api_socket = bind(host, port, setting) if name == "api" else None
    if api_socket is None:
        check_port(host, port, setting)
    try:
        engine = _database(settings)
        with kafka_for(settings) as bootstrap:
            keep_topics(bootstrap, settings.partitions)  # a restarted broker gets them back
            if name == "ingest":
                return _ingest(settings, bootstrap, engine)
            if name in ("classify", "notify"):
                return _stream(name, settings, bootstrap, engine)
            assert api_socket is not None
            return _api(settings, bootstrap, engine, api_socket)
    finally:
        if api_socket is not None:
            api_socket.close()


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _database(settings: Settings) -> Engine:
    shown = settings.masked()["database_url"] or str(settings.data_dir / "frontwire.db")
    return open_database(settings.sqlalchemy_url, str(shown), settings.startup_wait)


def _ops(registry: CollectorRegistry, name: str, settings: Settings, ready: ReadyCheck) -> OpsServer:
    host, port, setting = service_ports(settings)[name]
    try:
        return OpsServer(registry, port, host, ready=ready).start()
    except OSError as exc:
        raise StartupError(bind_problem(host, port, setting, exc)) from None


def _ingest(settings: Settings, bootstrap: str, engine: Engine) -> int:
    from services.ingest.app import build
    from services.ingest.sources import load_sources_file

    specs = load_sources_file(settings.sources_file) if settings.sources_file else []
    registry = CollectorRegistry()
    producer = make_producer(bootstrap, "frontwire-ingest")
    service, _metrics = build(engine, producer, registry, specs)
    try:
        ops = _ops(registry, "ingest", settings, all_ready(lambda: ping(engine), BrokerCheck(bootstrap)))
    except StartupError:
        producer.close(timeout=10)
        raise

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await service.run(stop)

    try:
        asyncio.run(main())
    finally:
        producer.close(timeout=10)
        ops.stop()
        log.info("ingest stopped")
    return 0


def _stream(name: str, settings: Settings, bootstrap: str, engine: Engine) -> int:
    import faust

    registry = CollectorRegistry()
    if name == "classify":
        from services.classify.app import build as build_classify

        app = build_classify(settings, bootstrap, registry).app
    else:
        from services.notify.app import build as build_notify

        app = build_notify(settings, bootstrap, engine, registry).app
    ops = _ops(registry, name, settings, all_ready(lambda: ping(engine), BrokerCheck(bootstrap)))
    worker = faust.Worker(app, loglevel=logging.WARNING, quiet=True, override_logging=False,
                          redirect_stdouts=False)
    worker.spinner = None  # a terminal spinner would mangle the supervisor's prefixed logs
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        ops.stop()
        log.info("%s stopped", name)
    return 0


def _api(settings: Settings, bootstrap: str, engine: Engine, sock: socket.socket) -> int:
    import uvicorn

    from services.api.app import ApiDeps, create_app
    from services.ingest.app import UpdatePublisher

    if settings.api_key is None or not settings.api_key.get_secret_value():
        log.warning("FRONTWIRE_API_KEY is unset: only keys made with `frontwire apikey create` "
                    "are accepted")
    producer = make_producer(bootstrap, "frontwire-api")
    registry = CollectorRegistry()
    app = create_app(ApiDeps(settings, engine, UpdatePublisher(producer, "frontwire/api"), registry))
    app.state.broker_check = BrokerCheck(bootstrap)  # read by /readyz
    server = uvicorn.Server(uvicorn.Config(app, host=settings.api_host, port=settings.api_port,
                                           log_level="warning"))
    log.info("API on http://%s:%d (docs at /docs)", settings.api_host, settings.api_port)
    try:
        with _signals_stop(server):
            server.run(sockets=[sock])
    finally:
        producer.close(timeout=10)
        log.info("api stopped")
    return 0


@contextlib.contextmanager
def _signals_stop(server: Any) -> Iterator[None]:
    """SIGINT/SIGTERM end uvicorn's loop gracefully, before it runs as well as while it does.

    uvicorn handles them while serving and afterwards re-raises the signal into the
    handler it found; with the default handler that would kill the process before our
    cleanup (producer, embedded broker) runs. The handler it finds is this one.
    """
    def stop(_signum: int, _frame: FrameType | None) -> None:
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
