"""Property tests of the config loaders (settings and sources files: any input gives a
value or the loader's own error naming the problem) and the retry-schedule setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.sources import SourceError, SourceSpec, load_sources_file
from services.notify.retry import RetryPolicy
from services.runtime.config import ConfigError, load

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ENV_KEYS = ["KAFKA_BOOTSTRAP", "API_PORT", "WEBHOOK_ALLOW_NETWORKS", "SMTP_URL", "PUBLIC_URL",
            "LOG_LEVEL", "PARTITIONS", "CONSUMER_SESSION_TIMEOUT", "RETRY_SCHEDULE", "DELIVERY_LEASE",
            "DEFAULT_POLL_INTERVAL"]
TOML_PIECES = st.sampled_from([
    "[[sources]]\n", "[sources]\n", 'id = "kyiv-live"\n', 'id = ""\n', "id = 7\n", 'id = "a b"\n',
    'url = "https://example.org/live"\n', 'url = "ftp://example.org/x"\n', 'url = "http://"\n',
    'kind = "text"\n', 'kind = "pdf"\n', "interval = 0.1\n", "interval = 30\n", 'interval = "soon"\n',
    "colour = 1\n", "sources = 3\n", "= broken\n", '"unterminated\n', "[[sources]\n", "\x00",
])


@FUZZ
@given(values=st.dictionaries(st.sampled_from(ENV_KEYS), st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40),
    max_size=4))
def test_any_environment_gives_settings_or_a_config_error(
        values: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with monkeypatch.context() as env:
        for name in ENV_KEYS:
            env.delenv("FRONTWIRE_" + name, raising=False)
        env.delenv("FRONTWIRE_CONFIG", raising=False)
        for name, value in values.items():
            env.setenv("FRONTWIRE_" + name, value)
        try:
            loaded = load(data_dir=tmp_path)
        except ConfigError as exc:
            assert "FRONTWIRE_" in str(exc)
            return
        if loaded.retry_delays is not None:
            RetryPolicy(schedule=loaded.retry_delays)  # a schedule that loads is one the policy takes


@FUZZ
@given(pieces=st.lists(TOML_PIECES, max_size=12))
def test_any_sources_file_gives_specs_or_a_source_error(pieces: list[str], tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text("".join(pieces))
    try:
        specs = load_sources_file(path)
    except SourceError as exc:
        assert str(path) in str(exc)
        return
    assert all(isinstance(s, SourceSpec) for s in specs)
    assert len({s.id for s in specs}) == len(specs)


def test_retry_schedule_setting_is_read_as_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTWIRE_RETRY_SCHEDULE", "0.5, 1,2")
    monkeypatch.setenv("FRONTWIRE_DELIVERY_LEASE", "12")
    loaded = load(data_dir=tmp_path)
    assert loaded.retry_delays == (0.5, 1.0, 2.0)
    assert loaded.delivery_lease == 12.0
    assert RetryPolicy(schedule=loaded.retry_delays).max_attempts == 4


def test_unset_retry_schedule_keeps_the_built_in_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTWIRE_RETRY_SCHEDULE", raising=False)
    assert load(data_dir=tmp_path).retry_delays is None


@pytest.mark.parametrize(("value", "words"), [("5,soon", "'soon' is not a number"),
                                               ("1,-2", "between 0 and 86400"), ("nan", "between")])
def test_a_bad_retry_schedule_stops_with_the_setting_named(
        value: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTWIRE_RETRY_SCHEDULE", value)
    with pytest.raises(ConfigError, match="FRONTWIRE_RETRY_SCHEDULE") as err:
        load(data_dir=tmp_path)
    assert words in str(err.value)
