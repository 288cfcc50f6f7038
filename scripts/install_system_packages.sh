#!/usr/bin/env bash
# Installs the Debian packages the assistant uses, when missing.
#   install_system_packages.sh run    what `make run` needs: espeak-ng (kiosk read-aloud,
#                                     English and the fallback voice) and a CJK TrueType font
#                                     (embedded in the PDF reports).
#   install_system_packages.sh        everything `make test` and `make run-cluster` use: the above,
#                                     PostgreSQL, Redis, nginx (replicated setup and its tests),
#                                     Chromium (browser tests), poppler-utils (PDF pages to PNG).
# Needs root (or sudo) and apt; elsewhere it says what to install and goes on (the kiosk then
# says that read-aloud is off, and reports use a non-embedded font).
set -uo pipefail
profile="${1:-all}"
need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)
if [ "$profile" != "run" ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fi
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
