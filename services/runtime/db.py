"""The one SQL data layer: SQLite by default, PostgreSQL by URL, same tables and code.

Tables are created and changed by the numbered migrations in
``frontwire/migrations.py``, applied at connect time under a lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url

log = logging.getLogger("frontwire.db")
T = TypeVar("T")

metadata = MetaData()

subscriptions = Table(
    "subscriptions", metadata,
    Column("id", String(40), primary_key=True),
    Column("owner", String(80), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("target", Text, nullable=False),
    Column("secret", Text, nullable=True),
    Column("previous_secret", Text, nullable=True),  # still signs until previous_until
    Column("previous_until", DateTime(timezone=True), nullable=True),
    Column("spec", JSON, nullable=False),          # the Subscription model as JSON
    Column("status", String(12), nullable=False, default="active"),
    Column("disabled_reason", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(40), primary_key=True),
    Column("alert_id", String(80), nullable=False, unique=True),
    Column("subscription_id", String(40), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("status", String(12), nullable=False),   # pending | delivered | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("latency_ms", Float, nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True, index=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Column("first_seen_at", DateTime(timezone=True), nullable=True),
    Column("payload", Text, nullable=False),        # the Alert as JSON
)

ingest_seen = Table(
    "ingest_seen", metadata,
    Column("source", String(200), primary_key=True),
    Column("update_id", String(200), primary_key=True),
    Column("hash", String(64), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("vanished_at", DateTime(timezone=True), nullable=True),
)

sources = Table(
    "sources", metadata,
    Column("id", String(200), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("interval", Float, nullable=False),
    Column("origin", String(10), nullable=False),   # config | api
    Column("etag", Text, nullable=True),
    Column("last_modified", Text, nullable=True),
    Column("last_success_at", DateTime(timezone=True), nullable=True),
    Column("last_attempt_at", DateTime(timezone=True), nullable=True),
    Column("last_new_at", DateTime(timezone=True), nullable=True),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("updates_found", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


delivery_attempts = Table(
    "delivery_attempts", metadata,  # every attempt of every delivery, pruned after the retention period
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String(40), nullable=False, index=True),
    Column("attempt", Integer, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("channel", String(10), nullable=False),
    Column("outcome", String(10), nullable=False),   # delivered | retry | failed
    Column("status_code", Integer, nullable=True),
    Column("error_class", String(20), nullable=True),
    Column("error", Text, nullable=True),
    Column("latency_ms", Float, nullable=True),
    Column("response", Text, nullable=True),         # the first 512 bytes of the body, as text
)

owner_notices = Table(
    "owner_notices", metadata,  # mails to owners (a destination was disabled), sent with retries
    Column("id", String(80), primary_key=True),
    Column("subscription_id", String(40), nullable=False),
    Column("address", String(320), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),    # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True, index=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
)


api_keys = Table(
    "api_keys", metadata,
    Column("id", String(40), primary_key=True),
    Column("owner", String(80), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("hash", String(64), nullable=False),     # sha256 of the secret part; the key is never stored
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("scopes", String(200), nullable=False, server_default="subscriptions"),  # space-separated
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),  # to the minute, not each request
    Column("contact", String(320), nullable=True),  # told when a subscription of its owner is disabled
)

story_members = Table(
    "story_members", metadata,
    Column("update_id", String(200), primary_key=True),
    Column("story_id", String(200), nullable=False, index=True),
    Column("source", String(200), nullable=False),
    Column("headline", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("facts", JSON, nullable=True),
    Column("previous_facts", JSON, nullable=True),  # of the revision before: a replay recomputes its changes
    Column("revision", Integer, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Column("profile", JSON, nullable=True),  # what it says of its event (services/notify/identity.py)
    Column("reasons", JSON, nullable=True),  # why it joined its story, or that an operator split it out
)

stories = Table(
    "stories", metadata,   # one row per story: its MinHash signature (services/notify/minhash.py)
    Column("seq", Integer, primary_key=True, autoincrement=True),  # workers read what is new by seq
    Column("story_id", String(200), nullable=False, unique=True),
    Column("signature", Text, nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
    Column("profile", JSON, nullable=True),  # of its first report: places, actors, counts, labels
)

counters = Table(
    "counters", metadata,  # cheap change counters, e.g. "subscriptions": bumped by every write
    Column("name", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)


feed = Table(
    "feed", metadata,   # the latest classified updates, for the console's live feed
    Column("update_id", String(200), primary_key=True),
    Column("story_id", String(200), nullable=True, index=True),
    Column("source", String(200), nullable=False, index=True),
    Column("severity", String(10), nullable=False),
    Column("labels", String(200), nullable=False),    # space-separated, for LIKE filters
    Column("revision", Integer, nullable=False),
    Column("classified_at", DateTime(timezone=True), nullable=False, index=True),
    Column("doc", Text, nullable=False),              # the ClassifiedUpdate as JSON
)


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
        from frontwire.migrations import migrate

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
