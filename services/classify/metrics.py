"""The classify service's Prometheus metrics, registered on the registry passed in."""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram


@dataclass(frozen=True)
class ClassifyMetrics:
    classified: Counter
    labelled: Counter
    duration: Histogram
    deadletter: Counter


def classify_metrics(registry: CollectorRegistry) -> ClassifyMetrics:
    return ClassifyMetrics(
        classified=Counter("frontwire_updates_classified_total", "Updates classified",
                           registry=registry),
        labelled=Counter("frontwire_updates_labelled_total", "Labels decided, per label",
                         ["label"], registry=registry),
        duration=Histogram("frontwire_classification_duration_seconds",
                           "Time the classifier core takes per update",
                           buckets=(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
                           registry=registry),
        deadletter=Counter("frontwire_deadletter_total", "Records sent to the dead-letter topic",
                           ["topic", "reason"], registry=registry),
    )
