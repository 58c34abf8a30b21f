"""Opening the embedded store, as a read-only command pays it: snapshot + tail against the full replay.

    python bench/open_store.py [--sizes 0,10000,100000] [--keep /tmp/capgraph-open] [--runs 3]

For each size a store of that many synthetic capabilities is built once (bench/query.py's generator:
sources of 10,000 capabilities, vectors given, no encoder) into `--keep`/<size> and reused by later runs.
Each figure is measured in a fresh process (median of `--runs`), so it includes what a process pays:
- "replay": the baseline, in the same run: the snapshot is ignored and every source is replayed, as
  opening did before snapshots (the process writes nothing back);
- "snapshot": `NetworkxStore(folder)` then `list_models()` and `list_classes()`, the work of
  `capgraph models` / `capgraph classes`;
- "cli models": `capgraph models` end to end (interpreter start, imports, open, render);
- "first vector read": one `nearest` after opening (vectors and the HNSW graph are read lazily).
Peak RSS is the process's own (ru_maxrss), interpreter and imports included.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROBE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.networkx_store.persistence import NetworkxPersistence
mode, folder = sys.argv[1], sys.argv[2]
if mode == "replay":
    NetworkxPersistence._read_snapshot = lambda self, current: None
    NetworkxPersistence._amend = lambda self: None
t1 = time.perf_counter()
store = NetworkxStore(folder)
models = store.list_models(limit=20)
classes = store.list_classes()
t2 = time.perf_counter()
extra = 0.0
if mode == "vectors" and store.all_capability_ids():
    import numpy as np
    q = store.vectors(store.all_capability_ids()[:1])
    t3 = time.perf_counter()
    store.nearest(q, 10)
    extra = time.perf_counter() - t2
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "extra": extra, "rss": rss, "models": models[1]}))
"""


def ensure_store(keep: Path, size: int) -> Path:
    folder = keep / str(size)
    if (folder / "CURRENT").exists() or size == 0:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    import numpy as np

    from bench.query import build, unit_rows

    rng = np.random.default_rng(0)
    centers = unit_rows(rng, max(1, size // 100, 10))
    t0 = time.perf_counter()
    build(str(folder), size // 10, 10, max(1, size // 10_000), rng, centers).close()
    print(f"built {size:,} capabilities in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def probe(mode: str, folder: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(folder)], capture_output=True, text=True, env=env, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def cli(folder: Path) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CAPGRAPH_STORE": str(folder), "CAPGRAPH_USE_SERVER": "false"}
    code = "import resource, sys; from capgraph.api.cli import main; sys.argv = ['capgraph', 'models']\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass\n"
    code += "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)"
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - t0, float(out.stderr.strip().splitlines()[-1])


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,10000,100000")
    parser.add_argument("--keep", default="/tmp/capgraph-open", help="where built stores are kept for reuse")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        folder = ensure_store(Path(args.keep), size)
        probe("snapshot", folder)  # the first open of a store written without a snapshot writes one
        replay = [probe("replay", folder) for _ in range(args.runs)]
        snap = [probe("snapshot", folder) for _ in range(args.runs)]
        vec = [probe("vectors", folder) for _ in range(args.runs)]
        runs = [cli(folder) for _ in range(args.runs)]
        print(
            f"{size:>9,} capabilities: open replay {median(replay, 'open'):6.2f} s {median(replay, 'rss'):5.0f} MB | "
            f"snapshot {median(snap, 'open'):5.2f} s {median(snap, 'rss'):4.0f} MB "
            f"({median(replay, 'open') / max(median(snap, 'open'), 1e-3):5.1f}x faster) | "
            f"cli models {statistics.median(r[0] for r in runs):5.2f} s {statistics.median(r[1] for r in runs):4.0f} MB"
            f" | first vector read +{median(vec, 'extra'):5.2f} s {median(vec, 'rss'):4.0f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
