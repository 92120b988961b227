"""What ingest remembers, in SQLite and PostgreSQL: seen updates, revisions, validators, health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from services.ingest.identity import diff
from services.ingest.parsers import Entry
from services.ingest.sources import SourceSpec
from services.ingest.state import IngestState

pytestmark = pytest.mark.integration
T0 = datetime(2025, 3, 6, 9, 0, tzinfo=UTC)
SPEC = SourceSpec(id="coast-live", url="https://news.example.org/live", kind="text", interval=5)
FIRST = Entry(headline=None, body="Negotiators met for a third day in Velm but reported no progress.")
SECOND = Entry(headline=None, body="A second convoy of 25 trucks will leave for the border on Friday.")


def test_what_was_published_survives_a_new_state_over_the_same_database(engine: Engine) -> None:
    IngestState(engine).upsert_source(SPEC, "config", T0)
    change = diff(SPEC.id, [FIRST, SECOND], {}, T0)
    IngestState(engine).remember(SPEC.id, change.new, [], T0)
    IngestState(engine).record_poll(SPEC.id, now=T0, ok=True, etag='"v1"',
                                    last_modified="Thu, 06 Mar 2025 09:00:00 GMT", found=2)

    later = IngestState(engine)  # as after a restart
    health = later.source(SPEC.id)
    assert health is not None and (health.etag, health.updates_found) == ('"v1"', 2)
    edited = Entry(headline=None, body=FIRST.body + "\nTalks resume on Saturday.")
    change = diff(SPEC.id, [edited, SECOND], later.known(SPEC.id), T0 + timedelta(hours=1))
    assert change.new == [] and change.unchanged == 1
    [rev] = change.revised
    assert rev.revision == 2 and rev.first_seen_at == T0


def test_an_entry_that_vanishes_and_returns_is_neither_new_nor_noted_twice(engine: Engine) -> None:
    state = IngestState(engine)
    state.upsert_source(SPEC, "config", T0)
    state.remember(SPEC.id, diff(SPEC.id, [FIRST, SECOND], {}, T0).new, [], T0)

    gone = diff(SPEC.id, [SECOND], state.known(SPEC.id), T0)
    assert len(gone.vanished) == 1
    state.remember(SPEC.id, [], gone.vanished, T0)
    assert diff(SPEC.id, [SECOND], state.known(SPEC.id), T0).vanished == []

    back = diff(SPEC.id, [FIRST, SECOND], state.known(SPEC.id), T0)
    assert back.new == [] and back.returned == gone.vanished
    state.remember(SPEC.id, [], [], T0, back.returned)
    assert not any(k.vanished for k in state.known(SPEC.id).values())


def test_a_success_clears_failures_and_keeps_validators_a_failure_leaves_them(engine: Engine) -> None:
    state = IngestState(engine)
    state.upsert_source(SPEC, "api", T0)
    state.record_poll(SPEC.id, now=T0, ok=True, etag='"v1"')
    state.record_poll(SPEC.id, now=T0, ok=False, error="HTTP 500")
    state.record_poll(SPEC.id, now=T0, ok=False, error="timed out")
    health = state.source(SPEC.id)
    assert health is not None
    assert (health.consecutive_failures, health.last_error, health.etag) == (2, "timed out", '"v1"')
    state.record_poll(SPEC.id, now=T0, ok=True)  # a 304: no new validators
    health = state.source(SPEC.id)
    assert health is not None and (health.consecutive_failures, health.etag) == (0, '"v1"')
    assert health.created_at == T0 and health.origin == "api"
