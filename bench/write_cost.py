"""Per-document write cost of the embedded store, outside encoding, as the store grows; and its open time.

    python bench/write_cost.py [--sizes 0,10000,100000] [--docs 20]

For each size, a store is filled with that many synthetic capabilities (bench/query.py's vectors, in
sources of 10,000), then `--docs` small documents (one model, ten capabilities, vectors given, so no
encoder runs) are written one by one with `upsert`; the median time per document is reported, with its
ratio to the same median on an empty store measured in the same run (the baseline). "open" is
`NetworkxStore(folder)` on the filled store, as a read-only CLI command pays it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.query import DIM, around, build, unit_rows  # noqa: E402
from capgraph.graph.networkx_store import NetworkxStore  # noqa: E402
from capgraph.graph.schema import Capability, Extraction, Model, Source  # noqa: E402
from capgraph.graph.store import IngestBatch  # noqa: E402


def document(n: int, rng: np.random.Generator, centers: np.ndarray) -> IngestBatch:
    model = Model(id=f"new{n:04d}", name=f"New model {n}")
    caps = [
        Capability(id=f"{model.id}:c{j}", model_id=model.id, name=f"new cap {j}", description=f"capability {j}")
        for j in range(10)
    ]
    vectors = around(rng, centers, len(caps))
    return IngestBatch(
        extraction=Extraction(source=Source(id=f"doc{n:04d}", title=f"doc {n}"), models=[model], capabilities=caps),
        text=f"document {n}",
        vectors={c.id: v.tolist() for c, v in zip(caps, vectors, strict=True)},
        embedding_model="bench",
        embedding_dim=DIM,
    )


def measure(size: int, docs: int) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    centers = unit_rows(rng, max(1, size // 100, 10))
    with tempfile.TemporaryDirectory() as folder:
        if size:
            build(folder, size // 10, 10, max(1, size // 10_000), rng, centers).close()
        t0 = time.perf_counter()
        store = NetworkxStore(folder)
        open_s = time.perf_counter() - t0
        samples = []
        for n in range(docs):
            batch = document(n, rng, centers)
            t0 = time.perf_counter()
            store.upsert(batch)
            samples.append(time.perf_counter() - t0)
        store.close()
    return statistics.median(samples) * 1000, open_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,10000,100000")
    parser.add_argument("--docs", type=int, default=20)
    args = parser.parse_args()
    base = None
    for size in (int(s) for s in args.sizes.split(",")):
        per_doc, open_s = measure(size, args.docs)
        base = per_doc if base is None else base
        print(
            f"{size:>9,} capabilities: per document p50 {per_doc:8.2f} ms ({per_doc / base:5.2f}x the first size)  "
            f"open {open_s:6.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
