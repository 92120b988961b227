"""A real webhook receiver (for the demo and the tests): an HTTP server on 127.0.0.1
that verifies Standard Webhooks signatures with the ``standardwebhooks`` library
and dedupes on ``webhook-id`` the way a careful subscriber does.

    with WebhookReceiver(secret) as receiver:
        ... deliver to receiver.url ...
        await receiver.wait_for(1)
        assert receiver.received[0]["data"]["id"] == alert.id

It runs in a thread, so both sync and async tests (and services running in
other processes) can talk to it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class ReceivedRequest:
    """One request as the receiver saw it, verified or not."""

    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int  # what the receiver answered
    payload: Any = None  # the parsed JSON body, when the signature verified
    error: str | None = None


class QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


def serve(host: str, handler: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """An HTTP server on ``host`` (a free port) answering from a daemon thread."""
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    # A short poll interval: shutdown() waits for the next poll, which otherwise is 0.5 s.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    return server, thread


def stop(server: ThreadingHTTPServer | None, thread: threading.Thread | None) -> None:
    if server is not None:
        server.shutdown()
        server.server_close()
    if thread is not None:
        thread.join(timeout=5)


@dataclass
class _Reply:
    status: int
    retry_after: str | None = None


@dataclass
class WebhookReceiver:
    """Verifies every POST against ``secret``; answers 401 to bad signatures.

    ``received``: payloads of verified requests answered 2xx (what a real receiver
    would have accepted). ``requests``: every request, including failures.
    ``unique``: the accepted requests, first of each ``webhook-id`` only;
    ``duplicates`` counts the accepted repeats. Secrets can also be set per path
    with :meth:`add_secret` (several subscriptions on one receiver).
    """

    secret: str | None = None
    host: str = "127.0.0.1"
    on_receive: Callable[[ReceivedRequest], None] | None = None
    received: list[Any] = field(default_factory=list)
    requests: list[ReceivedRequest] = field(default_factory=list)
    unique: list[ReceivedRequest] = field(default_factory=list)
    duplicates: int = 0
    _secrets: dict[str, list[str]] = field(default_factory=dict)
    _seen: set[str] = field(default_factory=set)
    _default: _Reply = field(default_factory=lambda: _Reply(200))
    _script: deque[_Reply] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"{self.base_url}/hook"

    @property
    def base_url(self) -> str:
        assert self._server is not None, "receiver not started"
        return f"http://{self.host}:{self._server.server_address[1]}"

    def add_secret(self, path: str, secret: str) -> None:
        """Verify requests to ``path`` with ``secret`` (as well as any added before)."""
        with self._lock:
            self._secrets.setdefault(path, []).append(secret)

    def ids(self) -> list[str]:
        with self._lock:
            return [r.headers["webhook-id"] for r in self.unique]

    @property
    def port(self) -> int:
        assert self._server is not None, "receiver not started"
        return int(self._server.server_address[1])

    def set_status(self, code: int, *, retry_after: str | None = None) -> None:
        """Answer ``code`` (with an optional Retry-After) from now on."""
        with self._lock:
            self._default = _Reply(code, retry_after)

    def script(self, *codes: int) -> None:
        """Answer these codes to the next requests, in order, then the default again."""
        with self._lock:
            self._script.extend(_Reply(c) for c in codes)

    def _next_reply(self) -> _Reply:
        with self._lock:
            return self._script.popleft() if self._script else self._default

    def _verify(self, path: str, headers: dict[str, str], body: bytes) -> Any:
        with self._lock:
            secrets = list(self._secrets.get(path, [])) or ([self.secret] if self.secret else [])
        if not secrets:
            raise WebhookVerificationError(f"no secret registered for {path}")
        error: WebhookVerificationError | None = None
        for secret in secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except WebhookVerificationError as exc:
                error = exc
        assert error is not None
        raise error

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> _Reply:
        try:
            payload = self._verify(path, headers, body)
        except WebhookVerificationError as exc:
            req = ReceivedRequest(path, headers, body, verified=False, status=401, error=str(exc))
            with self._lock:
                self.requests.append(req)
            return _Reply(401)
        reply = self._next_reply()
        req = ReceivedRequest(path, headers, body, True, reply.status, payload)
        first = False
        with self._lock:
            self.requests.append(req)
            if 200 <= reply.status < 300:
                self.received.append(payload)
                webhook_id = headers.get("webhook-id", "")
                if webhook_id in self._seen:
                    self.duplicates += 1
                else:
                    self._seen.add(webhook_id)
                    self.unique.append(req)
                    first = True
        if first and self.on_receive is not None:
            self.on_receive(req)
        return reply

    def start(self) -> WebhookReceiver:
        return self.__enter__()

    def stop(self) -> None:
        self.__exit__(None, None, None)

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = receiver._handle(self.path, headers, body)
                self.send_response(reply.status)
                if reply.retry_after is not None:
                    self.send_header("Retry-After", reply.retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server, self._thread = serve(self.host, Handler)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        stop(self._server, self._thread)

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Any]:
        """Poll (without blocking the loop) until ``count`` payloads were accepted."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"receiver got {len(self.received)} of {count} within "
                                     f"{timeout}s; requests: {self.requests!r}")
            await asyncio.sleep(0.01)
        return self.received

    def wait_for_blocking(self, count: int, timeout: float = 5.0) -> list[Any]:
        """As ``wait_for``, for sync tests whose sender runs elsewhere."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"receiver got {len(self.received)} of {count} within {timeout}s")
            time.sleep(0.01)
        return self.received
