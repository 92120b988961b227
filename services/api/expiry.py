"""When a key stops working, from what a person types: a date, a time, or a duration from now."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_DURATION = re.compile(r"(\d{1,6})\s*([mhdw])")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
          "w": timedelta(weeks=1)}
FORMS = ("a date (2027-06-30: the key works through that day, UTC), a time "
         "(2027-06-30T18:00Z; without a zone: UTC) or a duration from now "
         "(30m, 12h, 90d, 2w)")


def parse_expiry(text: str, now: datetime) -> datetime:
    """The moment a key given ``--expires text`` at ``now`` stops working (aware, UTC).

    ValueError says which forms are understood, or that the moment is already past.
    """
    value = text.strip().lower()
    duration = _DURATION.fullmatch(value)
    if duration:
        at = now + int(duration.group(1)) * _UNITS[duration.group(2)]
    else:
        at = _moment(text.strip())
    if at <= now:
        raise ValueError(f"{text!r} is in the past ({at:%Y-%m-%d %H:%M} UTC)")
    return at


def _moment(text: str) -> datetime:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)  # through that day: it stops at the next midnight
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text!r} is not {FORMS}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
