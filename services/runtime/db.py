"""The one SQL data layer: SQLite by default, PostgreSQL by URL, same tables and code.

Tables are defined in ``tables.py`` and created and changed by the numbered migrations
in ``migrations.py``, applied at connect time under a lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Engine,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url

from services.runtime.migrations import migrate
from services.runtime.tables import (
    api_keys,
    counters,
    deliveries,
    delivery_attempts,
    feed,
    ingest_seen,
    metadata,
    owner_notices,
    sources,
    stories,
    story_members,
    subscriptions,
)

__all__ = [
    "connect",
    "SqlThreads",
    "dialect_insert",
    "ping",
    "metadata",
    "subscriptions",
    "deliveries",
    "ingest_seen",
    "sources",
    "delivery_attempts",
    "owner_notices",
    "api_keys",
    "story_members",
    "stories",
    "counters",
    "feed",
]

log = logging.getLogger("frontwire.db")
T = TypeVar("T")

def connect(url: str, create: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get WAL and a busy timeout for several processes."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    if create:
        migrate(engine)
    return engine


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


class SqlThreads:
    """Runs blocking database calls off the event loop, in as many threads as the database
    takes writers at once: one for SQLite (writers of one process in several threads only
    queue on its file lock, in busy-wait sleeps of up to 100 ms), four for PostgreSQL."""

    def __init__(self, engine: Engine) -> None:
        self._pool = ThreadPoolExecutor(1 if engine.dialect.name == "sqlite" else 4,
                                        thread_name_prefix="frontwire-sql")

    async def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def close(self) -> None:
        self._pool.shutdown(wait=False)


def dialect_insert(conn: Any, table: Table) -> Any:
    """The INSERT of the connection's dialect, which knows ON CONFLICT (SQLite, PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def ping(engine: Engine) -> str | None:
    """None when the database answers, else what went wrong (for /readyz)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any driver error means not ready
        return f"database unreachable: {type(exc).__name__}"
