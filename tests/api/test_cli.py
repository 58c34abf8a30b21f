"""The `capgraph` command as a user runs it: tables or JSON, and one clear line (no traceback) on errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, seed_paths


def capgraph(*args: str, store: Path | str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAPGRAPH_STORE": str(store), "COLUMNS": "200"}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_parse_json_prints_the_extraction(tmp_path: Path) -> None:
    done = capgraph("parse", str(seed_paths()[0]), "--json", store=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert {"source", "models", "capabilities", "claims", "scores", "warnings"} <= set(data)
    assert len(data["source"]["id"]) == 64


def test_read_commands_on_a_seeded_store(seeded_copy: Path) -> None:
    models = capgraph("models", "--json", store=seeded_copy)
    assert models.returncode == 0
    ids = {m["id"] for m in json.loads(models.stdout)["models"]}
    seed_models = {"o4-mini", "gpt-4o", "llama-4", "llama-4-scout", "deepseek-r1-qwen-7b", "o1", "o3"}
    assert seed_models <= ids, seed_models - ids
    assert len(ids) >= 27
    table = capgraph("overlap", "o4-mini", "GPT-4o", store=seeded_copy)
    assert table.returncode == 0 and "Shared" in table.stdout and "function calling" in table.stdout
    alternatives = json.loads(capgraph("alternatives", "o4-mini", "--json", store=seeded_copy).stdout)
    assert "gpt-4o" in [a["model"]["id"] for a in alternatives["alternatives"][:3]]
    alt_table = capgraph("alternatives", "GPT-4o", store=seeded_copy)
    assert alt_table.returncode == 0 and "compared head-on" in alt_table.stdout
    gpt = json.loads(capgraph("alternatives", "GPT-4o", "--json", store=seeded_copy).stdout)
    assert "stable-diffusion" not in {a["model"]["id"] for a in gpt["alternatives"]}
    cake = capgraph("search", "bake a chocolate cake", store=seeded_copy)
    assert cake.returncode == 0 and "Nothing fits" in cake.stdout and "Near misses" in cake.stdout
    board = capgraph("leaderboard", "MMLU", store=seeded_copy)
    assert board.returncode == 1 and "No scores for benchmark 'MMLU'" in board.stderr


def test_errors_are_one_clear_line(seeded_copy: Path, tmp_path: Path) -> None:
    unknown = capgraph("alternatives", "o4-mimi", store=seeded_copy)
    assert unknown.returncode == 1 and "Did you mean: o4-mini" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    usage = capgraph("overlap", "o4-mini", store=seeded_copy)
    assert usage.returncode == 2 and "Missing argument" in usage.stderr
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02")
    refused = capgraph("ingest", str(binary), store=seeded_copy)
    assert refused.returncode == 1 and "binary" in refused.stderr.lower() and "Traceback" not in refused.stderr
    down = capgraph("models", store="neo4j://127.0.0.1:9")
    assert down.returncode == 3 and "not reachable" in down.stderr and "Traceback" not in down.stderr


def test_version(tmp_path: Path) -> None:
    done = capgraph("--version", store=tmp_path)
    assert done.returncode == 0 and re.fullmatch(r"capgraph \S+\n", done.stdout), done.stdout


def test_a_partly_failed_ingest_exits_non_zero_and_says_which(tmp_path: Path) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "good.txt").write_text(seed_paths()[0].read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad.txt").write_text("no names in here at all\n", encoding="utf-8")
    done = capgraph("ingest", str(folder), store=tmp_path / "store")
    assert done.returncode == 1
    assert "1 new" in done.stdout and "bad.txt" in done.stderr and "1 of 2 files failed" in done.stderr


def test_json_errors_are_json(seeded_copy: Path) -> None:
    done = capgraph("alternatives", "o4-minni", "--json", store=seeded_copy)
    assert done.returncode == 1
    body = json.loads(done.stdout)
    assert body["error"] == "ModelNotFound" and "o4-mini" in body["suggestions"]
    plain = capgraph("alternatives", "o4-minni", store=seeded_copy)
    assert plain.returncode == 1 and plain.stdout == "" and "o4-mini" in plain.stderr
