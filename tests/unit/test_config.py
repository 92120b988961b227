"""Settings: defaults, environment, config file, and loud failures that name the key."""

from __future__ import annotations

import pytest

from services.runtime.config import ConfigError, load


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    import os

    for key in list(os.environ):
        if key.startswith("FRONTWIRE_"):
            monkeypatch.delenv(key)


def test_defaults_run_on_the_embedded_broker_with_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTWIRE_DATA_DIR", str(tmp_path))
    s = load()
    assert s.kafka_bootstrap is None
    assert s.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'frontwire.db'}"
    assert s.api_port == 8080


@pytest.mark.parametrize(("key", "value", "words"), [
    ("FRONTWIRE_API_PORT", "eighty", "FRONTWIRE_API_PORT"),
    ("FRONTWIRE_SMTP_URL", "http://mail", "FRONTWIRE_SMTP_URL"),
    ("FRONTWIRE_WEBHOOK_ALLOW_NETWORKS", "10.0.0.0/8, nonsense", "'nonsense' is not a CIDR"),
    ("FRONTWIRE_KAFKA_BOOTSTRAP", "localhost", "FRONTWIRE_KAFKA_BOOTSTRAP"),
    ("FRONTWIRE_PUBLIC_URL", "ftp://x", "FRONTWIRE_PUBLIC_URL"),
])
def test_a_bad_value_stops_with_a_message_naming_the_setting(monkeypatch, key, value, words):
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as info:
        load()
    assert words in str(info.value)


def test_config_file_sets_values_and_environment_wins(tmp_path, monkeypatch):
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text('api_port = 9000\nmail_from = "alerts@example.org"\n')
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    monkeypatch.setenv("FRONTWIRE_API_PORT", "9001")
    s = load()
    assert s.mail_from == "alerts@example.org"
    assert s.api_port == 9001


def test_printed_settings_mask_secrets_and_passwords(monkeypatch):
    monkeypatch.setenv("FRONTWIRE_API_KEY", "topsecret")
    monkeypatch.setenv("FRONTWIRE_SMTP_URL", "smtp+starttls://user:hunter2@mail.example.org:587")
    shown = str(load().masked())
    assert "topsecret" not in shown and "hunter2" not in shown
    assert "user:****@mail.example.org" in shown


def test_a_missing_config_file_stops_naming_the_file(tmp_path, monkeypatch):
    missing = tmp_path / "nope.toml"
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(missing))
    with pytest.raises(ConfigError) as info:
        load()
    assert f"FRONTWIRE_CONFIG={missing}: no such file" in str(info.value)


def test_an_unknown_key_in_the_config_file_stops_naming_it_with_a_suggestion(tmp_path, monkeypatch):
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text('api_prot = 9000\nFRONTWIRE_MAIL_FROM = "a@example.org"\ncolour = "blue"\n')
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    with pytest.raises(ConfigError) as info:
        load()
    message = str(info.value)
    assert str(cfg) in message
    assert "unknown key 'api_prot' (did you mean 'api_port'?)" in message
    assert "unknown key 'FRONTWIRE_MAIL_FROM' (write it as 'mail_from')" in message
    assert "unknown key 'colour'" in message


def test_a_config_file_that_is_not_toml_stops_naming_the_file(tmp_path, monkeypatch):
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text("api_port = \n")
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load()


def test_a_bad_value_in_the_config_file_names_the_setting(tmp_path, monkeypatch):
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text('api_port = "eighty"\n')
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    with pytest.raises(ConfigError, match="FRONTWIRE_API_PORT"):
        load()


def test_public_url_follows_the_api_port_unless_set(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTWIRE_API_PORT", "18080")
    assert load().public_url == "http://127.0.0.1:18080"
    monkeypatch.setenv("FRONTWIRE_API_HOST", "0.0.0.0")  # every address: loopback is one
    assert load().public_url == "http://127.0.0.1:18080"
    monkeypatch.setenv("FRONTWIRE_API_HOST", "::1")
    assert load().public_url == "http://[::1]:18080"
    monkeypatch.setenv("FRONTWIRE_PUBLIC_URL", "https://alerts.example.org/")
    assert load().public_url == "https://alerts.example.org"


def test_public_url_follows_the_api_port_of_the_config_file(tmp_path, monkeypatch):
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text("api_port = 9000\n")
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    assert load().public_url == "http://127.0.0.1:9000"


def test_every_setting_is_in_the_readme_configuration_table():
    import re
    from pathlib import Path

    from services.runtime.config import Settings

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    first_column = [row.split("|")[1] for row in section.splitlines() if row.startswith("| `")]
    documented = {name for cell in first_column for name in re.findall(r"FRONTWIRE_[A-Z_]+", cell)}
    expected = {"FRONTWIRE_" + name.upper() for name in Settings.model_fields} | {"FRONTWIRE_CONFIG"}
    assert expected - documented == set(), "add these to README.md's configuration table"
    assert documented - expected == set(), "these README rows name no setting"
