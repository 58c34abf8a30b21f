"""Recall and latency of the embedded store's vector index against exact search, at several sizes.

    python bench/vector_index.py [--sizes 20000,100000,1000000] [--queries 100] [--batch 10000] [--ivf]

Vectors are bench/query.py's: unit vectors scattered around one topic per hundred vectors (cosine to
their topic ~0.55), which is how capability embeddings clump. The index is filled in batches, as writes
fill it, then persisted and reopened (`from_parts`), as a new process would. Baseline in the same run:
the exact top-k (numpy: one matrix-vector product + argpartition) over the same matrix for the same
queries; recall@10 is |index top-10 ∩ exact top-10| / 10, averaged over the queries. With --ivf the
index this one replaced (faiss IVF, 2·sqrt(N) cells, 32 probes) is measured too, on the same vectors.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capgraph.embeddings.index import VectorIndex  # noqa: E402

DIM = 384
K = 10


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.normal(size=(n, DIM)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def around(rng: np.random.Generator, centers: np.ndarray, n: int, spread: float = 0.08) -> np.ndarray:
    picks = centers[rng.integers(0, len(centers), size=n)]
    m = (picks + spread * rng.normal(size=picks.shape)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def p50_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def old_ivf(matrix: np.ndarray) -> object:
    import faiss

    cells = max(64, int(2 * math.sqrt(len(matrix))))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, cells, faiss.METRIC_INNER_PRODUCT)
    rows = np.random.default_rng(0).choice(len(matrix), size=min(len(matrix), cells * 64), replace=False)
    ivf.train(matrix[np.sort(rows)])
    ivf.nprobe = 32
    ivf.add(matrix)
    return ivf


def measure(n: int, queries: int, batch: int, ivf: bool) -> None:
    rng = np.random.default_rng(0)
    centers = unit_rows(rng, max(1, n // 100))
    index = VectorIndex(DIM)
    t0, cpu0 = time.perf_counter(), time.process_time()
    for start in range(0, n, batch):
        block = around(rng, centers, min(batch, n - start))
        index.add({f"c{start + i}": row for i, row in enumerate(block)})
    fill_s, fill_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    t0 = time.perf_counter()
    ann = index.ann_bytes()
    segment = index.segment_bytes()
    save_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    reopened = VectorIndex.from_parts(DIM, [segment], ann)
    open_s = time.perf_counter() - t0
    matrix, ids = reopened.matrix, reopened.ids
    qs = around(rng, centers, queries)
    exact_t, index_t, hits = [], [], 0
    for q in qs:
        t0 = time.perf_counter()
        scores = matrix @ q
        top = np.argpartition(-scores, K)[:K]
        exact_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        got = reopened.search(q[None, :], K)[0]
        index_t.append(time.perf_counter() - t0)
        hits += len({ids[r] for r in top} & {cid for cid, _ in got})
    kind = "HNSW" if reopened.approximate else "exact"
    print(
        f"N={n:>9,}  {kind:5s}  recall@{K} {hits / (K * queries):.3f}  search p50 {p50_ms(index_t):7.2f} ms  "
        f"exact numpy p50 {p50_ms(exact_t):7.2f} ms ({p50_ms(exact_t) / p50_ms(index_t):6.1f}x)  "
        f"fill {fill_s:6.1f} s (cpu {fill_cpu:6.1f} s)  save {save_s:5.1f} s  reopen {open_s:5.1f} s"
    )
    if ivf:
        t0 = time.perf_counter()
        old = old_ivf(matrix)
        build_s = time.perf_counter() - t0
        old_t, old_hits = [], 0
        for q in qs:
            t0 = time.perf_counter()
            _, rows = old.search(q[None, :], K)  # type: ignore[attr-defined]
            old_t.append(time.perf_counter() - t0)
            exact = set(np.argpartition(-(matrix @ q), K)[:K].tolist())
            old_hits += len(exact & set(rows[0].tolist()))
        print(
            f"{'':12s} old IVF recall@{K} {old_hits / (K * queries):.3f}  search p50 {p50_ms(old_t):7.2f} ms  "
            f"build {build_s:6.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="20000,100000")
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--ivf", action="store_true", help="also measure the IVF index this one replaced")
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        measure(n, args.queries, args.batch, args.ivf)


if __name__ == "__main__":
    main()
