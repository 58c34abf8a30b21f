"""Write rate and vector-search latency of the Neo4j store next to the embedded store (printed figures).

Synthetic data, no encoder: each "source" is one IngestBatch of --models-per-source models with
--caps-per-model capabilities and random unit vectors (384 dims). Write rate counts capabilities per
second of `upsert` (vectors included, encoding excluded). Search latency is one `nearest(query, k)`
call per query, single-threaded; recall is against an exact scan of the same vectors.

usage: .venv/bin/python bench/neo4j_load.py --uri bolt://127.0.0.1:7688 --models 10000
(the Neo4j database is wiped first; the embedded store goes to a temp folder)
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence

import numpy as np

from capgraph.graph.schema import Capability, Extraction, Model, Source
from capgraph.graph.store import GraphStore, IngestBatch

DIM = 384


def batches(models: int, per_source: int, caps_per_model: int, seed: int = 0) -> list[IngestBatch]:
    rng = np.random.default_rng(seed)
    out = []
    for start in range(0, models, per_source):
        ids = [f"model-{i:06d}" for i in range(start, min(start + per_source, models))]
        caps = [
            Capability(id=f"{m}:cap-{j}", model_id=m, name=f"cap {j}", description=f"{m} does thing {j}")
            for m in ids
            for j in range(caps_per_model)
        ]
        vecs = rng.normal(size=(len(caps), DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        ex = Extraction(
            source=Source(id=f"bench-{start:06d}", title=f"bench {start}", format="comparison"),
            models=[Model(id=m, name=m.replace("-", " ").title()) for m in ids],
            capabilities=caps,
        )
        out.append(
            IngestBatch(
                extraction=ex,
                text=f"synthetic source {start}",
                vectors={c.id: v.tolist() for c, v in zip(caps, vecs, strict=True)},
                embedding_model="bench-random",
                embedding_dim=DIM,
            )
        )
    return out


def load(store: GraphStore, work: Sequence[IngestBatch], label: str) -> float:
    caps = sum(len(b.extraction.capabilities) for b in work)
    t0 = time.perf_counter()
    for i, b in enumerate(work, 1):
        store.upsert(b)
        if i % max(1, len(work) // 10) == 0:
            done = sum(len(x.extraction.capabilities) for x in work[:i])
            print(f"  {label}: {done}/{caps} capabilities, {done / (time.perf_counter() - t0):,.0f}/s", flush=True)
    elapsed = time.perf_counter() - t0
    return caps / elapsed


def latency(search: Callable[[np.ndarray], object], queries: np.ndarray) -> tuple[float, float]:
    search(queries[:1])  # warm-up (plan cache, index structures)
    times = []
    for q in queries:
        t0 = time.perf_counter()
        search(q[None, :])
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def recall(store: GraphStore, queries: np.ndarray, k: int, ids: list[str], matrix: np.ndarray) -> float:
    exact = np.argsort(-(queries @ matrix.T), axis=1)[:, :k]
    got = store.nearest(queries, k)
    hits = sum(len({ids[j] for j in row} & {h[0] for h in g}) for row, g in zip(exact, got, strict=True))
    return hits / (k * len(queries))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--password", default=None)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--models-per-source", type=int, default=50)
    parser.add_argument("--caps-per-model", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("-k", type=int, default=10)
    parser.add_argument("--skip-embedded", action="store_true", help="only the Neo4j store")
    args = parser.parse_args()

    from capgraph.graph.neo4j_store import Neo4jStore
    from capgraph.graph.networkx_store import NetworkxStore

    work = batches(args.models, args.models_per_source, args.caps_per_model)
    total_caps = sum(len(b.extraction.capabilities) for b in work)
    print(
        f"{args.models} models, {total_caps} capabilities, {len(work)} sources of "
        f"{args.models_per_source}x{args.caps_per_model}, {DIM} dims"
    )
    neo = Neo4jStore(args.uri, password=args.password)
    neo.clear()
    rng = np.random.default_rng(1)
    queries = rng.normal(size=(args.queries, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ids = [c for b in work for c in b.vectors]
    matrix = np.asarray([v for b in work for v in b.vectors.values()], dtype=np.float32)

    rows = []
    stores: list[tuple[str, GraphStore]] = [("neo4j", neo)]
    tmp = None
    if not args.skip_embedded:
        tmp = tempfile.TemporaryDirectory(prefix="capgraph-bench-")
        stores.append(("networkx", NetworkxStore(tmp.name)))
    for name, store in stores:
        rate = load(store, work, name)
        if name == "neo4j":
            neo.await_indexes()
        p50, p99 = latency(lambda q, s=store: s.nearest(q, args.k), queries)
        r = recall(store, queries, args.k, ids, matrix)
        rows.append((name, rate, p50, p99, r))
        store.close()
    recall_col = f"recall@{args.k}"
    print(f"\n{'store':<10} {'write caps/s':>14} {'search p50 ms':>14} {'search p99 ms':>14} {recall_col:>10}")
    for name, rate, p50, p99, r in rows:
        print(f"{name:<10} {rate:>14,.0f} {p50:>14.2f} {p99:>14.2f} {r:>10.3f}")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
