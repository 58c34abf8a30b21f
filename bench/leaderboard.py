"""A benchmark leaderboard on a large store: the catalog's way (every model's facts read) against the store's
benchmark index (only that benchmark's scores read), each in a fresh process, medians of `--runs`.

    python bench/leaderboard.py [--sizes 10000,100000] [--keep /tmp/capgraph-board] [--runs 3]

Each store is bench/open_store.py's synthetic one (sources of 10,000 capabilities, vectors given) plus one
page of scores: `--scored` models on MMLU and GPQA, some stated twice with different values (a conflict).
Printed per size: wall and CPU time of open + leaderboard("MMLU"), and of an unknown benchmark (the error
lists the known ones, which the catalog path also built the catalog for); the two paths' rows must agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROBE = r"""
import json, sys, time
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.search.leaderboard import benchmarks, leaderboard, store_benchmarks, store_leaderboard
from capgraph.graph.search.records import read_catalog
mode, folder, name = sys.argv[1], sys.argv[2], sys.argv[3]
t0, c0 = time.perf_counter(), time.process_time()
store = NetworkxStore(folder)
if mode == "catalog":
    catalog = read_catalog(store)
    board = leaderboard(catalog, name)
    known = len(benchmarks(catalog)) if not board.rows else 0
else:
    board = store_leaderboard(store, name)
    known = len(store_benchmarks(store)) if not board.rows else 0
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({"wall": wall, "cpu": cpu, "rows": len(board.rows), "known": known, "board": board.model_dump_json()}))
"""


def ensure_scored(keep: Path, size: int, scored: int) -> Path:
    """The synthetic store of `size` capabilities plus one page scoring its first `scored` models."""
    from bench.open_store import ensure_store
    from capgraph.graph.networkx_store import NetworkxStore
    from capgraph.graph.schema import Extraction, Score, Source
    from capgraph.graph.store import IngestBatch

    folder = ensure_store(keep, size)
    store = NetworkxStore(folder)
    try:
        if not store.has_source("scores"):
            models = [m for m in store.list_models(limit=scored)[0]]
            scores = [Score(model_id=m.id, benchmark="MMLU", value=50 + (i * 7) % 40) for i, m in enumerate(models)]
            scores += [Score(model_id=m.id, benchmark="GPQA Diamond", value=30 + i % 50) for i, m in enumerate(models)]
            scores += [Score(model_id=m.id, benchmark="MMLU (5-shot)", value=51.0) for m in models[::10]]
            source = Source(id="scores", title="URL: https://example.org/board")
            ex = Extraction(source=source, models=models, scores=scores)
            store.upsert(IngestBatch(extraction=ex, text="scores"))
    finally:
        store.close()
    return folder


def probe(mode: str, folder: Path, name: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(folder), name], capture_output=True, text=True, env=env, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--keep", default="/tmp/capgraph-board", help="where built stores are kept for reuse")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scored", type=int, default=500, help="models with scores")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        folder = ensure_scored(Path(args.keep), size, args.scored)
        probe("index", folder, "MMLU")  # a first open may write a snapshot
        for name in ("MMLU", "no such benchmark"):
            cells = []
            boards = set()
            for mode in ("catalog", "index"):
                runs = [probe(mode, folder, name) for _ in range(args.runs)]
                boards.add(str(runs[0]["board"]))
                wall = statistics.median(float(str(r["wall"])) for r in runs)
                cpu = statistics.median(float(str(r["cpu"])) for r in runs)
                cells.append(f"{mode} {wall:6.2f} s (CPU {cpu:6.2f} s), {runs[0]['rows']} rows")
            same = "same rows" if len(boards) == 1 else "ROWS DIFFER"
            print(f"{size:>9,} capabilities | leaderboard {name!r:21} | {' | '.join(cells)} | {same}", flush=True)


if __name__ == "__main__":
    main()
