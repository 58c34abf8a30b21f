"""Read commands of the CLI use a running `capgraph serve` of the same store, say so, and fall back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from capgraph.app import Services
from tests.api.live import serving
from tests.conftest import ROOT

NOTE = "answered by the capgraph server"


def _cli(*args: str, store: Path, port: str, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    full = {**os.environ, "CAPGRAPH_STORE": str(store), "CAPGRAPH_PORT": port, "COLUMNS": "200", **env}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()", *args]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True, timeout=300)
    return done, time.perf_counter() - start


def test_read_commands_ask_the_running_server(services: Services, seeded_copy: Path) -> None:
    folder = Path(services.settings.store)
    with serving(services) as base:
        port = base.rsplit(":", 1)[1]
        served, fast = _cli("search", "long multi-turn conversation", "-k", "3", "--json", store=folder, port=port)
        assert served.returncode == 0, served.stderr
        assert NOTE in served.stderr and base in served.stderr
        local = services.queries.search("long multi-turn conversation", 3).model_dump(mode="json")
        assert json.loads(served.stdout) == local
        resolved, _ = _cli("resolve", "open weights under 10B parameters", "--json", store=folder, port=port)
        assert NOTE in resolved.stderr and json.loads(resolved.stdout) == services.queries.resolve(
            "open weights under 10B parameters"
        ).model_dump(mode="json")
        table, _ = _cli("compare", "o4-mini", "GPT-4o", store=folder, port=port)
        assert table.returncode == 0 and NOTE in table.stderr and "o4-mini" in table.stdout
        # an error answer is given locally, so the message and the exit code are the CLI's own
        unknown, _ = _cli("alternatives", "o4-mimi", store=folder, port=port)
        assert unknown.returncode == 1 and "Did you mean: o4-mini" in unknown.stderr and NOTE not in unknown.stderr
        # another store, or the operator's opt-out: answered here
        other, _ = _cli("search", "long multi-turn conversation", "--json", store=seeded_copy, port=port)
        assert other.returncode == 0 and NOTE not in other.stderr
        off, slow = _cli("search", "long multi-turn conversation", "-k", "3", "--json", store=folder, port=port,
                         CAPGRAPH_USE_SERVER="false")  # fmt: skip
        assert off.returncode == 0 and NOTE not in off.stderr and json.loads(off.stdout) == local
    # Speed is the benchmarks' job (bench/api_load.py); with the ONNX query encoder a cold local search no
    # longer pays for torch, so the two times are printed, not compared.
    print(f"cold CLI search: {slow:.1f} s answered here, {fast:.1f} s through the server")
