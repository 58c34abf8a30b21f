"""Opening the embedded store, as a read-only command pays it: snapshot + tail against the full replay.

    python bench/open_store.py [--sizes 0,10000,100000] [--keep /tmp/capgraph-open] [--runs 3]

For each size a store of that many synthetic capabilities is built once (bench/query.py's generator:
sources of 10,000 capabilities, vectors given, no encoder) into `--keep`/<size> and reused by later runs.
Each figure is measured in a fresh process (median of `--runs`), so it includes what a process pays:
- "replay": the baseline, in the same run: the snapshot is ignored and every source is replayed, as
  opening did before snapshots (the process writes nothing back);
- "snapshot": `NetworkxStore(folder)` then `list_models()` and `list_classes()`, the work of
  `capgraph models` / `capgraph classes`;
- "cli models" / "cli classes" / "cli leaderboard": the command end to end (interpreter start, imports,
  open, render; the synthetic store has no scores, so the leaderboard builds its catalog and says so);
- "first vector read": one `nearest` after opening (vectors and the HNSW graph are read lazily).
Each figure is wall time and CPU time (user + system): on a shared machine the wall time includes waiting
for a core, the CPU time does not. Peak RSS is the process's own (ru_maxrss), interpreter and imports
included.
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
t0, c0 = time.perf_counter(), time.process_time()
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.networkx_store.persistence import NetworkxPersistence
mode, folder = sys.argv[1], sys.argv[2]
if mode == "replay":
    NetworkxPersistence._read_snapshot = lambda self, current: None
    NetworkxPersistence._amend = lambda self: None
t1, c1 = time.perf_counter(), time.process_time()
store = NetworkxStore(folder)
models = store.list_models(limit=20)
classes = store.list_classes()
t2, c2 = time.perf_counter(), time.process_time()
extra = 0.0
if mode == "vectors" and store.all_capability_ids():
    import numpy as np
    q = store.vectors(store.all_capability_ids()[:1])
    t3 = time.perf_counter()
    store.nearest(q, 10)
    extra = time.perf_counter() - t2
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"import": t1 - t0, "open": t2 - t1, "open_cpu": c2 - c1, "extra": extra, "rss": rss}))
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


def cli(folder: Path, *command: str) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one CLI command in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CAPGRAPH_STORE": str(folder), "CAPGRAPH_USE_SERVER": "false"}
    code = f"import sys; from capgraph.api.cli import main; sys.argv = ['capgraph', *{list(command)!r}]; main()"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


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
        base, fast = median(replay, "open"), median(snap, "open")
        print(
            f"{size:>9,} capabilities | open + models + classes: "
            f"replay {base:6.2f} s (CPU {median(replay, 'open_cpu'):5.2f} s) {median(replay, 'rss'):4.0f} MB | "
            f"snapshot {fast:5.2f} s (CPU {median(snap, 'open_cpu'):5.2f} s) {median(snap, 'rss'):4.0f} MB, "
            f"{base / max(fast, 1e-3):5.1f}x faster"
            f" | first vector read +{median(vec, 'extra'):5.2f} s, {median(vec, 'rss'):4.0f} MB",
            flush=True,
        )
        for command in (["models"], ["classes"], ["leaderboard", "MMLU"]):
            runs = [cli(folder, *command) for _ in range(args.runs)]
            wall, cpu, rss = (statistics.median(r[i] for r in runs) for i in range(3))
            print(f"{'':>9}   cli {' '.join(command):16s} {wall:5.2f} s (CPU {cpu:5.2f} s) {rss:4.0f} MB", flush=True)


if __name__ == "__main__":
    main()
