#!/bin/sh
# Headless Chromium and its WebDriver for the console's browser tests (tests/browser).
# Idempotent: does nothing when both are installed. Needs root and apt (Debian/Ubuntu);
# elsewhere it says so and exits 0, and the browser tests skip with that reason.
set -eu
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: chromium/chromedriver missing and cannot apt-get install them here" \
         "(need root and apt); browser tests will be skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "install-browser: $(chromium --version 2>/dev/null | head -n1)"
