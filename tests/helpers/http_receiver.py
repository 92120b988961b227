"""A real HTTP server on 127.0.0.1 that keeps every request as it arrived and answers as told.

Stands in for Slack, Teams, Discord, the Telegram Bot API and ntfy in the tests:
what they would receive is what the test reads (method, path with query, headers,
raw body), and their answers (429 with Retry-After, 404 ``no_service``, ...) are
scripted per request.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from frontwire.demo.receiver import QuietHandler, serve, stop


@dataclass(frozen=True)
class Seen:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Receiver:
    default: Answer = field(default_factory=Answer)
    requests: list[Seen] = field(default_factory=list)
    _script: deque[Answer] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "receiver not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order, then the default again."""
        with self._lock:
            self._script.extend(answers)

    def _answer(self, seen: Seen) -> Answer:
        with self._lock:
            self.requests.append(seen)
            return self._script.popleft() if self._script else self.default

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Seen]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"got {len(self.requests)} of {count} requests"
            time.sleep(0.01)
        return self.requests

    def __enter__(self) -> Receiver:
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                answer = receiver._answer(Seen("POST", self.path, {k.lower(): v for k, v in
                                                                  self.headers.items()}, body))
                self.send_response(answer.status)
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

        self._server, _ = serve("127.0.0.1", Handler)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        stop(self._server, None)
