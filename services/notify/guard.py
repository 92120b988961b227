"""SSRF guard: refuses webhook targets that point into our own network.

A subscriber chooses the webhook URL, so without this guard anyone with an API
key could make the notify service POST to the cloud metadata endpoint, to
localhost admin ports or to the private network. The guard is used twice:

- ``check_url_resolved`` (sync: ``check_url`` without DNS, then what the name
  resolves to now) when a subscription is created or changed, so the API can answer
  422 with the reason;
- ``check_resolved`` (async, DNS) right before every delivery, because a name
  that resolved to a public address yesterday may resolve to 10.0.0.5 today
  (DNS rebinding).

Operators may allow ranges explicitly (e.g. ``127.0.0.0/8`` for the demo).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud metadata services: the single most valuable SSRF target, named apart so the
# error says so (AWS/GCP/Azure share 169.254.169.254; AWS also serves fd00:ec2::254).
_METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
_LOCAL_NAMES = re.compile(r"(?:^|\.)localhost$")
# Names the clouds give their metadata services. Refused by name, before any DNS: inside
# the cloud they resolve to the metadata address, outside they may not resolve at all, so
# an address check alone would let such a subscription in, to fire once deployed there.
METADATA_NAMES = frozenset({
    "metadata", "metadata.google.internal", "metadata.goog",        # Google Cloud
    "instance-data", "instance-data.ec2.internal",                 # AWS
    "metadata.tencentyun.com",                                      # Tencent Cloud
    "metadata.platformequinix.com", "metadata.packet.net",          # Equinix Metal
})


class BlockedTarget(ValueError):
    """A webhook target the guard refuses; the message names the URL/host and why."""


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Parse ``"127.0.0.0/8, 10.0.0.0/8"`` (commas and/or spaces) into networks.

    A bare address counts as a single-host network. Raises ``ValueError`` naming
    the item that is not a network, so config fails loudly at start.
    """
    networks: list[IPNetwork] = []
    for item in re.split(r"[,\s]+", text.strip()):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"not an IP network: {item!r}") from None
    return tuple(networks)


def why_blocked(addr: IPAddress) -> str | None:
    """The reason ``addr`` is not a public unicast address, or None if it is."""
    # ::ffff:10.0.0.1 reaches 10.0.0.1 on dual-stack sockets: judge the IPv4 inside.
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    checks = (
        (addr in _METADATA, "a cloud metadata address"),
        (addr.is_unspecified, "an unspecified address"),
        (addr.is_loopback, "a loopback address"),
        (addr.is_link_local, "a link-local address"),
        (addr.is_multicast, "a multicast address"),
        # Before is_private, which also covers 240.0.0.0/4: name the more specific reason.
        (addr.is_reserved, "a reserved address"),
        (addr.is_private, "a private address"),
        # Catch-all for ranges none of the above name, e.g. 100.64.0.0/10 (carrier NAT).
        (not addr.is_global, "not a globally routable address"),
    )
    return next((reason for hit, reason in checks if hit), None)


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    # Resolvers accept legacy IPv4 spellings ("127.1", "2130706433", "0x7f.0.0.1");
    # read them the way the resolver will, or they would slip past the syntactic check.
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def _check_name(host: str, target: str) -> None:
    if host in METADATA_NAMES:
        raise BlockedTarget(f"refusing webhook target {target}: {host} is the name of a cloud "
                            "metadata service")


class NetworkGuard:
    """Decides whether a webhook target may be contacted.

    ``allowed`` networks are exempt from every rule (an operator's explicit choice).
    """

    def __init__(self, allowed: Sequence[IPNetwork] = ()) -> None:
        self._allowed = tuple(allowed)

    def _check_address(self, addr: IPAddress, target: str) -> None:
        if any(addr in net for net in self._allowed):
            return
        reason = why_blocked(addr)
        if reason is not None:
            raise BlockedTarget(
                f"refusing webhook target {target}: {addr} is {reason} "
                "(allow its network explicitly to deliver there)"
            )

    def check_url(self, url: str) -> None:
        """Syntactic check without DNS: scheme, host, metadata names, literal or local hosts."""
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - evaluated only because it raises on a bad port
        except ValueError as exc:
            raise BlockedTarget(f"refusing webhook target {url!r}: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise BlockedTarget(f"refusing webhook target {url!r}: scheme must be http or https")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise BlockedTarget(f"refusing webhook target {url!r}: no host")
        _check_name(host, url)
        if _LOCAL_NAMES.search(host):
            # RFC 6761: *.localhost always means this machine, whatever DNS says.
            self._check_address(ipaddress.ip_address("127.0.0.1"), url)
            return
        addr = _literal_ip(host)
        if addr is not None:
            self._check_address(addr, url)

    def check_url_resolved(self, url: str) -> None:
        """``check_url``, then every address the name resolves to now (blocking DNS).

        For sign-up: a name a hosts file or a DNS record points at 10.0.0.5 is refused
        at once. A name that does not resolve (yet) passes: whatever it resolves to is
        checked again before every delivery.
        """
        self.check_url(url)
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        if _literal_ip(host) is not None or _LOCAL_NAMES.search(host):
            return  # judged by check_url already
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError:
            return
        for *_, sockaddr in infos:
            self._check_address(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]), url)

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Resolve ``host`` and check every address; return them if all pass.

        Every address is checked, not just the first: the HTTP client may pick any.
        DNS failures propagate as ``OSError`` (``socket.gaierror``): they are
        transient, not a verdict on the target.
        """
        literal = _literal_ip(host)
        if literal is not None:
            self._check_address(literal, host)
            return [literal]
        _check_name(host.rstrip(".").lower(), host)
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )
        addrs: list[IPAddress] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            # Strip an IPv6 zone id ("fe80::1%eth0"): ip_address rejects it.
            addr = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            self._check_address(addr, host)
            if addr not in addrs:
                addrs.append(addr)
        if not addrs:
            raise socket.gaierror(f"{host} resolved to no addresses")
        return addrs

    async def check_resolved(self, host: str, port: int) -> None:
        """Raise ``BlockedTarget`` if any address ``host`` resolves to is refused."""
        await self.resolve(host, port)
