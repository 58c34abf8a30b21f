"""VectorIndex: exact below EXACT_MAX, an HNSW graph above it; ids stay right through add/replace/remove/persist."""

from __future__ import annotations

import numpy as np
import pytest

from capgraph.embeddings import index as index_module
from capgraph.embeddings.index import VectorIndex

DIM = 32


def clustered(rng: np.random.Generator, n: int, topics: int = 40) -> np.ndarray:
    centers = rng.normal(size=(topics, DIM))
    m = centers[rng.integers(0, topics, size=n)] + 0.15 * rng.normal(size=(n, DIM))
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


def exact_top(matrix: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    return [int(i) for i in np.argsort(-(matrix @ query), kind="stable")[:k]]


def test_exact_search_orders_by_cosine_and_breaks_ties_by_id() -> None:
    index = VectorIndex(2)
    index.add({"b": np.array([1.0, 0.0]), "a": np.array([1.0, 0.0]), "c": np.array([0.0, 1.0])})
    hits = index.search(np.array([[1.0, 0.0]], dtype=np.float32), 3)[0]
    assert [h[0] for h in hits] == ["a", "b", "c"]
    assert hits[0][1] == pytest.approx(1.0) and hits[2][1] == pytest.approx(0.0)
    assert not index.approximate


def test_add_replace_remove_and_roundtrip() -> None:
    rng = np.random.default_rng(1)
    vectors = clustered(rng, 50)
    index = VectorIndex(DIM)
    index.add({f"v{i}": vectors[i] for i in range(50)})
    index.add({"v3": vectors[7]})  # replace
    index.remove(["v0", "v1"])
    assert len(index) == 48 and "v0" not in index
    np.testing.assert_allclose(index.get(["v3"])[0], vectors[7])
    copy = VectorIndex.from_parts(DIM, [index.segment_bytes()])
    assert copy.ids == index.ids
    np.testing.assert_array_equal(copy.matrix, index.matrix)
    # segments written in order: a later vector for an id replaces the earlier one, at the earlier row
    first = VectorIndex(DIM)
    first.add({"a": vectors[0], "b": vectors[1]})
    second = VectorIndex(DIM)
    second.add({"b": vectors[2], "c": vectors[3]})
    merged = VectorIndex.from_parts(DIM, [first.segment_bytes(), second.segment_bytes()])
    assert merged.ids == ["a", "b", "c"]
    np.testing.assert_array_equal(merged.get(["b"])[0], vectors[2])
    with pytest.raises(ValueError):
        index.add({"bad": np.zeros(DIM + 1, dtype=np.float32)})


def recall(index: VectorIndex, vectors: np.ndarray, kept: list[int], queries: int = 40) -> float:
    matrix = vectors[kept]
    hits_total = 0
    for q in range(queries):
        query = vectors[kept[(q * 17) % len(kept)]]
        got = {h[0] for h in index.search(query[None, :], 10)[0]}
        want = {f"v{kept[i]}" for i in exact_top(matrix, query, 10)}
        hits_total += len(got & want)
        assert f"v{kept[(q * 17) % len(kept)]}" in got  # a stored vector finds itself
    return hits_total / (10 * queries)


def test_graph_above_threshold_keeps_ids_and_recall(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_MAX", 400)
    rng = np.random.default_rng(2)
    vectors = clustered(rng, 1300)
    index = VectorIndex(DIM)
    index.add({f"v{i}": vectors[i] for i in range(300)})
    assert not index.approximate
    index.add({f"v{i}": vectors[i] for i in range(300, 1000)})
    assert index.approximate
    index.add({f"v{i}": vectors[i] for i in range(1000, 1200)})  # inserted into the live graph
    index.remove([f"v{i}" for i in range(0, 1200, 7)])  # stale labels, skipped by searches
    index.add({f"v{i}": vectors[i + 100] for i in range(1, 60, 7)})  # replaced: the old label goes stale
    vectors[1:60:7] = vectors[101:160:7]
    kept = [i for i in range(1200) if i % 7]
    assert recall(index, vectors, kept) >= 0.95
    # persisted graph, plus vectors written after it: a new id and a replaced one
    ann = index.ann_bytes()
    assert ann is not None and index.ann_dirty
    head = index.segment_bytes()
    index.add({"extra": vectors[0], "v2": vectors[1250]})
    vectors[2] = vectors[1250]
    restored = VectorIndex.from_parts(DIM, [head, index.segment_bytes(["extra", "v2"])], ann)
    assert restored.approximate and restored.ids == index.ids
    for q in (5, 9, 2):
        query = vectors[q][None, :]
        assert restored.search(query, 5) == index.search(query, 5)
    assert restored.search(vectors[1250][None, :], 1)[0][0][0] == "v2"
    assert restored.search(vectors[0][None, :], 1)[0][0][0] == "extra"
    index.remove([f"v{i}" for i in kept[:900]])
    assert not index.approximate  # back under the threshold: exact again


def test_graph_rebuilt_when_stale_labels_outnumber_live(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "EXACT_MAX", 200)
    rng = np.random.default_rng(3)
    vectors = clustered(rng, 1000)
    index = VectorIndex(DIM)
    index.add({f"v{i}": vectors[i] for i in range(1000)})
    index.remove([f"v{i}" for i in range(0, 200, 2)])  # 100 stale labels for 900 live ones: kept
    assert index.approximate and len(index._labels) == 1000
    assert index.search(vectors[1][None, :], 1)[0][0][0] == "v1"
    index.remove([f"v{i}" for i in range(1, 600, 2)])  # 400 stale > 0.5 x 600 live: rebuilt
    assert len(index._labels) == 600
    kept = [i for i in range(600, 1000)] + list(range(200, 600, 2))
    assert recall(index, vectors, kept) >= 0.95


def test_growth_copies_only_the_new_vectors() -> None:
    """Capacity doubles, so a run of small adds reallocates O(log n) times, not once per add."""
    rng = np.random.default_rng(4)
    vectors = clustered(rng, 2000)
    index = VectorIndex(DIM)
    capacities = set()
    for start in range(0, 2000, 10):
        index.add({f"v{i}": vectors[i] for i in range(start, start + 10)})
        capacities.add(len(index._data))
    assert len(capacities) <= 8
    np.testing.assert_array_equal(index.matrix, vectors)
