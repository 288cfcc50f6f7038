#!/usr/bin/env bash
# Installs the Debian packages that `make test` and `make run-cluster` use, when
# missing: PostgreSQL, Redis, nginx (replicated setup and its tests), Chromium
# (browser tests), espeak-ng (kiosk read-aloud), a CJK font (screenshots).
# Needs root (or sudo) and apt; elsewhere it says what to install and goes on.
set -uo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
fc-list 2>/dev/null | grep -qiE "wqy|noto.*cjk" || need+=(fonts-wqy-microhei)
[ "${#need[@]}" -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo"
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; }; then
  echo "[system] Missing: ${need[*]}. Install them with your package manager; the tests that need them will fail or be skipped." >&2
  exit 0
fi
echo "[system] Installing: ${need[*]} (about 1 minute)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian postgresql package starts a system cluster on 5432; the project
# runs its own servers on other ports and does not need it.
