"""Quiet hours and digest windows: when an alert may go out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.models import (
    Alert,
    ClassifiedUpdate,
    EmailTarget,
    Label,
    QuietHours,
    Severity,
    Subscription,
    Update,
)
from services.notify.schedule import digest_due, digest_of, quiet_until

T = datetime(2025, 3, 10, tzinfo=UTC)


def sub(**kw) -> Subscription:
    return Subscription(id="s", name="s", labels=[Label.AID], created_at=T,
                        email=EmailTarget(address="a@example.org"), **kw)


def test_overnight_quiet_hours_hold_alerts_until_morning_local_time():
    s = sub(quiet_hours=QuietHours(start="22:00", end="07:00", timezone="Europe/Kyiv"))  # UTC+2 in March
    late = datetime(2025, 3, 10, 21, 30, tzinfo=UTC)           # 23:30 in Kyiv
    assert quiet_until(s, Severity.HIGH, late) == datetime(2025, 3, 11, 5, 0, tzinfo=UTC)
    early = datetime(2025, 3, 11, 3, 0, tzinfo=UTC)            # 05:00 in Kyiv
    assert quiet_until(s, Severity.HIGH, early) == datetime(2025, 3, 11, 5, 0, tzinfo=UTC)
    assert quiet_until(s, Severity.HIGH, datetime(2025, 3, 11, 10, 0, tzinfo=UTC)) is None


def test_critical_alerts_bypass_quiet_hours_and_no_quiet_hours_means_now():
    s = sub(quiet_hours=QuietHours(start="00:00", end="23:59"))
    assert quiet_until(s, Severity.CRITICAL, T + timedelta(hours=3)) is None
    assert quiet_until(sub(), Severity.LOW, T) is None


def test_daytime_quiet_window():
    s = sub(quiet_hours=QuietHours(start="09:00", end="17:00"))
    assert quiet_until(s, Severity.LOW, T + timedelta(hours=12)) == T + timedelta(hours=17)
    assert quiet_until(s, Severity.LOW, T + timedelta(hours=18)) is None


def test_digest_windows_are_aligned_and_end_after_now():
    s = sub(mode="digest", digest_minutes=30)
    assert digest_due(s, T + timedelta(minutes=5)) == T + timedelta(minutes=30)
    assert digest_due(s, T + timedelta(minutes=30)) == T + timedelta(minutes=60)


def alert(aid: str, story: str, minute: int) -> Alert:
    upd = Update(id=f"u{aid}", source="x", body="b", first_seen_at=T, content_hash="h")
    cu = ClassifiedUpdate(update=upd, labels=[Label.AID], scores={Label.AID: 0.9},
                          classifier_version="t", classified_at=T)
    return Alert(id=aid, subscription_id="s", channel="email", story_id=story,
                 matched_labels=[Label.AID], classified=cu, created_at=T + timedelta(minutes=minute))


def test_a_digest_keeps_the_latest_alert_of_each_story():
    d = digest_of(sub(mode="digest"), [alert("a1", "A", 1), alert("b1", "B", 2), alert("a2", "A", 3)],
                  T + timedelta(hours=1))
    assert d.kind == "digest" and [a.id for a in d.digest] == ["b1", "a2"]
    assert d.id == digest_of(sub(mode="digest"), [alert("a1", "A", 1)], T + timedelta(hours=1)).id
