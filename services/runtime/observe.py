"""Every service's operational HTTP endpoint: /metrics, /healthz and /readyz.

/healthz says the process is alive (it answers); /readyz says it can do its work:
the database and the Kafka broker are reachable (503 with the reason otherwise).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger("frontwire.observe")

ReadyCheck = Callable[[], str | None]  # None = ready, else what is wrong


class BrokerCheck:
    """Readiness of the Kafka connection: a TCP connect to any bootstrap server.

    Cheap enough for every probe, and cached for ``ttl`` seconds so that a burst of
    probes (Prometheus, the orchestrator, a curl) costs one connect.
    """

    def __init__(self, bootstrap: str, ttl: float = 5.0, timeout: float = 1.0) -> None:
        self.servers = [s.strip() for s in bootstrap.split(",") if s.strip()]
        self.ttl = ttl
        self.timeout = timeout
        self._checked = float("-inf")
        self._problem: str | None = None
        self._lock = threading.Lock()

    def __call__(self) -> str | None:
        with self._lock:
            now = time.monotonic()
            if now - self._checked >= self.ttl:
                self._problem = self._probe()
                self._checked = now
            return self._problem

    def _probe(self) -> str | None:
        errors = []
        for server in self.servers:
            host, _, port = server.rpartition(":")
            try:
                with socket.create_connection((host.strip("[]"), int(port)), self.timeout):
                    return None
            except (OSError, ValueError) as exc:
                errors.append(f"{server}: {exc}")
        return "Kafka unreachable (" + "; ".join(errors or ["no bootstrap servers"]) + ")"


def all_ready(*checks: ReadyCheck) -> ReadyCheck:
    """One check from several: ready when each is; otherwise every problem, joined."""
    def check() -> str | None:
        problems = [p for p in (c() for c in checks) if p]
        return "; ".join(problems) or None
    return check


class OpsServer:
    """A small threaded HTTP server in the background; stop() to close it."""

    def __init__(self, registry: CollectorRegistry, port: int, host: str = "127.0.0.1",
                 ready: ReadyCheck | None = None) -> None:
        handler = _handler(registry, ready or (lambda: None))
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, name="ops-http",
                                        daemon=True)

    def start(self) -> OpsServer:
        self._thread.start()
        log.info("metrics on http://127.0.0.1:%d/metrics", self.port)
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(registry: CollectorRegistry, ready: ReadyCheck) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                self._send(200, b"ok\n")
            elif path == "/readyz":
                problem = ready()
                self._send(503 if problem else 200, f"{problem or 'ready'}\n".encode())
            else:
                self._send(404, b"not found: try /metrics, /healthz or /readyz\n")

        def _send(self, code: int, body: bytes, ctype: str = "text/plain; charset=utf-8") -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # scrapes every few seconds would flood the log

    return Handler
