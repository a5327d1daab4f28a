#!/usr/bin/env bash
# Set up a development machine from nothing: Python environment, Kafka jars, default model.
# Idempotent: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ] || [ requirements.lock -nt .venv/.installed ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
  .venv/bin/python -m pip install --quiet --no-deps -e .
  touch .venv/.installed
fi

echo "==> Apache Kafka jars (Maven Central, cached in .cache/)"
.venv/bin/floodcast broker install

if ! .venv/bin/floodcast model verify models/default >/dev/null 2>&1; then
  echo "==> building the default model package (simulate, train on three splits, evaluate, export; several minutes)"
  .venv/bin/floodcast train --out models/default
fi
echo "==> ready"
