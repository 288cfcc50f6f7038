#!/usr/bin/env bash
# Runs every test: fast unit tests first, then the tests against the running
# assistant (trained model, real databases, real browser).
set -uo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p test-artifacts
.venv/bin/python -m pytest tests -ra "$@"
rc=$?
# pytest exits 5 when it collected nothing: that is a failure here.
[ "$rc" -eq 5 ] && { echo "No tests were collected." >&2; exit 1; }
exit "$rc"
