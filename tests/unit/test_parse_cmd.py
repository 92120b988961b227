"""`frontwire parse`, run as the user runs it: a subprocess on files and on a local HTTP server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from schemas.models import Update
from services.ingest.fetch import USER_AGENT

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwire", "parse", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def updates(stdout: str) -> list[Update]:
    return [Update.model_validate_json(line) for line in stdout.splitlines() if line.strip()]


def test_prints_one_update_per_line_with_source_from_the_file_name() -> None:
    started = datetime.now(UTC)
    proc = run(str(FIXTURES / "text_markers.txt"))
    assert proc.returncode == 0, proc.stderr
    got = updates(proc.stdout)
    assert len(got) == 4
    assert {u.source for u in got} == {"text-markers"}
    assert all(u.id.startswith("text-markers:") and u.revision == 1 for u in got)
    assert all(started - timedelta(seconds=1) <= u.first_seen_at <= datetime.now(UTC) for u in got)
    assert got[0].published_at == datetime(2025, 3, 3, 17, 42, tzinfo=UTC)


def test_source_id_and_kind_options_are_used() -> None:
    proc = run(str(FIXTURES / "feed_atom.xml"), "--source-id", "tolvar-feed", "--kind", "feed")
    assert proc.returncode == 0, proc.stderr
    got = updates(proc.stdout)
    assert [u.source for u in got] == ["tolvar-feed", "tolvar-feed"]
    assert got[0].url == "https://news.example.org/live/tolvar#entry-9"


@pytest.mark.parametrize(("name", "message"), [
    ("does-not-exist.html", "no such file"), ("not_liveblog.html", "not a live blog"),
    ("binary.bin", "binary content"), ("empty.html", "empty page"),
])
def test_bad_sources_give_one_clear_line_and_exit_1(name: str, message: str) -> None:
    proc = run(str(FIXTURES / name))
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and message in proc.stderr and name in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unknown_kind_is_a_usage_error() -> None:
    proc = run(str(FIXTURES / "generic.html"), "--kind", "pdf")
    assert proc.returncode == 2
    assert "unknown --kind" in proc.stderr


def test_warnings_go_to_stderr_and_updates_still_print() -> None:
    proc = run(str(FIXTURES / "malformed_jsonld.html"))
    assert proc.returncode == 0
    assert "malformed JSON-LD" in proc.stderr
    assert len(updates(proc.stdout)) == 2


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/live":
            body = (FIXTURES / "generic.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.server.user_agents.append(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        else:
            self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.user_agents = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_fetches_a_url_with_the_frontwire_user_agent(server: ThreadingHTTPServer) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}/live"
    proc = run(url)
    assert proc.returncode == 0, proc.stderr
    got = updates(proc.stdout)
    assert len(got) == 3
    assert {u.source for u in got} == {"127-0-0-1"} and {u.page_url for u in got} == {url}
    # The same User-Agent as the poller's: publishers see one frontwire.
    assert server.user_agents == [USER_AGENT]  # type: ignore[attr-defined]


def test_an_http_error_is_one_line_naming_the_status(server: ThreadingHTTPServer) -> None:
    proc = run(f"http://127.0.0.1:{server.server_address[1]}/missing")
    assert proc.returncode == 1
    assert "HTTP 404" in proc.stderr and proc.stderr.count("\n") == 1


def test_output_lines_are_json_objects() -> None:
    proc = run(str(FIXTURES / "text_key_developments.txt"))
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["section"] for r in rows][:2] == ["Fighting", "Fighting"]
    assert all(isinstance(r, dict) and r["content_hash"] for r in rows)
