#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian/Ubuntu machine: the project with its test
# extras, Debian's Chromium for the browser tests, and axe-core from npm for the scans.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --upgrade pip
python -m pip install --quiet -c constraints.txt -e '.[test]'

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Debian's nginx for tests/deploy (the reverse proxy of docs/deployment.md); never started
# as a service, the test runs its own instance.
if [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi

# Debian's Redis server for the rate limit tests, which run their own instance on a free
# port (the counts shared through CAMPUSDESK_REDIS_URL).
if [ ! -x /usr/bin/redis-server ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
    npm ci --no-audit --no-fund --silent
fi
