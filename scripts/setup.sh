#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies.
# Re-running is cheap: nothing is reinstalled unless requirements.txt,
# constraints.txt or requirements-nodeps.txt changed (a hash stamp in .venv records what was installed).
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3.10; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local v
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
      local p; p="$(pyenv root)/versions/$v/bin/python"
      [ -x "$p" ] && { echo "$p"; return 0; }
    done
  fi
  for p in "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$p" ] && { echo "$p"; return 0; }
  done
  return 1
}

stamp_file=.venv/.installed
want="$(cat requirements.txt constraints.txt requirements-nodeps.txt | sha256sum | cut -c1-16)"
if [ -x .venv/bin/python ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
  echo "[setup] .venv is up to date."
  exit 0
fi

if [ ! -x .venv/bin/python ]; then
  if ! PY="$(find_python)"; then
    cat >&2 <<'MSG'
[setup] Python 3.10 was not found (Rasa Open Source 3.6 supports Python 3.8-3.10 only).
        Install it, then run the command again, with one of:
          pyenv install 3.10.13              (if you use pyenv)
          sudo apt-get install python3.10 python3.10-venv   (Debian/Ubuntu with 3.10 packages)
        or point PYTHON at a 3.10 interpreter: make run PYTHON=/path/to/python3.10
MSG
    exit 1
  fi
  echo "[setup] Creating .venv with $PY"
  "$PY" -m venv .venv
fi

echo "[setup] Installing dependencies into .venv (Rasa 3.6.21, TensorFlow 2.12 ...): usually about 3 minutes, 2.7 GB."
start=$(date +%s)
.venv/bin/python -m pip install --disable-pip-version-check --progress-bar on \
  -r requirements.txt -c constraints.txt 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -m pip install --disable-pip-version-check --no-deps -r requirements-nodeps.txt 2>&1 \
  | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import rasa, rasa_sdk, jieba, sqlalchemy, aiohttp, wechatpy, reportlab" \
  || { echo "[setup] The install did not complete; see the messages above." >&2; exit 1; }
echo "$want" > "$stamp_file"
echo "[setup] Done in $(( $(date +%s) - start )) s."
