#!/usr/bin/env bash
# Makes sure `prometheus` and `promtool` are on PATH: the tests check the metrics
# expositions, the alert rules and a real scrape with them. Idempotent and quiet:
# does nothing when both are present; otherwise installs Debian's `prometheus`
# package (which ships promtool) with apt-get. Needs root (or passwordless sudo).
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have prometheus && have promtool; then
    exit 0
fi

fail() {
    echo "install-prometheus: $*" >&2
    echo "install-prometheus: install Debian's 'prometheus' package (apt-get install prometheus)" \
         "or put prometheus and promtool on PATH, then rerun." >&2
    exit 1
}

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
    if have sudo && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        fail "prometheus/promtool are missing and installing them needs root"
    fi
fi
have apt-get || fail "prometheus/promtool are missing and this system has no apt-get"

export DEBIAN_FRONTEND=noninteractive
echo "install-prometheus: installing Debian's prometheus package (prometheus, promtool)" >&2
# The package index may be empty on a fresh image: update it only when it knows no candidate.
if ! apt-cache policy prometheus 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    $SUDO apt-get update -qq >/dev/null || fail "apt-get update failed"
fi
# --no-install-recommends: the package recommends the node exporter and more we do not need.
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null \
    || fail "apt-get install prometheus failed"
have prometheus && have promtool || fail "installed the package but prometheus/promtool are still not on PATH"
echo "install-prometheus: $(prometheus --version 2>&1 | head -1)" >&2
