"""Dates and times as live blogs print them: page dates, "UPDATE 1519 GMT" markers, ISO stamps.

Pure: a marker's clock time only becomes a datetime against a page date that the
page (or the caller) supplies; nothing here reads the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateparser

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
# (?!\d) rather than \b: extracted text often glues the next word on ("2024last updated").
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d{2})(?!\d)", re.I),
]
_LEADING_DATES = [re.compile(r"^\s*(?:" + p.pattern + ")", p.flags) for p in _DATE_PATTERNS]

# Zones live blogs print next to a clock time: fixed offsets, or IANA names where the
# abbreviation does not say whether summer time applies ("ET").
_ZONES: dict[str, float | str] = {
    "gmt": 0, "utc": 0, "z": 0, "bst": 1, "wet": 0, "west": 1, "cet": 1, "cest": 2, "eet": 2,
    "eest": 3, "msk": 3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "pst": -8, "pdt": -7,
    "ist": 5.5, "jst": 9, "kst": 9, "aest": 10, "et": "America/New_York",
    "pt": "America/Los_Angeles", "ct": "America/Chicago", "kyiv time": "Europe/Kyiv",
    "moscow time": "Europe/Moscow", "local time": 0}
_TIME = r"(?P<h>\d{1,2})(?P<sep>[:.h]?)(?P<min>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?"
_TZ = r"(?:\s*(?P<tz>" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")\b)?"
# "Updated 4:10 p.m." is the page's own last-modified line, so past tenses are no label.
_LABEL = r"(?P<label>updates?|latest|breaking|new|edit)"
_AGO = r"(?:\d{1,3}\s*(?:m|mins?|minutes?|h|hrs?|hours?)\s+ago\s*)?"
# "16.05 GMT, 22 Oct 2024": a date printed after the time dates that entry.
_DAY = (r"(?:\s*,?\s*(?P<day>(?:19|20)\d{2}-\d{2}-\d{2}|[a-z]{3,9}\.? \d{1,2},? (?:19|20)\d{2}"
        r"|\d{1,2} [a-z]{3,9}\.?,? (?:19|20)\d{2}))?")
# "03:42 , Jane Doe": a stamp signed by its author; the name is no part of the entry.
_BYLINE = r"|\s*,\s*(?-i:[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3})"
_MARKER = re.compile(r"^" + _AGO + r"(?:" + _LABEL + r"\s*[:\-–—]?\s*)?" + _TIME + _TZ + _DAY
                     + r"\s*(?:[:\-–—|]\s*(?P<rest>.*)" + _BYLINE + ")?$", re.I)
# "2h ago" / "35 minutes ago": relative stamps still mark where an entry begins.
_RELATIVE = re.compile(r"^(\d{1,3}\s*(m|mins?|minutes?|h|hrs?|hours?)\s+ago|just now)$", re.I)
_ORIGIN = re.compile(r"^(?P<label>original (?:entry|post)|first (?:entry|post))\s*:\s*(?P<rest>.*)$", re.I)


@dataclass(frozen=True)
class Marker:
    """A timestamp marker that opens an entry ("UPDATE 1519 GMT:", "ORIGINAL ENTRY:")."""

    clock: time | None
    zone: str | None  # the zone as printed, lower-cased; None when none is printed
    rest: str  # text after the marker on the same line
    day: date | None = None  # a date printed with the time, which beats the page's date

    @property
    def tzinfo(self) -> tzinfo:
        # No zone printed: UTC is the least wrong guess for wire-style live blogs.
        spec = _ZONES.get(self.zone or "utc", 0)
        if isinstance(spec, str):
            try:
                return ZoneInfo(spec)
            except ZoneInfoNotFoundError:
                return UTC
        return timezone(timedelta(hours=spec))


def find_page_date(text: str) -> date | None:
    """The first calendar date printed in ``text`` (a page's head), or None."""
    best: tuple[int, date] | None = None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        found = _to_date(match)
        if found is not None and (best is None or match.start() < best[0]):
            best = (match.start(), found)
    return best[1] if best else None


def strip_leading_date(text: str) -> str:
    """``text`` without the date it starts with (unchanged when it starts otherwise)."""
    for pattern in _LEADING_DATES:
        text = pattern.sub("", text, count=1)
    return text


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"][:3].lower()]
    try:
        return date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


def parse_marker(line: str) -> Marker | None:
    """A timestamp marker at the start of ``line``, or None when the line is ordinary text."""
    if len(line) > 2000:  # a marker is a short lead-in; never regex-scan a whole wall of text
        line = line[:2000]
    if _RELATIVE.match(line.strip()):
        return Marker(None, None, "")
    origin = _ORIGIN.match(line)
    if origin:
        return Marker(None, None, origin.group("rest").strip())
    match = _MARKER.match(line)
    if match is None:
        return None
    hour, minute = int(match.group("h")), int(match.group("min"))
    ampm, tz = match.group("ampm"), match.group("tz")
    # A bare four-digit number ("2024 was ...") is not a time: ask for a label, zone or colon.
    if not (match.group("label") or tz or match.group("sep") or ampm):
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    rest = (match.group("rest") or "").strip()
    day = find_page_date(match.group("day")) if match.group("day") else None
    return Marker(time(hour, minute), tz.lower() if tz else None, rest, day)


def resolve(marker: Marker, page_date: date | None) -> datetime | None:
    """The marker's instant in UTC, read on ``page_date`` (None when either is missing)."""
    day = marker.day or page_date
    if marker.clock is None or day is None:
        return None
    return datetime.combine(day, marker.clock, tzinfo=marker.tzinfo).astimezone(UTC)


def parse_instant(value: object) -> datetime | None:
    """An ISO-ish timestamp from structured data as tz-aware UTC, or None if unreadable."""
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    parsed: datetime
    try:
        parsed = dateparser.isoparse(value.strip())
    except (ValueError, OverflowError):
        # Other formats only with a year: dateutil fills missing parts from today's date,
        # and a parser must not read the clock.
        if not re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", value):
            return None
        try:
            parsed = dateparser.parse(value.strip(), default=datetime(2000, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
    # A stamp without a zone is read as UTC: structured data is usually UTC or Z-suffixed.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
