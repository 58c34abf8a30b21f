#!/usr/bin/env bash
# Creates (or refreshes) the virtualenv and installs capgraph with its dev tools.
# The venv lives in .venv unless CAPGRAPH_VENV says otherwise (CI keeps one outside the clone so
# torch is not reinstalled on every run). Dependencies are reinstalled only when pyproject.toml changes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CAPGRAPH_VENV:-$ROOT/.venv}"
PYTHON_BIN="${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "setup: creating virtualenv in $VENV" >&2
  mkdir -p "$(dirname "$VENV")"
  "$PYTHON_BIN" -m venv "$VENV"
fi
stamp="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [[ "$(cat "$VENV/.capgraph-deps" 2>/dev/null || true)" != "$stamp" ]]; then
  echo "setup: installing dependencies (the first time downloads torch: several minutes)" >&2
  "$VENV/bin/pip" install --quiet --upgrade pip "setuptools>=68"
  "$VENV/bin/pip" install --quiet -e "$ROOT[dev,onnx]"
  echo "$stamp" > "$VENV/.capgraph-deps"
fi
# Point the editable install at this checkout (cheap; matters when one venv serves several clones).
"$VENV/bin/pip" install --quiet --no-deps --no-build-isolation -e "$ROOT"
echo "$VENV"
