"""The notify service's Prometheus metrics, registered on the registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

# Sub-second to hours: the goal is seconds, retries reach hours.
E2E_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 7200)
ATTEMPT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass(frozen=True)
class NotifyMetrics:
    alerts_matched: Counter
    alerts: Counter
    deliveries: Counter
    attempt_latency: Histogram
    end_to_end: Histogram
    retries_pending: Gauge
    deadletter: Counter
    classified_seen: Counter
    subscriptions_disabled: Counter
    rate_limited: Counter
    owner_notices: Counter
    attempts_pruned: Counter


def notify_metrics(registry: CollectorRegistry) -> NotifyMetrics:
    return NotifyMetrics(
        alerts_matched=Counter("frontwire_alerts_matched_total", "Alerts created by matching",
                               ["label", "channel"], registry=registry),
        alerts=Counter("frontwire_alerts_total", "Alerts created (one per subscription and story)",
                       ["channel"], registry=registry),
        deliveries=Counter("frontwire_deliveries_total", "Delivery attempts by outcome",
                           ["channel", "outcome"], registry=registry),
        attempt_latency=Histogram("frontwire_delivery_latency_seconds",
                                  "Duration of one delivery attempt", ["channel"],
                                  buckets=ATTEMPT_BUCKETS, registry=registry),
        end_to_end=Histogram("frontwire_end_to_end_latency_seconds",
                             "From an update's first sighting to its alert's delivery",
                             ["channel"], buckets=E2E_BUCKETS, registry=registry),
        retries_pending=Gauge("frontwire_retries_pending", "Deliveries waiting for a retry",
                              registry=registry),
        deadletter=Counter("frontwire_deadletter_total", "Records sent to the dead-letter topic",
                           ["topic", "reason"], registry=registry),
        classified_seen=Counter("frontwire_notify_updates_seen_total",
                                "Classified updates read by notify", registry=registry),
        subscriptions_disabled=Counter(
            "frontwire_subscriptions_disabled_total",
            "Subscriptions disabled by delivery: the destination is gone, or failing past the "
            "deadline", ["channel", "reason"], registry=registry),
        rate_limited=Counter("frontwire_deliveries_rate_limited_total",
                             "Deliveries put back for their destination's rate limit",
                             ["channel"], registry=registry),
        owner_notices=Counter("frontwire_owner_notices_total",
                              "Mails telling owners a destination was disabled, by outcome",
                              ["outcome"], registry=registry),
        attempts_pruned=Counter("frontwire_delivery_attempts_pruned_total",
                                "Delivery attempts forgotten after the retention period",
                                registry=registry),
    )
