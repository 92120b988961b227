"""Migrations apply once, in order, even when several processes start together."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import inspect

from services.runtime.migrations import MIGRATIONS, current_version, migrate

pytestmark = pytest.mark.integration


def test_a_migrated_database_has_every_table_and_the_latest_version(engine):
    names = set(inspect(engine).get_table_names())
    assert {"subscriptions", "deliveries", "api_keys", "feed", "sources", "schema_migrations"} <= names
    assert current_version(engine) == MIGRATIONS[-1][0]
    assert migrate(engine) == []  # nothing left to do


def test_four_processes_migrating_one_new_sqlite_file_at_once_all_succeed(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    code = f"from services.runtime.db import connect; connect({url!r})"
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=60)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors


def test_a_version_1_database_is_brought_to_the_latest_version(tmp_path):
    """A database made by frontwire 0.1 (stories as per-band rows, no change counter)."""
    from sqlalchemy import create_engine, text

    from services.notify.store import SubscriptionStore
    from services.runtime.db import connect

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url)
    with old.begin() as conn:
        conn.execute(text("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                          "description VARCHAR(200) NOT NULL, applied_at DATETIME NOT NULL)"))
        conn.execute(text("INSERT INTO schema_migrations VALUES (1, 'baseline', '2026-01-01')"))
        conn.execute(text("CREATE TABLE story_members (update_id VARCHAR(200) PRIMARY KEY, "
                          "story_id VARCHAR(200) NOT NULL, source VARCHAR(200) NOT NULL, headline TEXT, "
                          "url TEXT, facts JSON, revision INTEGER NOT NULL, seen_at DATETIME NOT NULL)"))
        conn.execute(text("INSERT INTO story_members VALUES ('u1', 'u1', 's', NULL, NULL, '{}', 1, "
                          "'2026-01-01')"))
        conn.execute(text("CREATE TABLE story_bands (band VARCHAR(40), story_id VARCHAR(200), "
                          "signature TEXT NOT NULL, seen_at DATETIME NOT NULL, PRIMARY KEY (band, story_id))"))
    old.dispose()
    engine = connect(url)
    names = set(inspect(engine).get_table_names())
    assert {"stories", "counters"} <= names and "story_bands" not in names
    assert "previous_facts" in {c["name"] for c in inspect(engine).get_columns("story_members")}
    assert current_version(engine) == MIGRATIONS[-1][0]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM story_members")).scalar() == 1  # kept
    assert SubscriptionStore(engine).version() == 0


def test_keys_made_before_scopes_keep_working_with_the_subscriptions_scope_only(engine):
    """Versions 3 to 5 on a version-2 api_keys table (no scopes, expiry, last use or contact),
    on SQLite and PostgreSQL: the key still signs in, may manage subscriptions, may not
    publish, and has no contact address."""
    import hashlib
    from datetime import UTC, datetime

    from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, text

    from services.api.keys import ApiKeyStore
    from services.api.scopes import Scope
    from services.runtime.migrations import applied
    from services.runtime.timeutil import utcnow

    v2 = Table("api_keys", MetaData(),
               Column("id", String(40), primary_key=True),
               Column("owner", String(80), nullable=False, index=True),
               Column("name", String(200), nullable=False),
               Column("hash", String(64), nullable=False),
               Column("created_at", DateTime(timezone=True), nullable=False),
               Column("revoked_at", DateTime(timezone=True), nullable=True))
    made = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE api_keys"))
        v2.create(conn)
        conn.execute(v2.insert().values(id="0ld0ld0ld0ld", owner="newsroom", name="desk",
                                        hash=hashlib.sha256(b"s3cret").hexdigest(), created_at=made))
        conn.execute(delete(applied).where(applied.c.version >= 3))

    assert migrate(engine) == [3, 4, 5]
    assert current_version(engine) == MIGRATIONS[-1][0]
    columns = {c["name"] for c in inspect(engine).get_columns("api_keys")}
    assert {"scopes", "expires_at", "last_used_at", "contact"} <= columns
    store = ApiKeyStore(engine)
    [key] = store.list()
    assert (key.owner, key.name, key.created_at) == ("newsroom", "desk", made)
    assert key.scopes == {Scope.SUBSCRIPTIONS}
    assert key.expires_at is None and key.last_used_at is None and key.contact is None
    used = store.authenticate("fwk_0ld0ld0ld0ld.s3cret", utcnow()).caller
    assert used.may(Scope.SUBSCRIPTIONS) and not used.may(Scope.PUBLISH)
    assert store.list()[0].last_used_at is not None
    new, _ = store.create("wire", "pusher", utcnow(), [Scope.PUBLISH])  # new keys still go in
    assert {k.id for k in store.list()} == {"0ld0ld0ld0ld", new.id}


def test_a_version_4_database_gains_the_attempt_log_and_key_contacts(tmp_path):
    """API keys made before version 5 keep working, with their scopes and expiry, now with
    an (empty) contact address."""
    from services.api.keys import ApiKeyStore
    from services.api.scopes import Scope
    from services.runtime.db import connect

    url = f"sqlite:///{tmp_path / 'v4.db'}"
    _old_database(url, [
        "INSERT INTO schema_migrations VALUES (1, 'baseline', '2026-01-01'), "
        "(2, 'stories', '2026-01-02'), (3, 'key scopes', '2026-01-03'), "
        "(4, 'story identity', '2026-01-04')",
        "CREATE TABLE api_keys (id VARCHAR(40) PRIMARY KEY, owner VARCHAR(80) NOT NULL, "
        "name VARCHAR(200) NOT NULL, hash VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL, "
        "revoked_at DATETIME, scopes VARCHAR(200) NOT NULL DEFAULT 'subscriptions', "
        "expires_at DATETIME, last_used_at DATETIME)",
        "INSERT INTO api_keys VALUES ('k1', 'desk', 'old key', 'h', '2026-01-01', NULL, "
        "'subscriptions publish', '2027-01-01', NULL)"])
    engine = connect(url)
    assert {"delivery_attempts", "owner_notices"} <= set(inspect(engine).get_table_names())
    assert current_version(engine) == MIGRATIONS[-1][0]
    (key,) = ApiKeyStore(engine).list()
    assert (key.owner, key.contact) == ("desk", None)
    assert key.scopes == {Scope.SUBSCRIPTIONS, Scope.PUBLISH} and key.expires_at is not None


def _old_database(url: str, statements: list[str]) -> None:
    """A database as an older frontwire left it: its migration table, then ``statements``."""
    from sqlalchemy import create_engine, text

    old = create_engine(url)
    with old.begin() as conn:
        conn.execute(text("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                          "description VARCHAR(200) NOT NULL, applied_at DATETIME NOT NULL)"))
        for statement in statements:
            conn.execute(text(statement))
    old.dispose()
