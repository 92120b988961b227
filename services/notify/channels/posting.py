"""The HTTP engines a webhook is posted with: aiohttp in production, httpx where asked.

Why two: posting a webhook through httpx costs ~0.5 ms of CPU per request in its
Request/Response model and client machinery, on top of the engine (measured in
bench/bench_fanout.py: the same signed bodies, 8 in flight, reach ~1,000/s through
httpx with an aiohttp transport and ~3,300/s through aiohttp alone); notify posts
with ``AiohttpPoster``. ``HttpxPoster`` wraps any ``httpx.AsyncClient`` (tests use
``httpx.MockTransport``) with the same behaviour.

Both check addresses when they connect, against DNS rebinding: ``AiohttpPoster``
resolves every name through ``NetworkGuard`` (its pool only ever sees allowed
addresses, and keeps the name for Host, SNI and certificate checks);
``HttpxPoster`` resolves and checks first, then pins the request to that address.

Response bodies are read up to ``max_body`` bytes, of which the first ``KEEP``
come back with the status (for the attempt log, and for the services that say in
the body why they refused); a longer body drops its connection instead of being
read to the end.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import SplitResult, urlsplit, urlunsplit

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from services.notify.guard import IPAddress, NetworkGuard

MAX_BODY = 64 * 1024
KEEP = 4096


class PostFailed(Exception):
    """The request did not get an answer (refused, reset, protocol error): retryable."""


@dataclass(frozen=True)
class Reply:
    status: int
    retry_after: str | None
    body: bytes = b""  # the first KEEP bytes of the response body


class Poster(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Reply:
        """POST once. Raises BlockedTarget (refused by the guard), OSError (DNS),
        TimeoutError, or PostFailed."""
        ...

    async def aclose(self) -> None: ...


class GuardedResolver(AbstractResolver):
    """Resolves names through ``NetworkGuard.resolve``: only allowed addresses come back."""

    def __init__(self, guard: NetworkGuard) -> None:
        self._guard = guard

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        addresses = await self._guard.resolve(host, port)  # BlockedTarget / OSError
        return [ResolveResult(hostname=host, host=str(a), port=port,
                              family=socket.AF_INET6 if a.version == 6 else socket.AF_INET,
                              proto=0, flags=socket.AI_NUMERICHOST) for a in addresses]

    async def close(self) -> None:
        return None


class AiohttpPoster:
    """Posts through one aiohttp session (made on first use, in the running loop)."""

    def __init__(self, guard: NetworkGuard, *, max_connections: int = 200,
                 keepalive: float = 30.0, max_body: int = MAX_BODY) -> None:
        self._guard = guard
        self._max_connections = max_connections
        self._keepalive = keepalive
        self._max_body = max_body
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._max_connections, keepalive_timeout=self._keepalive,
                                             resolver=GuardedResolver(self._guard), ttl_dns_cache=10)
            self._session = aiohttp.ClientSession(
                connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False,
                skip_auto_headers=("User-Agent", "Accept-Encoding"))
        return self._session

    async def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Reply:
        session = self._open()
        try:
            async with session.post(url, data=body, headers=headers, allow_redirects=False,
                                    timeout=aiohttp.ClientTimeout(total=timeout, connect=min(timeout, 5.0))
                                    ) as response:
                kept = await _read_some(response, self._max_body)
                return Reply(response.status, response.headers.get("retry-after"), kept)
        except aiohttp.ClientConnectorDNSError as exc:
            raise exc.os_error from exc  # a DNS failure, as OSError
        except aiohttp.ClientError as exc:
            if isinstance(exc, TimeoutError):  # aiohttp's timeouts are both
                raise TimeoutError(str(exc)) from exc
            raise PostFailed(f"{type(exc).__name__}: {exc}") from exc

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


async def _read_some(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read the body to its end for keep-alive, unless it is longer than ``limit``;
    return its first ``KEEP`` bytes."""
    seen, kept = 0, bytearray()
    while not response.content.at_eof():
        chunk = await response.content.read(limit + 1 - seen)
        if not chunk:
            break
        seen += len(chunk)
        kept += chunk[: KEEP - len(kept)]
        if seen > limit:
            response.close()  # the rest is of no interest: drop the connection
            break
    return bytes(kept)


class HttpxPoster:
    """Posts through an httpx client, pinned to the address the guard just checked."""

    def __init__(self, client: httpx.AsyncClient, guard: NetworkGuard, max_body: int = MAX_BODY) -> None:
        self._client = client
        self._guard = guard
        self._max_body = max_body

    async def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Reply:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = await self._guard.resolve(parts.hostname or "", port)
        # Connect to the address just checked, not to whatever the name resolves to a
        # moment later (DNS rebinding); Host header and TLS SNI keep the original name.
        pinned, extensions = _pin(parts, addresses[0])
        headers = {"host": parts.netloc.rpartition("@")[2], **headers}
        try:
            response = await self._client.send(
                self._client.build_request("POST", pinned, content=body, headers=headers,
                                           timeout=timeout, extensions=extensions),
                stream=True, follow_redirects=False)
            kept = await _drain(response, self._max_body)
        except httpx.TimeoutException as exc:
            raise TimeoutError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise PostFailed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from exc
        return Reply(response.status_code, response.headers.get("retry-after"), kept)

    async def aclose(self) -> None:
        await self._client.aclose()


async def _drain(response: httpx.Response, limit: int) -> bytes:
    """Read up to ``limit`` bytes of the body, then close the response; its first ``KEEP`` bytes.

    A body read to its end leaves the connection open for the next alert (HTTP/1.1
    keep-alive); closing the response before that makes httpcore drop the connection.
    """
    seen, kept = 0, bytearray()
    try:
        if response.is_stream_consumed:  # a mock transport hands it over read
            try:
                return response.content[:KEEP]
            except httpx.ResponseNotRead:
                return b""
        async for chunk in response.aiter_raw():
            seen += len(chunk)
            kept += chunk[: KEEP - len(kept)]
            if seen > limit:
                break
    finally:
        await response.aclose()
    return bytes(kept)


def _pin(parts: SplitResult, address: IPAddress) -> tuple[str, dict[str, str]]:
    """The URL with its host replaced by a checked address, and the TLS server name to use."""
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = host + (f":{parts.port}" if parts.port else "")
    extensions = {"sni_hostname": parts.hostname or ""} if parts.scheme == "https" else {}
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), extensions


__all__ = ["AiohttpPoster", "HttpxPoster", "PostFailed", "Poster", "Reply"]
