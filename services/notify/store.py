"""SQL storage of subscriptions and deliveries (SQLite or PostgreSQL, one code path).

Deliveries double as the durable retry schedule: a row is pending until it is
delivered or given up on, with ``next_attempt_at`` saying when to try again, so a
restart resumes exactly where it stopped. Workers claim due rows with a lease, so
two notify workers never send the same delivery at the same time.
"""

from __future__ import annotations

import builtins
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from schemas.models import Alert, Delivery, DeliveryAttempt, Subscription
from services.runtime.db import (
    counters,
    deliveries,
    delivery_attempts,
    dialect_insert,
    subscriptions,
)
from services.runtime.timeutil import aware


class NotFound(LookupError):
    pass


class Keep:
    """``SubscriptionStore.replace(secret=KEEP)``: leave the stored secret as it is."""


KEEP = Keep()


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(10)}"


def new_webhook_secret() -> str:
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


@dataclass(frozen=True)
class StoredSubscription:
    subscription: Subscription
    owner: str
    secret: str | None
    previous_secret: str | None = None
    previous_until: datetime | None = None

    def signing_secrets(self, now: datetime) -> list[str]:
        """The current secret, plus the previous one during a rotation's grace period."""
        out = [self.secret] if self.secret else []
        if self.previous_secret and self.previous_until and now < self.previous_until:
            out.append(self.previous_secret)
        return out


class SubscriptionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, sub: Subscription, owner: str, secret: str | None) -> None:
        """Store a new subscription; ``secret`` is its signing secret or channel credential."""
        with self.engine.begin() as conn:
            conn.execute(insert(subscriptions).values(
                id=sub.id, owner=owner, name=sub.name, channel=sub.channel, target=sub.destination,
                secret=secret, spec=sub.model_dump(mode="json"), status=sub.status,
                disabled_reason=sub.disabled_reason, created_at=sub.created_at,
                updated_at=sub.created_at))
            _bump(conn)

    def get(self, sub_id: str, owner: str | None = None) -> StoredSubscription:
        query = select(subscriptions).where(subscriptions.c.id == sub_id)
        if owner is not None:
            query = query.where(subscriptions.c.owner == owner)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no subscription {sub_id!r}")
        return _stored(row)

    def list(self, owner: str | None = None, limit: int = 100, after: str | None = None
             ) -> list[StoredSubscription]:
        query = select(subscriptions).order_by(subscriptions.c.id).limit(limit)
        if owner is not None:
            query = query.where(subscriptions.c.owner == owner)
        if after:
            query = query.where(subscriptions.c.id > after)
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query).mappings()]

    def active(self) -> builtins.list[StoredSubscription]:
        query = select(subscriptions).where(subscriptions.c.status == "active")
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query).mappings()]

    def replace(self, sub: Subscription, now: datetime, *, secret: str | None | Keep = KEEP) -> None:
        """Store a changed subscription (same id and owner; the same secret unless a new
        channel credential, or None for none, is given)."""
        values: dict[str, Any] = {} if isinstance(secret, Keep) else {"secret": secret}
        with self.engine.begin() as conn:
            done = conn.execute(update(subscriptions).where(subscriptions.c.id == sub.id).values(
                name=sub.name, channel=sub.channel, target=sub.destination,
                spec=sub.model_dump(mode="json"), status=sub.status,
                disabled_reason=sub.disabled_reason, updated_at=now, **values)).rowcount
            _bump(conn)
        if not done:
            raise NotFound(f"no subscription {sub.id!r}")

    def rotate_secret(self, sub_id: str, new_secret: str, grace: timedelta, now: datetime) -> None:
        with self.engine.begin() as conn:
            row = conn.execute(select(subscriptions.c.secret).where(subscriptions.c.id == sub_id)).first()
            if row is None:
                raise NotFound(f"no subscription {sub_id!r}")
            conn.execute(update(subscriptions).where(subscriptions.c.id == sub_id).values(
                secret=new_secret, previous_secret=row[0], previous_until=now + grace, updated_at=now))
            _bump(conn)

    def delete(self, sub_id: str, owner: str | None = None) -> None:
        cond = subscriptions.c.id == sub_id
        if owner is not None:
            cond = and_(cond, subscriptions.c.owner == owner)
        with self.engine.begin() as conn:
            if conn.execute(delete(subscriptions).where(cond)).rowcount == 0:
                raise NotFound(f"no subscription {sub_id!r}")
            _bump(conn)

    def disable(self, sub_id: str, reason: str, now: datetime) -> bool:
        """Disable with ``reason``; True if it was not disabled before (tell its owner once)."""
        with self.engine.begin() as conn:
            row = conn.execute(select(subscriptions.c.spec, subscriptions.c.status)
                               .where(subscriptions.c.id == sub_id)).first()
            if row is None:
                return False
            spec = dict(row[0], status="disabled", disabled_reason=reason)
            conn.execute(update(subscriptions).where(subscriptions.c.id == sub_id).values(
                status="disabled", disabled_reason=reason, spec=spec, updated_at=now))
            _bump(conn)
        return bool(row[1] != "disabled")

    def delete_pending(self, created_before: datetime) -> int:
        """Forget sign-ups never confirmed (double opt-in) that were made before the cutoff."""
        with self.engine.begin() as conn:
            gone = int(conn.execute(delete(subscriptions).where(and_(
                subscriptions.c.status == "pending",
                subscriptions.c.created_at < created_before))).rowcount)
            if gone:
                _bump(conn)
            return gone

    def version(self) -> int:
        """Changes whenever a subscription is added, changed or removed: one row to read."""
        with self.engine.connect() as conn:
            value = conn.execute(select(counters.c.value).where(
                counters.c.name == _SUBSCRIPTIONS)).scalar()
        return int(value or 0)


