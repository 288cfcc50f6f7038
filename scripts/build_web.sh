#!/usr/bin/env bash
# Build the chat widget, kiosk and cohort-chart bundles: bot/web/dist/{widget,kiosk,cohort}.js.
# npm ci only when node_modules is missing or older than package-lock.json;
# the bundle step only when a source file is newer than the output.
# FORCE=1 rebuilds regardless.
set -euo pipefail
cd "$(dirname "$0")/../bot/web"

if [ "${FORCE:-0}" = "1" ] || [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "build_web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

outputs=(dist/widget.js dist/kiosk.js dist/cohort.js)
stale=0
for out in "${outputs[@]}"; do
  if [ ! -f "$out" ]; then stale=1; break; fi
  if [ -n "$(find src build.mjs package-lock.json -newer "$out" -print -quit)" ]; then stale=1; break; fi
done

if [ "${FORCE:-0}" = "1" ] || [ "$stale" = "1" ]; then
  echo "build_web: bundling"
  node build.mjs
else
  echo "build_web: dist/ is up to date"
fi
