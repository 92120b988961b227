"""When a source needs a human: the failing and silent flags, from its recorded health.

Pure: the API (GET /v1/sources) and the ingest metrics (``frontwire_source_flagged``)
both ask this module, so the operator sees one verdict in both places.

* failing: at least ``FAILING_AFTER_FAILURES`` polls in a row failed, and the source has
  never succeeded or not for ``failing_after`` (15 minutes, or 10 intervals for slow
  sources). A bad URL or a page that is not a live blog is flagged after three polls;
  a blip between two good polls is not.
* silent: polls succeed but nothing new has appeared for ``silent_after`` (6 hours, or
  24 intervals for slow sources), counted from the last new entry or, for a source that
  never gave one, from when it was declared. A live blog that stopped updating, or
  whose page changed shape so that no entry parses as new, looks like this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from services.ingest.state import SourceHealth

FAILING_AFTER_FAILURES = 3
FAILING_AFTER = timedelta(minutes=15)
FAILING_AFTER_INTERVALS = 10
SILENT_AFTER = timedelta(hours=6)
SILENT_AFTER_INTERVALS = 24


@dataclass(frozen=True)
class Flags:
    failing: bool
    silent: bool


def failing_after(interval: float) -> timedelta:
    return max(FAILING_AFTER, timedelta(seconds=interval * FAILING_AFTER_INTERVALS))


def silent_after(interval: float) -> timedelta:
    return max(SILENT_AFTER, timedelta(seconds=interval * SILENT_AFTER_INTERVALS))


def flags(health: SourceHealth, now: datetime) -> Flags:
    """The source's flags at ``now``."""
    interval = health.spec.interval
    failing = health.consecutive_failures >= FAILING_AFTER_FAILURES and (
        health.last_success_at is None or now - health.last_success_at >= failing_after(interval))
    quiet_since = health.last_new_at or health.created_at or health.last_success_at
    # Silence is only meaningful while the source answers; otherwise it is failing.
    silent = (not failing and health.last_success_at is not None and quiet_since is not None
              and now - quiet_since >= silent_after(interval))
    return Flags(failing=failing, silent=silent)
