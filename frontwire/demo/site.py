"""A local web site serving the sample live blogs, growing while you watch.

Each blog starts with its oldest ``start_entries`` entries; every ``interval``
seconds one more entry appears on every blog that has some left (newest first on
the page, as live blogs do). One interval after the last entry, the entries that
carry an ``edit`` get their new text under the same id, and ``finished`` turns true.
``settled`` turns true later, once every blog's final page has been served (fetched,
or confirmed unchanged with a 304): only then has a poller seen everything there is.
Everything is derived from ``clock``, so tests drive the timeline without sleeping.

    with DemoSite(interval=4.0) as site:
        print(site.urls())   # {"estmark-watch": "http://127.0.0.1:PORT/live/estmark-watch.txt", ...}

Pages carry an ETag; a request whose If-None-Match still matches gets 304.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from frontwire.demo.blog import Blog, Entry, load_blog
from frontwire.demo.catalog import BLOGS, DemoBlog
from frontwire.demo.render import HTML, TEXT, render


@dataclasses.dataclass(frozen=True)
class Page:
    content_type: str
    body: bytes
    etag: str


class DemoSite:
    """The sample blogs over HTTP on 127.0.0.1 (``port=0``: a free port)."""

    def __init__(self, port: int = 0, start_entries: int = 2, interval: float = 4.0,
                 clock: Callable[[], float] = time.monotonic, host: str = "127.0.0.1") -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive, not {interval}")
        if start_entries < 0:
            raise ValueError(f"start_entries must be 0 or more, not {start_entries}")
        self.port, self.host = port, host
        self.start_entries, self.interval, self.clock = start_entries, interval, clock
        self.catalog: dict[str, DemoBlog] = {b.name: b for b in BLOGS}
        self._blogs: dict[str, Blog] = {}
        self._started: float | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._cache: dict[tuple[str, int, bool], Page] = {}
        self._final_served: set[str] = set()
        self._lock = threading.Lock()

    # Lifecycle ---------------------------------------------------------------------

    def start(self) -> DemoSite:
        self._blogs = {name: load_blog(name) for name in self.catalog}
        server = ThreadingHTTPServer((self.host, self.port), _Handler)
        server.daemon_threads = True
        server.site = self  # type: ignore[attr-defined]
        self._server = server
        self.port = server.server_address[1]
        self._started = self.clock()
        self._thread = threading.Thread(target=server.serve_forever, name="demo-site",
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL of the site; its index page links every blog."""
        if self._server is None:
            raise RuntimeError("DemoSite is not started: call start() first")
        return f"http://{self.host}:{self.port}"

    def urls(self) -> dict[str, str]:
        """Blog name -> URL of its page."""
        return {name: self.url + blog.path for name, blog in self.catalog.items()}

    # Timeline ----------------------------------------------------------------------

    @property
    def step(self) -> int:
        """Intervals elapsed since start (0 before)."""
        if self._started is None:
            return 0
        return max(0, int((self.clock() - self._started) // self.interval))

    def _steps(self) -> tuple[int, int]:
        """(step at which every entry is out, step at which the edits are applied)."""
        reveal = max((len(b.entries) - self.start_entries for b in self._blogs.values()), default=0)
        reveal = max(0, reveal)
        has_edits = any(e.edit for b in self._blogs.values() for e in b.entries)
        return reveal, reveal + 1 if has_edits else reveal

    def _edited_at(self, step: int) -> bool:
        return self._started is not None and step >= self._steps()[1] and any(
            e.edit for b in self._blogs.values() for e in b.entries)

    def _finished_at(self, step: int) -> bool:
        return self._started is not None and step >= self._steps()[1]

    @property
    def edited(self) -> bool:
        """True once the edits have been applied."""
        return self._edited_at(self.step)

    @property
    def finished(self) -> bool:
        """Every entry of every blog is out and the edits are applied."""
        return self._finished_at(self.step)

    @property
    def settled(self) -> bool:
        """Finished, and every blog's final page has been served since (200 or 304)."""
        with self._lock:
            return self.finished and self._final_served >= set(self.catalog)

    def visible(self, name: str) -> list[Entry]:
        """The entries ``name`` shows now, oldest first, edits applied when due."""
        return self._visible_at(name, self.step)

    def _visible_at(self, name: str, step: int) -> list[Entry]:
        blog = self._blog(name)
        shown = list(blog.entries[: min(len(blog.entries), self.start_entries + step)])
        if self._edited_at(step):
            shown = [dataclasses.replace(e, paragraphs=e.edit) if e.edit else e for e in shown]
        return shown

    def page(self, name: str) -> Page:
        """The page of blog ``name`` as it stands now."""
        return self._page_at(name, self.step)

    def _page_at(self, name: str, step: int) -> Page:
        blog = self._blog(name)
        edited = self._edited_at(step)
        key = (name, min(len(blog.entries), self.start_entries + step), edited)
        page = self._cache.get(key)
        if page is None:
            edited_ids = [e.id for e in blog.entries if e.edit] if edited else []
            content_type, text = render(blog, self._visible_at(name, step), edited_ids)
            body = text.encode("utf-8")
            page = Page(content_type, body, '"' + hashlib.sha256(body).hexdigest()[:24] + '"')
            self._cache[key] = page
        return page

    def serve_page(self, name: str) -> Page:
        """The page of blog ``name`` for a request: as page(), noting when it is the final one."""
        step = self.step  # one reading of the clock for the page and the note
        page = self._page_at(name, step)
        if self._finished_at(step):
            with self._lock:
                self._final_served.add(name)
        return page

    def index(self) -> Page:
        """An HTML page linking every blog, with how far each has got."""
        rows = "".join(
            f'<li><a href="{b.path}">{html.escape(self._blog(n).title)}</a> '
            f"({len(self.visible(n))}/{len(self._blog(n).entries)} entries; {html.escape(b.description)})</li>"
            for n, b in self.catalog.items())
        state = "finished" if self.finished else "live"
        body = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>frontwire demo blogs"
                f"</title></head><body><h1>frontwire demo blogs ({state})</h1><ul>{rows}</ul>"
                "</body></html>\n").encode()
        return Page(HTML, body, '"' + hashlib.sha256(body).hexdigest()[:24] + '"')

    def _blog(self, name: str) -> Blog:
        try:
            return self._blogs[name]
        except KeyError:
            raise KeyError(f"no demo blog {name!r} (is the site started?)") from None


class _Handler(BaseHTTPRequestHandler):
    server_version = "frontwire-demo/1"

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def _serve(self, with_body: bool) -> None:
        site: DemoSite = self.server.site  # type: ignore[attr-defined]
        path = self.path.split("?", 1)[0]
        page: Page | None = None
        if path in ("/", "/index.html"):
            page = site.index()
        elif path == "/healthz":
            page = Page(TEXT, b"ok\n", '"ok"')
        else:
            for name, blog in site.catalog.items():
                if path == blog.path:
                    # Only a GET hands the page over; a HEAD says nothing about what was read.
                    page = site.serve_page(name) if with_body else site.page(name)
        if page is None:
            self._send(404, Page(TEXT, b"not found\n", ""), with_body)
        elif _matches(self.headers.get("If-None-Match"), page.etag):
            self._send(304, page, with_body=False)
        else:
            self._send(200, page, with_body)

    def _send(self, status: int, page: Page, with_body: bool) -> None:
        self.send_response(status)
        if page.etag:
            self.send_header("ETag", page.etag)
        # Pollers must revalidate every time: the page changes under the same URL.
        self.send_header("Cache-Control", "no-cache")
        if status != 304:
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the demo's console is for alerts; ingest logs its own fetches


def _matches(header: str | None, etag: str) -> bool:
    if not header or not etag:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags
