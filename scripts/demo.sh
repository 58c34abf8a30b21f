#!/usr/bin/env bash
# The main job on the embedded store: set up, ingest the example texts, answer a few match questions.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$("$ROOT/scripts/setup.sh" | tail -n 1)"
export CAPGRAPH_STORE="${CAPGRAPH_STORE:-$ROOT/data}"
cg() { echo; echo "\$ capgraph $*"; "$VENV/bin/capgraph" "$@"; }
cg ingest "${1:-$ROOT/examples}"
cg models
cg alternatives o4-mini -k 5
cg overlap o4-mini GPT-4o
cg search "keeps context across a long multi-turn conversation" -k 5
cg compare o4-mini "Llama 4"
