"""Consumer lag per topic and partition: end offset minus where the group resumes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from faust.types import TP
from prometheus_client import CollectorRegistry

from services.runtime.lag import install_lag_metrics, lag_metrics, measure

UPDATES = "frontwire.updates.v1"


class FakeConsumer:
    """Just the part of faust's consumer that lag reads."""

    def __init__(self, ends: dict[TP, int], *, fetched: dict[TP, int] | None = None,
                 list_offsets_fails: bool = False) -> None:
        self.ends = ends
        self.fetched = fetched or {}
        self.list_offsets_fails = list_offsets_fails
        self._committed_offset: dict[TP, int | None] = defaultdict(lambda: None)
        self.log_start: dict[TP, int] = defaultdict(int)

    def assignment(self) -> set[TP]:
        return set(self.ends) | {TP("frontwire-notify-__assignor-__leader", 0)}

    async def highwaters(self, *tps: TP) -> Mapping[TP, int]:
        if self.list_offsets_fails:
            raise TimeoutError("broker busy")
        return {tp: self.ends[tp] for tp in tps if tp in self.ends}

    def highwater(self, tp: TP) -> int | None:
        return self.fetched.get(tp)

    async def earliest_offsets(self, *tps: TP) -> Mapping[TP, int]:
        return {tp: self.log_start[tp] for tp in tps}


def value(registry: CollectorRegistry, topic: str, partition: int) -> float | None:
    return registry.get_sample_value("frontwire_consumer_lag_records",
                                     {"topic": topic, "partition": str(partition)})


async def test_lag_is_end_offset_minus_committed_offset() -> None:
    p0, p1 = TP(UPDATES, 0), TP(UPDATES, 1)
    consumer = FakeConsumer({p0: 120, p1: 40})
    consumer._committed_offset[p0] = 100
    consumer._committed_offset[p1] = 40
    assert await measure(consumer) == {p0: 20, p1: 0}


async def test_before_the_first_commit_lag_counts_from_the_log_start() -> None:
    tp = TP(UPDATES, 0)
    consumer = FakeConsumer({tp: 50})
    consumer.log_start[tp] = 8
    assert await measure(consumer) == {tp: 42}


async def test_end_is_the_larger_of_list_offsets_and_the_fetch_high_watermark() -> None:
    behind, stale = TP(UPDATES, 0), TP(UPDATES, 1)
    consumer = FakeConsumer({behind: 2, stale: 30}, fetched={behind: 5, stale: 20})
    assert await measure(consumer) == {behind: 5, stale: 30}


async def test_falls_back_to_the_fetch_high_watermark_when_list_offsets_fails() -> None:
    tp, never_fetched = TP(UPDATES, 0), TP(UPDATES, 1)
    consumer = FakeConsumer({tp: 99, never_fetched: 5}, fetched={tp: 10},
                            list_offsets_fails=True)
    consumer._committed_offset[tp] = 4
    assert await measure(consumer) == {tp: 6}


def test_report_sets_gauges_and_drops_partitions_lost_in_a_rebalance() -> None:
    registry = CollectorRegistry()
    metrics = lag_metrics(registry)
    metrics.report({TP(UPDATES, 0): 3, TP(UPDATES, 1): 9})
    assert (value(registry, UPDATES, 0), value(registry, UPDATES, 1)) == (3, 9)
    metrics.report({TP(UPDATES, 1): 2})
    assert value(registry, UPDATES, 0) is None
    assert value(registry, UPDATES, 1) == 2


def test_install_registers_a_timer_on_the_app() -> None:
    timers: list[float] = []

    class App:
        def timer(self, interval: float):  # type: ignore[no-untyped-def]
            timers.append(interval)
            return lambda fn: fn

    registry = CollectorRegistry()
    install_lag_metrics(App(), registry, interval=2.0)
    assert timers == [2.0]
    assert registry.get_sample_value("frontwire_consumer_lag_records", {"topic": "t",
                                                                        "partition": "0"}) is None
