"""`frontwire apikey` as an operator runs it (a process, settings from the environment), on
SQLite and PostgreSQL: scopes, expiry and a contact address at creation, the list with last
use, and the keys working against the real API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from services.api.app import ApiDeps, create_app
from services.runtime.config import load

pytestmark = pytest.mark.integration
UPDATE = {"source": "desk", "headline": "Aid convoy arrives", "body": "Forty trucks arrived."}


def frontwire(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwire", *args], env=env, text=True,
                          capture_output=True, timeout=60, check=False)


def env_for(url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTWIRE_")}
    return {**env, "FRONTWIRE_DATA_DIR": str(tmp_path / "data"), "FRONTWIRE_DATABASE_URL": url}


def test_keys_made_with_scopes_and_expiry_are_listed_and_do_what_their_scopes_allow(
        engine: Engine, tmp_path: Path) -> None:
    env = env_for(engine.url.render_as_string(hide_password=False), tmp_path)
    made = frontwire(env, "apikey", "create", "--owner", "wire", "--name", "feed pusher",
                     "--scope", "publish", "--scope", "subscriptions", "--expires", "90d")
    assert made.returncode == 0, made.stderr
    wire = made.stdout.strip()
    assert wire.startswith("fwk_") and wire not in made.stderr
    assert "scopes: subscriptions, publish; expires " in made.stderr
    team = frontwire(env, "apikey", "create", "--owner", "newsroom", "--contact", "desk@example.org")
    assert team.returncode == 0 and "scopes: subscriptions; does not expire" in team.stderr
    assert "contact desk@example.org" in team.stderr

    app = create_app(ApiDeps(load(data_dir=tmp_path), engine, lambda _u: None, CollectorRegistry()))
    with TestClient(app) as client:
        pushed = client.post("/v1/updates", json=UPDATE, headers={"Authorization": f"Bearer {wire}"})
        assert pushed.status_code == 202, pushed.text
        refused = client.post("/v1/updates", json=UPDATE,
                              headers={"Authorization": f"Bearer {team.stdout.strip()}"})
        assert refused.status_code == 403 and "'publish' scope" in refused.text

    listed = frontwire(env, "apikey", "list")
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.split() == ["ID", "OWNER", "NAME", "SCOPES", "CREATED", "EXPIRES", "LAST",
                              "USED", "CONTACT", "STATE"]
    wire_row = next(r for r in rows if " wire " in r)
    team_row = next(r for r in rows if " newsroom " in r)
    assert "subscriptions,publish" in wire_row and "never" not in wire_row  # expires, was used
    assert wire_row.endswith("active") and "wire" not in listed.stderr
    assert team_row.count("never") == 1  # no expiry; used, if only to be refused
    assert "desk@example.org" in team_row and "@" not in wire_row  # the contact, if any
    assert wire not in listed.stdout  # never a secret

    key_id = wire_row.split()[0]
    assert frontwire(env, "apikey", "revoke", key_id).returncode == 0
    assert next(r for r in frontwire(env, "apikey", "list").stdout.splitlines()
                if r.startswith(key_id)).endswith("revoked")


@pytest.mark.parametrize(("args", "words"), [
    (["--expires", "yesterday"], "'yesterday' is not a date (2027-06-30"),
    (["--expires", "2020-01-01"], "'2020-01-01' is in the past"),
    (["--scope", "everything"], "'everything' is not one of 'subscriptions', 'publish'"),
    (["--owner", "admin"], "owner 'admin' is reserved"),
    (["--contact", "not an address"], "An email address must have an @-sign"),
])
def test_a_bad_scope_expiry_or_owner_is_one_line_and_makes_no_key(
        tmp_path: Path, args: list[str], words: str) -> None:
    env = env_for(f"sqlite:///{tmp_path / 'keys.db'}", tmp_path)
    owner = [] if "--owner" in args else ["--owner", "team"]
    made = frontwire(env, "apikey", "create", *owner, *args)
    assert made.returncode == 2 and made.stdout == "", made.stdout
    assert words in made.stderr and "Traceback" not in made.stderr
    listed = frontwire(env, "apikey", "list")
    assert listed.stdout == "" and "no API keys yet" in listed.stderr
