"""The SSRF guard: which webhook targets are refused, and why."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Any

import pytest

from services.notify.guard import BlockedTarget, NetworkGuard, parse_networks, why_blocked


def test_parse_networks_reads_commas_spaces_and_bare_addresses() -> None:
    nets = parse_networks("127.0.0.0/8, 10.0.0.0/8 ::1  192.168.1.7")
    assert [str(n) for n in nets] == ["127.0.0.0/8", "10.0.0.0/8", "::1/128", "192.168.1.7/32"]
    assert parse_networks("") == ()


def test_parse_networks_names_the_bad_item() -> None:
    with pytest.raises(ValueError, match="'10.0.0.0/33'"):
        parse_networks("127.0.0.0/8, 10.0.0.0/33")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[fd00:ec2::254]/", "cloud metadata"),
        ("http://localhost/", "loopback"),
        ("http://api.localhost:8080/", "loopback"),
        ("http://LOCALHOST./", "loopback"),
        ("http://127.0.0.1:9000/hook", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://127.1/", "loopback"),  # legacy spellings resolvers accept
        ("http://2130706433/", "loopback"),
        ("http://0x7f.0.0.1/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("https://192.168.1.20/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://169.254.10.10/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not a globally routable"),
    ],
)
def test_check_url_refuses_internal_targets_naming_the_reason(url: str, reason: str) -> None:
    with pytest.raises(BlockedTarget, match=reason):
        NetworkGuard().check_url(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("https:///path-only", "no host"),
        ("https://example.com:99999/", "out of range"),
        ("example.com/hook", "scheme"),
    ],
)
def test_check_url_refuses_malformed_urls(url: str, reason: str) -> None:
    with pytest.raises(BlockedTarget, match=reason):
        NetworkGuard().check_url(url)


@pytest.mark.parametrize("url", ["https://hooks.example.com/x", "http://93.184.216.34:8080/",
                                 "https://[2606:4700:4700::1111]/"])
def test_check_url_accepts_public_targets(url: str) -> None:
    NetworkGuard().check_url(url)


def test_allowed_networks_exempt_only_themselves() -> None:
    guard = NetworkGuard(parse_networks("127.0.0.0/8"))
    guard.check_url("http://localhost:8080/hook")
    guard.check_url("http://127.0.0.1/")
    with pytest.raises(BlockedTarget, match="private"):
        guard.check_url("http://10.0.0.1/")
    with pytest.raises(BlockedTarget, match="loopback"):
        guard.check_url("http://[::1]/")


def test_blocked_target_is_a_value_error_for_api_422_handling() -> None:
    assert issubclass(BlockedTarget, ValueError)
    assert why_blocked(ipaddress.ip_address("8.8.8.8")) is None


def _fake_resolver(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    asked: list[str] = []

    async def getaddrinfo(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in answers[host]]

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", getaddrinfo)
    return asked


async def test_check_resolved_refuses_a_name_that_resolves_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(monkeypatch, {"rebind.example": ["10.1.2.3"]})
    with pytest.raises(BlockedTarget, match=r"rebind\.example: 10\.1\.2\.3 is a private address"):
        await NetworkGuard().check_resolved("rebind.example", 443)


async def test_check_resolved_refuses_if_any_address_is_inside(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(monkeypatch, {"mixed.example": ["93.184.216.34", "fe80::1%eth0"]})
    with pytest.raises(BlockedTarget, match="link-local"):
        await NetworkGuard().check_resolved("mixed.example", 443)


async def test_check_resolved_resolves_at_every_call(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fake_resolver(monkeypatch, {"hooks.example": ["93.184.216.34"]})
    guard = NetworkGuard()
    await guard.check_resolved("hooks.example", 443)
    await guard.check_resolved("hooks.example", 443)
    assert asked == ["hooks.example", "hooks.example"]


async def test_check_resolved_lets_dns_failures_through_as_os_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_resolver(monkeypatch, {})
    with pytest.raises(OSError):
        await NetworkGuard().check_resolved("nxdomain.example", 443)


async def test_check_resolved_checks_literals_without_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fake_resolver(monkeypatch, {})
    with pytest.raises(BlockedTarget, match="metadata"):
        await NetworkGuard().check_resolved("169.254.169.254", 80)
    assert asked == []


@pytest.mark.parametrize("url", [
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.google.internal./",
    "http://metadata/computeMetadata/v1/",
    "http://metadata.goog/",
    "http://instance-data/latest/meta-data/",
    "https://instance-data.ec2.internal/",
    "http://metadata.tencentyun.com/",
    "https://metadata.platformequinix.com/metadata",
])
def test_check_url_refuses_metadata_names_without_resolving_them(
        url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the name check must not need DNS")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(BlockedTarget, match="cloud metadata service"):
        NetworkGuard(parse_networks("0.0.0.0/0")).check_url(url)  # even with everything allowed


def test_names_that_merely_contain_metadata_are_not_refused() -> None:
    for url in ("https://metadata.example.org/hook", "https://hooks.example.org/metadata",
                "https://my-metadata.google.com/"):
        NetworkGuard().check_url(url)


async def test_check_resolved_refuses_metadata_names_before_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_dns(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the name check must not need DNS")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", no_dns)
    with pytest.raises(BlockedTarget, match="cloud metadata service"):
        await NetworkGuard().check_resolved("metadata.google.internal.", 80)
