"""PostgreSQL refuses connections for a while under the running services.

The API answers 503 with a message saying so; notify waits (its matcher and its
dispatcher retry) and resumes when the database is back; nothing is lost.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from services.ingest.app import UpdatePublisher
from services.ingest.identity import diff
from services.ingest.parsers import Entry
from services.runtime.kafka import make_producer
from services.runtime.timeutil import utcnow
from tests.conftest import PG_ADMIN_URL, _pg_available, drop_database
from tests.faults.conftest import FaultReceiver, Pipeline, assert_each_once, swap_text

pytestmark = [pytest.mark.faults, pytest.mark.postgres]
OUTAGE = 6.0  # seconds the database stays closed: longer than notify's 5 s timers


@pytest.fixture
def throwaway_db() -> Iterator[tuple[str, Engine, str]]:
    """(URL of a new database, admin engine, its name); dropped at the end."""
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    name = f"frontwire_faults_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}", admin, name
    finally:
        drop_database(admin, name)
        admin.dispose()


def _close(admin: Engine, name: str, allow: bool) -> None:
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}'))
        if not allow:
            conn.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))


def test_database_outage_gives_503s_and_the_workers_resume_without_loss(
        throwaway_db: tuple[str, Engine, str], make_pipeline: Callable[..., Pipeline],
        receiver: FaultReceiver) -> None:
    # throwaway_db comes first so that it is torn down last, after the services stopped
    url, admin, name = throwaway_db
    pipe = make_pipeline("api", "classify", "notify", env={"FRONTWIRE_DATABASE_URL": url})
    sub = pipe.subscribe(receiver, "/hooks/db")
    expected = set(pipe.push_swaps("db-before", 3))
    pipe.wait("alerts before the outage", lambda: len(receiver.unique) >= 3, 30)

    _close(admin, name, allow=False)
    started = time.monotonic()
    try:
        listed = pipe.request("GET", "/v1/subscriptions")
        assert listed.status_code == 503, listed.text
        assert "database unavailable" in listed.json()["detail"]
        assert listed.headers.get("retry-after")
        headline, body = swap_text("db-refused", 0)
        refused = pipe.request("POST", "/v1/updates", json={"source": "faults", "headline": headline,
                                                            "body": body})
        assert refused.status_code == 503, refused.text
        # Updates keep coming from ingest (which had published them before the outage
        # reached it): notify must hold them until it can match and record them.
        producer = make_producer(pipe.env["FRONTWIRE_KAFKA_BOOTSTRAP"], "faults-ingest")
        now = utcnow()
        entries = [Entry(headline=h, body=b, url=None, entry_id=f"db-during-{i}", published_at=None)
                   for i, (h, b) in enumerate(swap_text("db-during", i) for i in range(4))]
        during = diff("push:faults", entries, {}, now).new
        UpdatePublisher(producer, "faults/ingest")(during)
        producer.close(5)
        expected |= {u.id for u in during}
        time.sleep(max(0.0, OUTAGE - (time.monotonic() - started)))  # hold the outage
        assert len(receiver.unique) == 3, "nothing can be matched or recorded without the database"
        assert all(proc.poll() is None for proc in pipe.procs.values()), "a service died"
    finally:
        _close(admin, name, allow=True)

    pipe.wait("the alerts held during the outage", lambda: len(receiver.unique) >= 7, 45)
    assert_each_once(receiver, "/hooks/db", expected)
    assert pipe.request("GET", "/v1/subscriptions").status_code == 200
    assert all(d["status"] == "delivered" for d in pipe.deliveries(sub))
    notify_log = (pipe.logs / "notify.log").read_text()
    assert "retrying" in notify_log, "notify said it was waiting for the database"
