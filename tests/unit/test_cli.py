"""The `frontwire` command line: readable help, and one clear line for a bad configuration."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from frontwire.cli import cli


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("FRONTWIRE_"):
            monkeypatch.delenv(key)


@pytest.mark.parametrize("args", [["--help"], ["apikey", "--help"]])
def test_help_lists_every_command_with_a_whole_one_line_description(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args, terminal_width=80)
    assert result.exit_code == 0
    commands = result.output.split("Commands:\n", 1)[1].splitlines()
    assert commands and all(line.split(maxsplit=1)[1:] for line in commands), result.output
    assert "..." not in "\n".join(commands)  # a truncated description ends in "..."


def test_a_missing_config_file_is_one_line_naming_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(tmp_path / "frontwire.toml"))
    result = CliRunner().invoke(cli, ["serve", "api"])
    assert result.exit_code == 2
    assert f"frontwire api: FRONTWIRE_CONFIG={tmp_path / 'frontwire.toml'}: no such file" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_config_key_is_one_line_with_a_suggestion(tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "frontwire.toml"
    cfg.write_text("api_prot = 9000\n")
    monkeypatch.setenv("FRONTWIRE_CONFIG", str(cfg))
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 2
    assert "unknown key 'api_prot' (did you mean 'api_port'?)" in result.output
