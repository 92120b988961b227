"""`frontwire classify`: JSON Lines in, one ClassifiedUpdate per good line out, bad lines reported."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from schemas.models import ClassifiedUpdate
from services.classify.batch import main

REPO = Path(__file__).resolve().parents[2]
FULL_UPDATE = {
    "id": "page-1#u7", "source": "kyiv-live", "headline": "Drone attack on Kyiv",
    "body": "Falling debris injured at least one man, the mayor said after the attack.",
    "first_seen_at": "2024-10-21T08:00:00Z", "content_hash": "abc",
}


def run_cli(lines: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "frontwire", "classify"], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, cwd=REPO, timeout=120, check=False)


def test_classifies_each_good_line_and_keeps_ids() -> None:
    proc = run_cli([
        json.dumps({"id": "a1", "text": "Four civilians were killed in a Russian strike on Kherson."}),
        json.dumps({"id": 42, "headline": "UK loan", "body": "The UK will loan £2.26 billion to Ukraine."}),
        json.dumps(FULL_UPDATE),
        json.dumps({"text": "The ballet opened its season in Kazan."}),
    ])
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["update"]["id"] for o in out[:3]] == ["a1", "42", "page-1#u7"]
    assert out[3]["update"]["id"].startswith("stdin-")
    assert [o["labels"] for o in out] == [["civilian_harm"], ["aid"], ["civilian_harm"], []]
    assert all(set(o["scores"]) == {"escalation", "aid", "prisoner_exchange", "civilian_harm"} for o in out)
    assert out[2]["update"]["source"] == "kyiv-live" and out[0]["update"]["source"] == "stdin"
    ClassifiedUpdate.model_validate_json(proc.stdout.splitlines()[1])


def test_a_given_top_level_id_is_kept_as_given_beside_the_string_update_id() -> None:
    lines = [{"id": 42, "text": "Four civilians were killed in a strike on Kherson."},
             {"id": "a1", "headline": "UK loan", "body": "The UK will loan £2.26 billion to Ukraine."},
             FULL_UPDATE,
             {"text": "The ballet opened its season in Kazan."}]
    stdin = io.StringIO("".join(json.dumps(line) + "\n" for line in lines))
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(stdin, stdout, stderr) == 0, stderr.getvalue()
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert out[0]["id"] == 42 and isinstance(out[0]["id"], int)
    assert out[0]["update"]["id"] == "42"
    assert (out[1]["id"], out[1]["update"]["id"]) == ("a1", "a1")
    assert (out[2]["id"], out[2]["update"]["id"]) == ("page-1#u7", "page-1#u7")
    assert "id" not in out[3]  # nothing given, nothing invented at the top level
    assert list(out[0])[0] == "id"  # leads the line, easy to join on
    for line in stdout.getvalue().splitlines():
        ClassifiedUpdate.model_validate_json(line)  # still a ClassifiedUpdate to any reader


def test_malformed_lines_are_reported_with_their_number_and_skipped() -> None:
    proc = run_cli([
        "this is not json",
        json.dumps({"id": "ok", "text": "Germany delivered IRIS-T air defence systems to Ukraine."}),
        "[1, 2, 3]",
        "",
        json.dumps({"id": "no-text", "title": "nothing to read"}),
    ])
    assert proc.returncode == 0
    assert [json.loads(line)["update"]["id"] for line in proc.stdout.splitlines()] == ["ok"]
    assert "line 1: not valid JSON" in proc.stderr
    assert "line 3: expected a JSON object" in proc.stderr
    assert "line 5: no text" in proc.stderr
    assert "line 4" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_exit_code_is_1_when_every_line_fails() -> None:
    proc = run_cli(["{broken", json.dumps({"text": ""})])
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "0 classified, 2 skipped" in proc.stderr


def test_in_process_main_writes_one_json_per_line() -> None:
    stdin = io.StringIO(json.dumps({"id": "x", "text": "Hamas freed four hostages in exchange for "
                                                          "200 Palestinian prisoners."}) + "\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(stdin, stdout, stderr) == 0
    result = json.loads(stdout.getvalue())
    assert result["labels"] == ["prisoner_exchange"] and stderr.getvalue() == ""
