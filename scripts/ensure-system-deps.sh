#!/usr/bin/env bash
# The test suite drives Debian's Chromium (browser tests), starts Debian's nginx (gateway test) and Debian's
# redis-server (the fleet tests: one circuit and one rate across processes).
# Installs them when missing, so `npm test` works on a fresh machine; says what to do where it cannot.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing ${missing[*]} (needed by the browser, gateway and fleet tests)…"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Cannot install ${missing[*]} here: run 'sudo apt-get install -y ${missing[*]}' (Debian), then npm test again." >&2
  exit 1
fi
