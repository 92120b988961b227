"""Telling owners that a destination was disabled: a mail to the contact address, sent durably.

When delivery disables a subscription (410 or another "gone" answer, or failing
past the retry deadline), its owner should not learn it from silence. The notice
goes to the subscription's ``contact``, else to the contact address of its owner's
newest API key that is neither revoked nor expired; with neither there is nobody to
write to, and the subscription's ``disabled_reason`` and the metric are all there is. Notices wait in SQL and are
sent with the delivery retry schedule, so an SMTP outage only delays them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage

from sqlalchemy import Engine, and_, insert, or_, select, update

from schemas.models import Subscription
from services.notify.channels.email_message import header_safe
from services.notify.store import StoredSubscription
from services.runtime.db import api_keys, owner_notices


@dataclass(frozen=True)
class Notice:
    id: str
    subscription_id: str
    address: str
    subject: str
    body: str
    attempts: int = 0


def disabled_notice(sub: Subscription, reason: str, address: str, now: datetime,
                    console_url: str) -> Notice:
    """The mail that tells ``address`` that ``sub`` was disabled, and how to turn it back on."""
    body = "\n".join([
        f'frontwire stopped sending alerts for your subscription "{sub.name}" ({sub.id}).',
        "", f"Channel: {sub.channel}", f"Destination: {sub.destination}", f"Reason: {reason}",
        f"Disabled at: {now:%Y-%m-%d %H:%M} UTC", "",
        "Fix the destination, then turn the subscription back on:",
        f"  in the console: {console_url}/subscriptions/{sub.id} (Re-enable), or",
        f'  PATCH /v1/subscriptions/{sub.id} with {{"status": "active"}}.', "",
        "Alerts that matched while it was disabled were not kept for it."])
    digest = hashlib.sha256(f"{sub.id}\x00{now.isoformat()}".encode()).hexdigest()[:24]
    return Notice(f"ntc_{digest}", sub.id, address,
                  header_safe(f"[frontwire] alerts disabled: {sub.name}", 200), body)


def as_email(notice: Notice, mail_from: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = notice.subject
    msg["From"] = header_safe(mail_from)
    msg["To"] = Address(addr_spec=header_safe(notice.address))
    msg["Message-ID"] = f"<{notice.id}@frontwire>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(notice.body)
    return msg


class NoticeStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def contact(self, sub: Subscription, owner: str, now: datetime) -> str | None:
        """Where to write: the subscription's contact, else the contact of its owner's newest
        key that is neither revoked nor expired."""
        if sub.contact:
            return sub.contact
        expires = api_keys.c.expires_at
        query = (select(api_keys.c.contact).where(and_(
            api_keys.c.owner == owner, api_keys.c.revoked_at.is_(None),
            or_(expires.is_(None), expires > now),
            api_keys.c.contact.is_not(None))).order_by(api_keys.c.created_at.desc()).limit(1))
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return str(value) if value else None

    def queue(self, notice: Notice, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(owner_notices).values(
                id=notice.id, subscription_id=notice.subscription_id, address=notice.address,
                subject=notice.subject, body=notice.body, status="pending", attempts=0,
                next_attempt_at=now, created_at=now))

    def claim_due(self, now: datetime, lease: timedelta, limit: int = 20) -> list[Notice]:
        """Due notices, each held for ``lease`` so another worker leaves it alone."""
        due = and_(owner_notices.c.status == "pending", owner_notices.c.next_attempt_at <= now)
        with self.engine.begin() as conn:
            rows = conn.execute(select(owner_notices).where(due).limit(limit)).mappings().all()
            taken = [r for r in rows if conn.execute(
                update(owner_notices).where(and_(owner_notices.c.id == r["id"], due))
                .values(next_attempt_at=now + lease)).rowcount]
        return [Notice(r["id"], r["subscription_id"], r["address"], r["subject"], r["body"],
                       r["attempts"]) for r in taken]

    def done(self, notice_id: str, *, status: str, attempts: int, error: str | None,
             next_attempt_at: datetime | None, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(owner_notices).where(owner_notices.c.id == notice_id).values(
                status=status, attempts=attempts, last_error=error, next_attempt_at=next_attempt_at,
                sent_at=now if status == "sent" else None))


def owner_teller(store: NoticeStore, console_url: str
                 ) -> Callable[[StoredSubscription, str, datetime], None]:
    """The dispatcher's ``on_disabled``: queue a notice to the owner's contact, if any (blocking)."""
    def tell(stored: StoredSubscription, reason: str, now: datetime) -> None:
        address = store.contact(stored.subscription, stored.owner, now)
        if address:
            store.queue(disabled_notice(stored.subscription, reason, address, now, console_url), now)
    return tell
