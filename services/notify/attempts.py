"""The attempt log: every try at every delivery (when, channel, status code or error
class, latency, the start of the response), written with each outcome by
``DeliveryStore.record_many`` and pruned after the retention period."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, delete, select

from schemas.models import Delivery, DeliveryAttempt
from services.runtime.db import delivery_attempts as log
from services.runtime.timeutil import aware


class AttemptLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of(self, delivery_ids: Sequence[str]) -> dict[str, list[DeliveryAttempt]]:
        """The attempts of these deliveries, oldest first, by delivery id."""
        out: dict[str, list[DeliveryAttempt]] = {d: [] for d in delivery_ids}
        if not delivery_ids:
            return out
        query = select(log).where(log.c.delivery_id.in_(list(delivery_ids))).order_by(log.c.id)
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                out[row["delivery_id"]].append(DeliveryAttempt(
                    attempt=row["attempt"], at=aware(row["at"]), channel=row["channel"],
                    outcome=row["outcome"], status_code=row["status_code"],
                    error_class=row["error_class"], error=row["error"],
                    latency_ms=row["latency_ms"], response=row["response"]))
        return out

    def attach(self, found: Sequence[Delivery]) -> list[Delivery]:
        """The deliveries with their attempt logs filled in."""
        attempts = self.of([d.id for d in found])
        return [d.model_copy(update={"attempt_log": attempts[d.id]}) for d in found]

    def prune(self, before: datetime) -> int:
        """Forget attempts made before ``before`` (the retention period's start)."""
        with self.engine.begin() as conn:
            return int(conn.execute(delete(log).where(log.c.at < before)).rowcount)
