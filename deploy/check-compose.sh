#!/usr/bin/env bash
# Validates the production shape without Docker: docker-compose.yml against the
# Compose Specification schema, and the Prometheus, Grafana and sources files parse.
#
# check-jsonschema lives in a venv of its own (.tools/check-jsonschema), pinned by
# deploy/tools-constraints.txt: the project venv cannot take it (faust pins click<8.4).
# The venv is made on first use and remade when the pins change.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
TOOLS=.tools/check-jsonschema
PINS=deploy/tools-constraints.txt
STAMP="$TOOLS/.installed"
want="$(sha256sum "$PINS" | cut -d' ' -f1)"

if [[ ! -x "$TOOLS/bin/check-jsonschema" || "$(cat "$STAMP" 2>/dev/null)" != "$want" ]]; then
    echo "check-compose: installing check-jsonschema into $TOOLS" >&2
    rm -rf "$TOOLS"
    "$PYTHON" -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c "$PINS" check-jsonschema
    echo "$want" > "$STAMP"
fi

"$TOOLS/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml

# The other deploy files are read by Prometheus and Grafana only at container start:
# a typo there would surface late, so at least make sure each one parses.
"$TOOLS/bin/python" - <<'PY'
import json
import pathlib
import sys
import tomllib

from ruamel.yaml import YAML

problems = []
for path in sorted(pathlib.Path("deploy").rglob("*.yml")):
    try:
        YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except Exception as exc:  # any parse error is a finding, whatever its class
        problems.append(f"{path}: not valid YAML: {exc}")
for path in sorted(pathlib.Path("deploy/grafana/dashboards").glob("*.json")):
    try:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        problems.append(f"{path}: not valid JSON: {exc}")
        continue
    for panel in dashboard.get("panels", []):
        if not all(t.get("expr") for t in panel.get("targets", [])) or not panel.get("targets"):
            problems.append(f"{path}: panel {panel.get('title')!r} has a target without a query")
try:
    tomllib.loads(pathlib.Path("deploy/sources.example.toml").read_text(encoding="utf-8"))
except (OSError, tomllib.TOMLDecodeError) as exc:
    problems.append(f"deploy/sources.example.toml: {exc}")
for line in problems:
    print(f"check-compose: {line}", file=sys.stderr)
if problems:
    sys.exit(1)
print("ok -- deploy files parse")
PY
