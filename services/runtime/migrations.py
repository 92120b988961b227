"""Numbered schema migrations, applied once each, in order, under a lock.

Several frontwire processes start at once against one database, so migrating
takes a lock first: a PostgreSQL advisory lock, or a file lock beside a SQLite
file. Version 1 is the baseline (every table of frontwire.db as of 0.1). A later
change to a table is a new entry here (ALTER TABLE ...), never an edit of an old one.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
    text,
)

from services.runtime.tables import (
    api_keys,
    counters,
    delivery_attempts,
    metadata,
    owner_notices,
    stories,
)

log = logging.getLogger("frontwire.db")

_meta = MetaData()
applied = Table("schema_migrations", _meta,
                Column("version", Integer, primary_key=True),
                Column("description", String(200), nullable=False),
                Column("applied_at", DateTime(timezone=True), nullable=False))


def _baseline(conn: Connection) -> None:
    metadata.create_all(conn)


def _stories_v2(conn: Connection) -> None:
    """Stories keyed by sequence with one signature row each (LSH bands live in memory);
    a counter that every subscription write bumps; story members keep the facts of the
    revision before theirs. The old per-band rows are dropped: their signatures were of
    another hash family, and stories last 36 hours."""
    stories.create(conn, checkfirst=True)
    counters.create(conn, checkfirst=True)
    conn.execute(text("DROP TABLE IF EXISTS story_bands"))
    if "previous_facts" not in {c["name"] for c in inspect(conn).get_columns("story_members")}:
        conn.execute(text("ALTER TABLE story_members ADD COLUMN previous_facts JSON"))
    if conn.execute(select(counters.c.name).where(counters.c.name == "subscriptions")).first() is None:
        conn.execute(counters.insert().values(name="subscriptions", value=0))


def _api_key_scopes(conn: Connection) -> None:
    """API keys get scopes, an optional expiry and the time of their last use. A key made
    before keeps what it was meant for, its owner's subscriptions (``subscriptions``), and
    loses what it could do by accident: pushing updates to every subscriber."""
    api_keys.create(conn, checkfirst=True)
    have = {c["name"] for c in inspect(conn).get_columns("api_keys")}
    if "scopes" not in have:
        conn.execute(text("ALTER TABLE api_keys ADD COLUMN scopes VARCHAR(200) NOT NULL "
                          "DEFAULT 'subscriptions'"))
    moment = DateTime(timezone=True).compile(dialect=conn.dialect)
    for column in ("expires_at", "last_used_at"):
        if column not in have:
            conn.execute(text(f"ALTER TABLE api_keys ADD COLUMN {column} {moment}"))


def _story_identity(conn: Connection) -> None:
    """Stories decided by what reports say: each member keeps its profile (places, actors,
    counts, labels, signature) and why it joined; each story its first report's profile."""
    columns = {c["name"] for c in inspect(conn).get_columns("story_members")}
    for name in ("profile", "reasons"):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE story_members ADD COLUMN {name} JSON"))
    if "profile" not in {c["name"] for c in inspect(conn).get_columns("stories")}:
        conn.execute(text("ALTER TABLE stories ADD COLUMN profile JSON"))


def _delivery_attempts(conn: Connection) -> None:
    """Every delivery attempt on record; owners' notices; a contact address on API keys."""
    delivery_attempts.create(conn, checkfirst=True)
    owner_notices.create(conn, checkfirst=True)
    api_keys.create(conn, checkfirst=True)
    if "contact" not in {c["name"] for c in inspect(conn).get_columns("api_keys")}:
        conn.execute(text("ALTER TABLE api_keys ADD COLUMN contact VARCHAR(320)"))


Migration = tuple[int, str, Callable[[Connection], None]]
MIGRATIONS: tuple[Migration, ...] = (
    (1, "baseline: subscriptions, deliveries, api keys, stories, feed, ingest state, sources", _baseline),
    (2, "stories by sequence with in-memory bands; subscription change counter; "
        "previous facts of story members", _stories_v2),
    (3, "api key scopes (existing keys: subscriptions), expiry and last use", _api_key_scopes),
    (4, "story identity: profiles of story members and stories, and why each member joined",
     _story_identity),
    (5, "delivery attempts; owner notices; contact address of API keys", _delivery_attempts),
)
_PG_LOCK = 0x66726F6E  # "fron": one advisory lock id for frontwire migrations


@contextlib.contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_LOCK})
            try:
                yield conn
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_LOCK})
                conn.commit()
        return
    database = engine.url.database
    lock_path = Path(f"{database}.migrate.lock") if database and database != ":memory:" else None
    with contextlib.ExitStack() as stack:
        if lock_path is not None:
            handle = stack.enter_context(open(lock_path, "a"))  # noqa: SIM115
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield stack.enter_context(engine.connect())


def migrate(engine: Engine) -> list[int]:
    """Apply the migrations this database lacks; return the versions applied."""
    done: list[int] = []
    with _locked(engine) as conn:
        _meta.create_all(conn)
        conn.commit()
        have = {row[0] for row in conn.execute(select(applied.c.version))}
        for version, description, apply in MIGRATIONS:
            if version in have:
                continue
            with conn.begin_nested() if conn.in_transaction() else conn.begin():
                apply(conn)
                conn.execute(applied.insert().values(version=version, description=description,
                                                     applied_at=datetime.now(UTC)))
            conn.commit()
            log.info("database migrated to version %d: %s", version, description)
            done.append(version)
    return done


def current_version(engine: Engine) -> int:
    with engine.connect() as conn:
        _meta.create_all(conn)
        conn.commit()
        return int(conn.execute(select(applied.c.version).order_by(applied.c.version.desc())).scalar() or 0)
