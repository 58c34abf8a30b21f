#!/usr/bin/env bash
# Sets up, then runs the lint and type gates and the whole test suite. The Neo4j tests start a real
# local Neo4j themselves (neo4j-server/server.sh); in CI (CI=true) they fail rather than skip without it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$("$ROOT/scripts/setup.sh" | tail -n 1)"
export PATH="$VENV/bin:$PATH"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
# The Browser test drives Debian's Chromium (playwright downloads no browser of its own here).
if ! command -v chromium >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]]; then
    echo "test: installing chromium (Debian package) for the Neo4j Browser test" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "test: could not install chromium; the Browser test will fail in CI and skip locally" >&2
  else
    echo "test: chromium missing and not root: the Browser test will skip (fail in CI)" >&2
  fi
fi
# Neo4j jars come from Maven Central into .neo4j/ (cached in ~/.m2); the Neo4j tests start the server.
"$ROOT/neo4j-server/server.sh" fetch
ruff check .
mypy
pytest "$@"
