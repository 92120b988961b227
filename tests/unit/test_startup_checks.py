"""Startup checks: a busy port or a silent dependency gives one line naming the setting."""

from __future__ import annotations

import logging
import socket

import pytest

from frontwire.startup import StartupError, bind, check_port, tcp_problem, wait_until


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_busy_port_names_the_setting_and_what_to_do() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(StartupError) as info:
            check_port("127.0.0.1", port, "FRONTWIRE_API_PORT")
    message = str(info.value)
    assert message.startswith(f"FRONTWIRE_API_PORT: port {port} on 127.0.0.1 is already in use")
    assert "set FRONTWIRE_API_PORT to a free port" in message


def test_a_free_port_binds_and_port_zero_is_not_checked() -> None:
    sock = bind("127.0.0.1", 0, "FRONTWIRE_API_PORT")
    try:
        assert sock.getsockname()[1] > 0
    finally:
        sock.close()
    check_port("127.0.0.1", 0, "FRONTWIRE_INGEST_METRICS_PORT")


def test_an_address_not_of_this_machine_is_named() -> None:
    with pytest.raises(StartupError, match="not an address of this machine"):
        check_port("192.0.2.1", 8080, "FRONTWIRE_API_PORT")  # TEST-NET-1: never local


def test_wait_until_gives_up_after_the_timeout_naming_the_setting(caplog) -> None:
    clock = FakeClock()
    caplog.set_level(logging.WARNING, "frontwire.startup")
    with pytest.raises(StartupError) as info:
        wait_until("Kafka at k:9092", "FRONTWIRE_KAFKA_BOOTSTRAP", lambda: "connection refused",
                   timeout=30, clock=clock, sleep=clock.sleep)
    assert str(info.value).startswith("FRONTWIRE_KAFKA_BOOTSTRAP: Kafka at k:9092 did not answer "
                                      "within 30s (connection refused)")
    said = [r.getMessage() for r in caplog.records]
    assert 6 <= len(said) <= 7  # one line every 5 s, not one per attempt
    assert said[0] == ("waiting for Kafka at k:9092 (FRONTWIRE_KAFKA_BOOTSTRAP): connection "
                       "refused; giving up in 30s")


def test_wait_until_returns_once_the_dependency_answers() -> None:
    clock = FakeClock()
    answers = iter(["refused", "refused", None])
    wait_until("x", "FRONTWIRE_X", lambda: next(answers), timeout=30, clock=clock,
               sleep=clock.sleep)
    assert clock.now == 1.0


def test_tcp_problem_says_why_each_server_failed() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        live = f"127.0.0.1:{listener.getsockname()[1]}"
        assert tcp_problem(live) is None
    problem = tcp_problem(f"{live},bad")
    assert problem is not None and "connection refused" in problem and "bad:" in problem