_SUBSCRIPTIONS = "subscriptions"


def _bump(conn: Any) -> None:
    """Count a change to the subscriptions table, in the transaction that made it."""
    conn.execute(update(counters).where(counters.c.name == _SUBSCRIPTIONS)
                 .values(value=counters.c.value + 1))


def _stored(row: Any) -> StoredSubscription:
    return StoredSubscription(Subscription.model_validate(row["spec"]), row["owner"], row["secret"],
                              row["previous_secret"], aware(row["previous_until"]))


_NEVER_TRIED = {"last_status_code": None, "last_error": None, "latency_ms": None, "delivered_at": None}


class Pending(NamedTuple):
    """An alert to record as a delivery: due at ``send_at``, or held for a digest."""

    alert: Alert
    first_seen_at: datetime | None
    send_at: datetime
    held: bool = False


class Outcome(NamedTuple):
    """What an attempt ended in, for ``DeliveryStore.record_many``; ``attempt`` goes on
    record in the attempt log (None when nothing was sent: a closed or deferred delivery)."""

    delivery_id: str
    status: str
    attempts: int
    status_code: int | None
    error: str | None
    latency_ms: float | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    attempt: DeliveryAttempt | None = None


class DeliveryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_pending(self, alert: Alert, now: datetime, first_seen_at: datetime | None,
                    *, send_at: datetime | None = None, held: bool = False) -> bool:
        """Record an alert to deliver (at ``send_at``, or held for a digest until then).

        False if this alert id is already known: a replay, or a later report of a story.
        """
        item = Pending(alert, first_seen_at, send_at or now, held)
        return bool(self.add_pending_many([item], now))

    def add_pending_many(self, items: Sequence[Pending], now: datetime,
                         claim_for: timedelta | None = None) -> dict[str, Delivery]:
        """Record many alerts in one transaction; the new ones' deliveries by alert id.

        Alert ids already known are skipped (replays, later reports of a story). With
        ``claim_for``, the new deliveries due now are leased to the caller at once, so it
        can send them without claiming them back from the table.
        """
        rows: list[dict[str, Any]] = []
        for item in {i.alert.id: i for i in items}.values():  # one row per alert id
            due_now = not item.held and item.send_at <= now
            rows.append({
                "id": new_id("dlv"), "alert_id": item.alert.id,
                "subscription_id": item.alert.subscription_id, "channel": item.alert.channel,
                "status": "held" if item.held else "pending", "attempts": 0,
                "next_attempt_at": item.send_at, "created_at": now,
                "first_seen_at": item.first_seen_at, "payload": item.alert.model_dump_json(),
                "lease_until": now + claim_for if claim_for is not None and due_now else None})
        if not rows:
            return {}
        with self.engine.begin() as conn:
            stmt = dialect_insert(conn, deliveries).on_conflict_do_nothing().returning(deliveries.c.alert_id)
            added = {r[0] for r in conn.execute(stmt, rows)} if len(rows) > 1 else \
                {r[0] for r in conn.execute(stmt, rows[0])}
        return {r["alert_id"]: _delivery(r | _NEVER_TRIED) for r in rows if r["alert_id"] in added}

    def due_held(self, now: datetime, limit: int = 1000) -> dict[str, list[tuple[str, Alert]]]:
        """Held alerts whose digest window has ended, by subscription."""
        query = (select(deliveries.c.id, deliveries.c.subscription_id, deliveries.c.payload)
                 .where(and_(deliveries.c.status == "held", deliveries.c.next_attempt_at <= now))
                 .order_by(deliveries.c.created_at).limit(limit))
        out: dict[str, list[tuple[str, Alert]]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                out.setdefault(row.subscription_id, []).append(
                    (row.id, Alert.model_validate_json(row.payload)))
        return out

    def compose_digest(self, item_ids: list[str], digest: Alert, now: datetime) -> bool:
        """Queue the digest and mark its items digested, at once; False if already done."""
        try:
            with self.engine.begin() as conn:
                conn.execute(update(deliveries).where(and_(
                    deliveries.c.id.in_(item_ids), deliveries.c.status == "held")).values(status="digested"))
                conn.execute(insert(deliveries).values(
                    id=new_id("dlv"), alert_id=digest.id, subscription_id=digest.subscription_id,
                    channel=digest.channel, status="pending", attempts=0, next_attempt_at=now,
                    created_at=now, first_seen_at=None, payload=digest.model_dump_json()))
            return True
        except IntegrityError:
            return False

    def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[tuple[Delivery, Alert]]:
        """Take up to ``limit`` due deliveries for this worker, leased until now + lease."""
        due = and_(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now,
                   or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < now))
        with self.engine.begin() as conn:
            ids = [r[0] for r in conn.execute(select(deliveries.c.id).where(due)
                                              .order_by(deliveries.c.next_attempt_at).limit(limit))]
            if not ids:
                return []
            # The WHERE repeats the due test: of two workers racing for a row, one takes it.
            rows = conn.execute(update(deliveries).where(and_(deliveries.c.id.in_(ids), due))
                                .values(lease_until=now + lease).returning(*deliveries.c)).mappings().all()
        order = {delivery_id: i for i, delivery_id in enumerate(ids)}
        return [(_delivery(r), Alert.model_validate_json(r["payload"]))
                for r in sorted(rows, key=lambda r: order[r["id"]])]

    def record(self, delivery_id: str, *, status: str, attempts: int, status_code: int | None,
               error: str | None, latency_ms: float | None, next_attempt_at: datetime | None,
               delivered_at: datetime | None) -> None:
        self.record_many([Outcome(delivery_id, status, attempts, status_code, error, latency_ms,
                                  next_attempt_at, delivered_at)])

    def record_many(self, outcomes: Sequence[Outcome]) -> None:
        """Store the outcomes of attempts, in one transaction; each ends its lease."""
        if not outcomes:
            return
        # bind names must differ from the column names in an executemany UPDATE
        stmt = update(deliveries).where(deliveries.c.id == bindparam("o_delivery_id")).values(
            status=bindparam("o_status"), attempts=bindparam("o_attempts"),
            last_status_code=bindparam("o_status_code"), last_error=bindparam("o_error"),
            latency_ms=bindparam("o_latency_ms"), next_attempt_at=bindparam("o_next_attempt_at"),
            lease_until=None, delivered_at=bindparam("o_delivered_at"))
        tried = [{"delivery_id": o.delivery_id, **o.attempt.model_dump()}
                 for o in outcomes if o.attempt is not None]
        with self.engine.begin() as conn:
            conn.execute(stmt, [{f"o_{k}": v for k, v in o._asdict().items() if k != "attempt"}
                                for o in outcomes])
            if tried:
                conn.execute(insert(delivery_attempts), tried)

    def owner_of(self, delivery_id: str) -> str:
        """The subscription id a delivery belongs to (NotFound if none)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(deliveries.c.subscription_id)
                               .where(deliveries.c.id == delivery_id)).first()
        if row is None:
            raise NotFound(f"no delivery {delivery_id!r}")
        return str(row[0])

    def for_subscription(self, sub_id: str, limit: int = 100) -> list[Delivery]:
        query = (select(deliveries).where(deliveries.c.subscription_id == sub_id)
                 .order_by(deliveries.c.created_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [_delivery(r) for r in conn.execute(query).mappings()]

    def recent_alerts(self, sub_id: str, limit: int = 50) -> list[Alert]:
        """The subscription's latest real alerts (no tests, no digests), newest first."""
        query = (select(deliveries.c.payload).where(deliveries.c.subscription_id == sub_id)
                 .order_by(deliveries.c.created_at.desc(), deliveries.c.id).limit(limit * 2))
        with self.engine.connect() as conn:
            found = [Alert.model_validate_json(p) for (p,) in conn.execute(query)]
        return [a for a in found if a.kind in ("new", "update")][:limit]

    def get(self, delivery_id: str) -> Delivery:
        with self.engine.connect() as conn:
            row = conn.execute(select(deliveries).where(deliveries.c.id == delivery_id)).mappings().first()
        if row is None:
            raise NotFound(f"no delivery {delivery_id!r}")
        return _delivery(row)

    def replay(self, delivery_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(update(deliveries).where(deliveries.c.id == delivery_id).values(
                status="pending", next_attempt_at=now, lease_until=None)).rowcount
        if not done:
            raise NotFound(f"no delivery {delivery_id!r}")

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(deliveries.c.status, func.count()).group_by(deliveries.c.status))
            return {status: int(n) for status, n in rows}


def _delivery(row: Any) -> Delivery:
    # Rows this store wrote, typed by their columns: built without validating again
    # (validation was a third of claiming a delivery). Every field is given: for one left
    # out, model_construct calls its default factory after inspecting the factory's
    # signature, which for ``list`` parses its text signature on every call (pydantic 2.14).
    return Delivery.model_construct(
        id=row["id"], alert_id=row["alert_id"], subscription_id=row["subscription_id"],
        channel=row["channel"], status=row["status"], attempts=row["attempts"],
        last_status_code=row["last_status_code"], last_error=row["last_error"],
        latency_ms=row["latency_ms"], next_attempt_at=aware(row["next_attempt_at"]),
        created_at=aware(row["created_at"]), delivered_at=aware(row["delivered_at"]),
        attempt_log=[])
