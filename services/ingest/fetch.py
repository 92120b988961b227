"""Fetching a source politely: conditional GET, timeouts, a size cap, Retry-After.

Local files are read directly, with their mtime and size standing in for an ETag.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import httpx

from services.ingest.sources import SourceSpec

# One User-Agent for the poller and `frontwire parse`: publishers see who polls and why.
USER_AGENT = "frontwire/0.1 (live-blog alerts; +https://github.com/frontwire/frontwire)"
# Real live-blog pages run to 1-3 MB; beyond 10 MiB it is not a page we should parse.
MAX_BYTES = 10 * 1024 * 1024
DEADLINE_S = 60.0  # a whole fetch, however slowly the bytes come
ACCEPT = ("text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
          "text/plain;q=0.9, */*;q=0.5")


def too_large(size: int | None, limit: int) -> str:
    """The error for a page over the size cap, in one wording for every path."""
    seen = f" ({size} bytes)" if size else ""
    return f"page larger than the {limit / (1024 * 1024):g} MiB limit{seen}"


@dataclass(frozen=True)
class FetchResult:
    status: Literal["ok", "not_modified", "error"]
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None
    http_status: int | None = None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None if absent
    or unreadable (the caller's own backoff applies then)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class Fetcher:
    def __init__(self, client: httpx.AsyncClient, max_bytes: int = MAX_BYTES,
                 deadline: float = DEADLINE_S) -> None:
        self.client = client
        self.max_bytes = max_bytes
        self.deadline = deadline

    async def fetch(self, spec: SourceSpec, etag: str | None, last_modified: str | None) -> FetchResult:
        """The page, or why not; never raises for a bad source."""
        try:
            # The client's timeouts bound each read; this bounds a server that drips bytes.
            async with asyncio.timeout(self.deadline):
                return await self._fetch(spec, etag, last_modified)
        except TimeoutError:
            return FetchResult("error", error=f"timed out after {self.deadline:g} s")

    async def _fetch(self, spec: SourceSpec, etag: str | None, last_modified: str | None) -> FetchResult:
        if spec.is_local:
            return self._read_file(spec, etag)
        headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with self.client.stream("GET", spec.url, headers=headers) as resp:
                if resp.status_code == 304:
                    return FetchResult("not_modified", etag=etag, last_modified=last_modified,
                                       http_status=304)
                if resp.status_code >= 400:
                    wait = retry_after_seconds(resp.headers.get("retry-after"))
                    said = f" (Retry-After: {wait:g} s)" if wait is not None else ""
                    return FetchResult("error", error=f"HTTP {resp.status_code}{said}",
                                       http_status=resp.status_code, retry_after=wait)
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    return FetchResult("error", error=too_large(int(declared), self.max_bytes),
                                       http_status=resp.status_code)
                chunks, size = [], 0
                async for chunk in resp.aiter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:  # stop reading: no Content-Length, or a wrong one
                        return FetchResult("error", error=too_large(None, self.max_bytes),
                                           http_status=resp.status_code)
                    chunks.append(chunk)
                return FetchResult("ok", b"".join(chunks), resp.headers.get("content-type"),
                                   resp.headers.get("etag"), resp.headers.get("last-modified"),
                                   http_status=resp.status_code)
        except httpx.TimeoutException:
            return FetchResult("error", error="timed out")
        except httpx.HTTPError as exc:
            return FetchResult("error", error=f"{type(exc).__name__}: {exc}")

    def _read_file(self, spec: SourceSpec, etag: str | None) -> FetchResult:
        path = spec.path
        try:
            stat = path.stat()
            tag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
            if tag == etag:
                return FetchResult("not_modified", etag=etag)
            if stat.st_size > self.max_bytes:
                return FetchResult("error", error=too_large(stat.st_size, self.max_bytes))
            content = path.read_bytes()
        except OSError as exc:
            return FetchResult("error", error=f"cannot read {path}: {exc.strerror}")
        ctype = "text/html" if path.suffix.lower() in (".html", ".htm") else None
        modified = datetime.fromtimestamp(stat.st_mtime, UTC)
        return FetchResult("ok", content, ctype, tag, email.utils.format_datetime(modified, usegmt=True))
