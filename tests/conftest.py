"""Shared fixtures: SQL engines (SQLite always, PostgreSQL when it answers), the embedded broker."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from services.runtime.db import connect

PG_ADMIN_URL = os.environ.get("FRONTWIRE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); set FRONTWIRE_TEST_PG_URL"


def drop_database(admin: Engine, name: str) -> None:
    """Drop a test database even while a service still (re)connects to it: FORCE ends its
    sessions and drops it in one step, so no new session can slip in between."""
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    reason = _pg_available()
    if reason:
        pytest.skip(reason)
    name = f"frontwire_test_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same tests against SQLite and PostgreSQL: one data layer, two databases."""
    if request.param == "sqlite":
        eng = connect(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        url = request.getfixturevalue("pg_database")
        eng = connect(url)
    try:
        yield eng
    finally:
        if request.param == "postgresql":
            from services.runtime.db import metadata
            from services.runtime.migrations import applied

            metadata.drop_all(eng)
            applied.drop(eng, checkfirst=True)
        eng.dispose()


@pytest.fixture(scope="session")
def broker() -> Iterator[str]:
    """One embedded tansu broker for the session, with frontwire's topics."""
    from frontwire.broker import EmbeddedBroker
    from services.runtime.kafka import ensure_topics

    with EmbeddedBroker() as b:
        ensure_topics(b.bootstrap, 4)
        yield b.bootstrap
