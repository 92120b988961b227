"""Consumer lag of a faust worker, per topic and partition, as Prometheus gauges.

Lag is the partition's end offset (the offset the next produced record will get)
minus the offset the consumer group would resume from: its committed offset, or,
before its first commit, the log start (the group resets to earliest). That is
the count of records a restart would (re)process, as Kafka's own tools report it.
Each worker reports only the partitions assigned to it, so summing over instances
gives the group's lag; partitions taken away by a rebalance drop out.

The end offset is the larger of a ListOffsets answer (which keeps growing while the
agent is stuck and fetches stop) and the high watermark of the last fetch. On the
embedded tansu broker ListOffsets can trail the true end by up to a batch and the
fetch high watermark goes stale while fetching is paused, so there the figure is
approximate (it can read low); on Apache Kafka it is exact to the refresh interval.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, Gauge

log = logging.getLogger("frontwire.lag")
INTERVAL_S = 5.0
_LEADER_TOPIC = "__assignor-__leader"  # faust's own coordination topic


@dataclass
class LagMetrics:
    lag: Gauge
    _reported: set[tuple[str, str]] = field(default_factory=set)

    def report(self, lags: Mapping[Any, int]) -> None:
        """Set the gauge for each (topic, partition) given; drop the ones no longer assigned."""
        current = {(tp.topic, str(tp.partition)): max(0, value) for tp, value in lags.items()}
        for labels in self._reported - current.keys():
            self.lag.remove(*labels)
        for labels, value in current.items():
            self.lag.labels(*labels).set(value)
        self._reported = set(current)


def lag_metrics(registry: CollectorRegistry) -> LagMetrics:
    return LagMetrics(Gauge("frontwire_consumer_lag_records",
                            "Records in the partition not yet processed by this consumer group",
                            ["topic", "partition"], registry=registry))


def _fetch_highwater(consumer: Any, tp: Any) -> int | None:
    try:
        value = consumer.highwater(tp)
    except Exception:  # noqa: BLE001 - partition revoked meanwhile, or never fetched
        return None
    return None if value is None else int(value)


async def _listed_ends(consumer: Any, tps: list[Any], timeout: float) -> Mapping[Any, int]:
    try:
        return dict(await asyncio.wait_for(consumer.highwaters(*tps), timeout))
    except Exception as exc:  # noqa: BLE001 - any broker hiccup: the fetch high watermark will do
        log.debug("end offsets unavailable: %s", exc)
        return {}


async def measure(consumer: Any, timeout: float = 5.0) -> dict[Any, int]:
    """Lag of every partition assigned to consumer; partitions with no known end are left out."""
    tps = sorted((tp for tp in consumer.assignment() if not tp.topic.endswith(_LEADER_TOPIC)),
                 key=lambda t: (t.topic, t.partition))
    if not tps:
        return {}
    listed = await _listed_ends(consumer, tps, timeout)
    starts: dict[Any, int] = {tp: int(o) for tp in tps
                              if (o := consumer._committed_offset.get(tp)) is not None}
    uncommitted = [tp for tp in tps if tp not in starts]
    if uncommitted:  # no commit yet: a restart would begin at the log start (auto reset earliest)
        try:
            earliest = await asyncio.wait_for(consumer.earliest_offsets(*uncommitted), timeout)
            starts.update({tp: int(o) for tp, o in earliest.items() if o is not None})
        except Exception as exc:  # noqa: BLE001
            log.debug("earliest offsets unavailable: %s", exc)
    lags: dict[Any, int] = {}
    for tp in tps:
        ends = [e for e in (listed.get(tp), _fetch_highwater(consumer, tp)) if e is not None]
        if ends and tp in starts:
            lags[tp] = max(ends) - starts[tp]
    return lags


def install_lag_metrics(app: Any, registry: CollectorRegistry,
                        interval: float = INTERVAL_S) -> LagMetrics:
    """Register the lag gauge and a faust timer on app that refreshes it every interval seconds."""
    metrics = lag_metrics(registry)

    async def report_consumer_lag() -> None:
        try:
            lags = await measure(app.consumer)
        except Exception as exc:  # noqa: BLE001 - not started or rebalancing: try next tick
            log.debug("consumer lag not measured: %s", exc)
            return
        metrics.report(lags)

    app.timer(interval=interval)(report_consumer_lag)  # faust's decorator, called plainly: typed
    return metrics
