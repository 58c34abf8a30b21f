"""Cold start: read-only commands never import the encoder's stack, and the server answers /health at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

from fastapi.testclient import TestClient

from capgraph.api.app import create_app
from capgraph.app import Services
from capgraph.embeddings.encoder import Encoder
from tests.api.conftest import BASE_URL, keyed
from tests.conftest import ROOT

# torch + sentence-transformers cost seconds; scipy (via bm25s) and httpx a few hundred ms more
HEAVY = ("torch", "sentence_transformers", "transformers", "scipy", "bm25s", "httpx")
# the query rules and the ingest pipeline: `capgraph models` lists the store without them (~0.1 s CPU)
RULES = (
    "capgraph.app.ingest",
    "capgraph.api.schemas",
    "capgraph.graph.compare",
    "capgraph.graph.match",
    "capgraph.graph.resolve",
    "capgraph.graph.search.answers",
    "capgraph.graph.search.hybrid",
)
RUN = """
import atexit, sys
out, watched = sys.argv.pop(1), sys.argv.pop(1).split(",")
def report():
    with open(out, "w") as f:
        f.write(" ".join(m for m in watched if m in sys.modules))
atexit.register(report)
from capgraph.api.cli import main
main()
"""


def _free_port() -> str:
    """A port nothing listens on, so the CLI's server probe finds no server there."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def _heavy_modules(tmp_path: Path, store: Path, *args: str, watch: tuple[str, ...] = HEAVY) -> list[str]:
    out = tmp_path / "modules.txt"
    env = {**os.environ, "CAPGRAPH_STORE": str(store), "CAPGRAPH_PORT": _free_port(), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(out), ",".join(watch), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the command printed nothing"
    return out.read_text().split()


def test_read_only_commands_import_no_heavy_module(seeded_folder: Path, tmp_path: Path) -> None:
    for args in (
        ("models",),
        ("classes",),
        ("class", "conversation state"),
        ("leaderboard", "GPQA Diamond"),
        ("stats",),
    ):
        assert _heavy_modules(tmp_path, seeded_folder, *args) == [], args
    # compare pairs capabilities by optimal assignment (scipy's linear_sum_assignment), but encodes nothing
    assert _heavy_modules(tmp_path, seeded_folder, "compare", "o4-mini", "GPT-4o") == ["scipy"]


def test_listing_models_loads_no_query_rule(seeded_folder: Path, tmp_path: Path) -> None:
    assert _heavy_modules(tmp_path, seeded_folder, "models", watch=RULES) == []
    # the probe sees them where they are used: a leaderboard goes through the cached answers
    assert "capgraph.graph.search.hybrid" in _heavy_modules(tmp_path, seeded_folder, "leaderboard", "AIME", watch=RULES)


class GatedEncoder(Encoder):
    """The session's real model, handed over only when the test opens the gate (a slow model load)."""

    def __init__(self, real: Encoder, gate: threading.Event) -> None:
        super().__init__(real.model_path)
        self._real, self._gate = real, gate

    def warm_up(self) -> None:
        self._gate.wait(timeout=20)
        self._model = self._real._load()
        super().warm_up()


def test_health_answers_while_the_model_loads(seeded_folder: Path, encoder: Encoder) -> None:
    gate = threading.Event()
    services = Services(keyed(seeded_folder), encoder=GatedEncoder(encoder, gate))
    with TestClient(create_app(services=services), base_url=BASE_URL) as c:
        early = c.get("/health").json()
        assert early["status"] == "degraded" and early["model"]["loaded"] is False
        assert c.get("/models/o4-mini").status_code == 200  # reads need no model
        gate.set()
        found = c.get("/search", params={"q": "image generation"})  # waits for the load, then answers
        assert found.status_code == 200 and found.json()["hits"]
        assert c.get("/health").json()["status"] == "ok"
