"""When an alert may go out: quiet hours and digest windows. Pure: the clock is passed in."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from schemas.models import Alert, Severity, Subscription


def quiet_until(sub: Subscription, severity: Severity, now: datetime) -> datetime | None:
    """The end of the subscription's quiet hours if ``now`` falls in them; critical bypasses."""
    quiet = sub.quiet_hours
    if quiet is None or severity == Severity.CRITICAL:
        return None
    zone = ZoneInfo(quiet.timezone)
    local = now.astimezone(zone)
    start, end = time.fromisoformat(quiet.start), time.fromisoformat(quiet.end)
    t = local.time()
    inside = (start <= t < end) if start <= end else (t >= start or t < end)
    if not inside:
        return None
    end_day = local.date() if (start <= end or t < end) else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)


def digest_due(sub: Subscription, now: datetime) -> datetime:
    """The end of the digest window ``now`` falls in (windows aligned on the epoch)."""
    step = sub.digest_minutes * 60
    stamp = int(now.timestamp())
    return datetime.fromtimestamp((stamp // step + 1) * step, UTC)


def digest_of(sub: Subscription, items: list[Alert], due: datetime) -> Alert:
    """One digest alert from held alerts: the latest alert of each story, in the order they came."""
    from services.notify.alerts import alert_id

    latest: dict[str, Alert] = {}
    for item in sorted(items, key=lambda a: a.created_at):
        latest[item.story_id] = item
    stories = sorted(latest.values(), key=lambda a: a.created_at)
    labels = sorted({lb for a in stories for lb in a.matched_labels}, key=lambda lb: lb.value)
    key = f"digest@{due.isoformat()}"
    return Alert(id=alert_id(sub.id, key), subscription_id=sub.id, channel=sub.channel, story_id=key,
                 kind="digest", matched_labels=labels, classified=stories[-1].classified,
                 digest=stories, created_at=due)
