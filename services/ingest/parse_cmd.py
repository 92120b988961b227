"""``frontwire parse SOURCE``: print a page's updates as JSON Lines of ``Update``.

The thin edge around the pure parser: read a file or fetch a URL, parse, stamp the
entries with the source id and the time seen, print. Every failure is one line on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import urlsplit

import httpx

from services.ingest.fetch import ACCEPT, MAX_BYTES, USER_AGENT, too_large
from services.ingest.identity import diff
from services.ingest.parsers import KINDS, ParseError, parse_page

TIMEOUT_S = 20.0


class SourceError(Exception):
    """The source could not be read (missing file, HTTP failure, too large)."""


def run_parse(source: str, *, kind: str | None, source_id: str | None, out: TextIO,
              err: TextIO) -> int:
    """Parse SOURCE and print its updates; 0 on success, 1 on a bad source, 2 on bad usage."""
    if kind is not None and kind not in KINDS:
        err.write(f"frontwire parse: unknown --kind {kind!r} (choose from {', '.join(KINDS)})\n")
        return 2
    is_url = source.startswith(("http://", "https://"))
    try:
        content, content_type = _fetch(source) if is_url else (_read(source), None)
        result = parse_page(content, content_type=content_type, url=source, kind=kind)
    except (SourceError, ParseError) as exc:
        err.write(f"frontwire parse: {source}: {exc}\n")
        return 1
    except Exception as exc:  # a parser bug must still end in one line, not a traceback
        err.write(f"frontwire parse: {source}: internal error: {exc.__class__.__name__}: {exc}\n")
        return 1
    sid = source_id or slug(source)
    change = diff(sid, result.entries, {}, datetime.now(UTC))
    for warning in result.warnings:
        err.write(f"frontwire parse: {source}: warning: {warning}\n")
    for dup in change.duplicates:
        err.write(f"frontwire parse: {source}: warning: duplicate entry id {dup} skipped\n")
    page_url = source if is_url else None
    for update in change.new:
        if page_url:
            update = update.model_copy(update={"page_url": page_url})
        out.write(update.model_dump_json() + "\n")
    return 0


def slug(source: str) -> str:
    """A source id from a file name ("dw-2024-10-24") or a URL's host ("www-dw-com")."""
    if source.startswith(("http://", "https://")):
        name = urlsplit(source).hostname or "web"
    else:
        name = Path(source).stem or "file"
    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return cleaned[:80] or "source"


def _read(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        raise SourceError("no such file")
    if not file.is_file():
        raise SourceError("not a regular file")
    if file.stat().st_size > MAX_BYTES:
        raise SourceError(too_large(file.stat().st_size, MAX_BYTES))
    try:
        return file.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None


def _fetch(url: str) -> tuple[bytes, str | None]:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    try:
        with httpx.Client(timeout=TIMEOUT_S, follow_redirects=True, headers=headers) as client, \
                client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise SourceError(f"HTTP {response.status_code} {response.reason_phrase}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:  # stop reading: a page this large is not a live blog
                    raise SourceError(too_large(None, MAX_BYTES))
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("content-type")
    except httpx.TimeoutException:
        raise SourceError(f"timed out after {TIMEOUT_S:.0f} s") from None
    except httpx.HTTPError as exc:
        raise SourceError(f"fetch failed: {exc.__class__.__name__}: {exc}") from None
