#!/usr/bin/env bash
# Sets up, then runs the lint and type gates and the whole test suite. The Neo4j tests start a real
# local Neo4j themselves (neo4j/server.sh); in CI (CI=true) they fail rather than skip without it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$("$ROOT/scripts/setup.sh" | tail -n 1)"
export PATH="$VENV/bin:$PATH"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
ruff check .
mypy
pytest "$@"
