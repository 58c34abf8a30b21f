"""Latency of alternatives, overlap and search on a large synthetic embedded store, vs numpy brute force.

    python bench/query.py [--models 10000] [--caps-per-model 10] [--queries 200]

Vectors are synthetic: unit vectors scattered around one random "topic" per ten models (cosine to
their topic ~0.55), which is how real capability embeddings clump. Baseline, in the same run: a numpy brute-force top-k
(one matrix product over every capability vector + argpartition) for the same query vectors. Query
encoding is excluded (a fixed query vector stands in for the encoder) so the figures are the graph's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capgraph.graph import match  # noqa: E402
from capgraph.graph.networkx_store import NetworkxStore  # noqa: E402
from capgraph.graph.schema import Capability, Comparison, Extraction, Model, Source  # noqa: E402
from capgraph.graph.search.answers import Answers  # noqa: E402
from capgraph.graph.store import IngestBatch  # noqa: E402

DIM = 384


class FixedEncoder:
    """Stands in for the model: returns pre-drawn query vectors (encoding is not what is measured)."""

    name = "bench"
    dim = DIM
    texts_encoded = 0

    def __init__(self, vectors: np.ndarray):
        self.vectors, self.i = vectors, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > 1:  # a batch (the search index's model profiles): any unit rows will do
            return unit_rows(np.random.default_rng(len(texts)), len(texts))
        self.i = (self.i + 1) % len(self.vectors)
        return self.vectors[self.i : self.i + 1]


def unit_rows(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.normal(size=(n, DIM)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def around(rng: np.random.Generator, centers: np.ndarray, n: int, spread: float = 0.08) -> np.ndarray:
    picks = centers[rng.integers(0, len(centers), size=n)]
    m = (picks + spread * rng.normal(size=picks.shape)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def build(
    folder: str, models: int, per_model: int, batches: int, rng: np.random.Generator, centers: np.ndarray
) -> NetworkxStore:
    store = NetworkxStore(folder)
    per_batch = models // batches
    for b in range(batches):
        ms = [Model(id=f"m{b * per_batch + i:05d}", name=f"Model {b * per_batch + i}") for i in range(per_batch)]
        caps = [
            Capability(id=f"{m.id}:c{j}", model_id=m.id, name=f"cap {j}", description=f"{m.name} capability {j}")
            for m in ms
            for j in range(per_model)
        ]
        vectors = around(rng, centers, len(caps))
        ex = Extraction(
            source=Source(id=f"s{b:04d}", title=f"synthetic {b}"),
            models=ms,
            capabilities=caps,
            comparisons=[Comparison(a=ms[i].id, b=ms[i + 1].id) for i in range(0, len(ms) - 1, 2)],
        )
        store.upsert(
            IngestBatch(
                extraction=ex,
                text=f"synthetic {b}",
                vectors={c.id: v.tolist() for c, v in zip(caps, vectors, strict=True)},
                embedding_model="bench",
                embedding_dim=DIM,
            )
        )
    return store


def timed(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.99 * len(samples)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--caps-per-model", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--batches", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        centers = unit_rows(rng, max(1, args.models // 10))
        store = build(folder, args.models, args.caps_per_model, args.batches, rng, centers)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        store.nearest(around(rng, centers, 1), 1)  # warm-up
        index_s = time.perf_counter() - t0
        ids = store.all_capability_ids()
        matrix = store.vectors(ids)
        queries = around(rng, centers, args.queries)
        model_ids = [f"m{i:05d}" for i in rng.choice(args.models, size=args.queries, replace=True)]
        k = 10

        def brute_force(i: int) -> None:
            scores = matrix @ queries[i]
            top = np.argpartition(-scores, k * 10)[: k * 10]
            top[np.argsort(-scores[top])]

        def brute_force_model(i: int) -> None:  # alternatives' baseline: all of one model's capabilities
            own = store.vectors([f"{model_ids[i]}:c{j}" for j in range(args.caps_per_model)])
            scores = own @ matrix.T
            np.argpartition(-scores, 25, axis=1)[:, :25]

        encoder = FixedEncoder(queries)
        answers = Answers(store, lambda: encoder)
        t0 = time.perf_counter()
        answers.index()  # built once per store state, like the API server does
        answers_s = time.perf_counter() - t0
        words = [f"capability {i % args.caps_per_model} of Model {i}" for i in range(args.queries)]
        figures = {
            "numpy brute-force top-k (1 query)": timed(brute_force, args.queries),
            "numpy brute-force top-k (a model's caps)": timed(brute_force_model, args.queries),
            "search": timed(lambda i: match.search(store, encoder, "q", k), args.queries),
            "alternatives": timed(lambda i: match.alternatives(store, model_ids[i], k), args.queries),
            "hybrid search (BM25 + dense, RRF, floor)": timed(lambda i: answers.search(words[i], k), args.queries),
            "alternatives from all evidence": timed(lambda i: answers.alternatives(model_ids[i], k), args.queries),
            "overlap": timed(
                lambda i: match.overlap(store, model_ids[i], model_ids[(i + 1) % len(model_ids)]), args.queries
            ),
        }
        row_of = {cid: n for n, cid in enumerate(ids)}
        recall_hits = 0
        for i in range(min(50, args.queries)):
            exact = set(np.argsort(-(matrix @ queries[i]))[:k].tolist())
            got = {row_of[cid] for cid, _ in store.nearest(queries[i : i + 1], k)[0]}
            recall_hits += len(exact & got)
        recall = recall_hits / (min(50, args.queries) * k)

    print(
        f"store: {args.models} models, {len(ids)} capabilities; built in {build_s:.1f} s, first query {index_s:.2f} s"
    )
    print(f"vector index recall@{k} vs exact: {recall:.3f}; answers index (catalog + BM25) built in {answers_s:.1f} s")
    base = figures["numpy brute-force top-k (1 query)"][0]
    for name, (p50, p99) in figures.items():
        print(f"{name:42s} p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  (p50 / brute-force {p50 / base:6.2f}x)")


if __name__ == "__main__":
    main()
