#!/usr/bin/env bash
# Trains the Rasa model only when the training data, domain or config changed.
# The fingerprint of those files names the model, so a second run is instant.
set -euo pipefail
cd "$(dirname "$0")/.."
fp="$(find config.yml domain.yml data dict bot/nlu -type f \( -name '*.yml' -o -name '*.yaml' -o -name '*.txt' -o -name '*.py' \) -print0 \
      | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-12)"
model="models/cca-$fp.tar.gz"
if [ -f "$model" ]; then
  echo "[train] Model is up to date ($model)."
  exit 0
fi
echo "[train] Training data changed: training a new model (usually under a minute) ..."
start=$(date +%s)
mkdir -p models var
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
.venv/bin/rasa train --fixed-model-name "cca-$fp" --out models --num-threads 2 > var/train.log 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  step="$(tr '\r' '\n' < var/train.log | grep -E 'Epochs:|Starting to train|Finished training' | tail -n 1 | cut -c1-90 || true)"
  echo "[train] $(( $(date +%s) - start )) s ${step}"
done
if ! wait "$pid" || [ ! -f "$model" ]; then
  tail -n 30 var/train.log >&2
  echo "[train] Training failed; full log: var/train.log" >&2
  exit 1
fi
grep -E "Misaligned|UserWarning: .*(entity|intent)" var/train.log | head -5 || true
# Keep only the current model so the server loads the right one.
find models -name 'cca-*.tar.gz' ! -name "cca-$fp.tar.gz" -delete
echo "[train] Done in $(( $(date +%s) - start )) s: $model"
