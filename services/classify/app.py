"""The classify service: a thin faust agent around the pure classifier core.

Decode an Update, classify it, send the ClassifiedUpdate keyed by update id.
Malformed records go to the dead-letter topic with the reason.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry

from schemas.envelope import encode
from schemas.models import Update
from schemas.topics import CLASSIFIED, DEADLETTER, UPDATES
from services.classify.core import Classifier
from services.classify.metrics import ClassifyMetrics, classify_metrics
from services.runtime.config import Settings
from services.runtime.lag import install_lag_metrics
from services.runtime.streams import FrontwireApp, decoded, make_app, raw_topic
from services.runtime.timeutil import utcnow


@dataclass
class ClassifyService:
    app: FrontwireApp
    classifier: Classifier
    metrics: ClassifyMetrics


def build(settings: Settings, bootstrap: str, registry: CollectorRegistry,
          *, classifier: Classifier | None = None,
          app_overrides: dict[str, Any] | None = None) -> ClassifyService:
    app = make_app("classify", settings, bootstrap, **(app_overrides or {}))
    core = classifier or Classifier()
    metrics = classify_metrics(registry)
    install_lag_metrics(app, registry)
    updates = raw_topic(app, UPDATES)
    classified_topic = raw_topic(app, CLASSIFIED)
    dead_topic = raw_topic(app, DEADLETTER)

    def on_dead(topic: str, reason: str) -> None:
        metrics.deadletter.labels(topic, reason).inc()

    @app.agent(updates)
    async def classify_updates(stream: Any) -> None:
        async for _event, ce in decoded(stream, Update, UPDATES, dead_topic, "classify", on_dead):
            started = time.perf_counter()
            result = core.classify(ce.data, classified_at=utcnow())
            metrics.duration.observe(time.perf_counter() - started)
            metrics.classified.inc()
            for label in result.labels:
                metrics.labelled.labels(label.value).inc()
            await classified_topic.send(key=result.update.id.encode(), value=encode(
                result, type=CLASSIFIED.event_type, source="frontwire/classify",
                subject=result.update.id))

    return ClassifyService(app, core, metrics)
