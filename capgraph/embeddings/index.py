"""The vector index of the embedded store: capability id -> unit vector, with top-k by cosine.

Below EXACT_MAX vectors the search is exact: one BLAS matrix product and an argpartition, a few
milliseconds, nothing to build. Above it, a faiss HNSW graph (IndexHNSWFlat, inner product, M=HNSW_M).
Chosen by measurement (bench/vector_index.py, clustered vectors like real capability embeddings):
- faiss IVF with ~2·sqrt(N) cells and 32 probes kept recall@10 at 1.00 at 10k but 0.90 at 100k and 0.43
  at 1M; scaling the cells to the data's cluster size would need k-means with ~N/64 centroids, minutes
  of training per retrain on 2 cores, and two-level k-means on a sample lost recall at 100k already.
- HNSW (M=32, efConstruction=48) holds recall@10 >= 0.99 at 100k with efSearch 64 at < 1 ms a query; it
  grows one insert at a time (~0.5 ms of CPU a vector), so a write costs its own vectors, never a retrain.
HNSW cannot delete, so graph nodes are labelled by position in `_labels` (label -> id) and a removed or
replaced vector leaves a stale label that searches skip; the graph is rebuilt from the live vectors when
stale labels outnumber STALE_REBUILD of the live ones (rare: removals compact the store anyway).
The graph is persisted with its labels and reloaded whole; vectors written since are checked against it
(`from_parts`) and inserted, and it is persisted again once those appends pass PERSIST_GROWTH of it or
PERSIST_MAX_APPENDS, so reopening never rebuilds a large graph and a write rarely rewrites it.
The matrix grows by doubling its capacity, so adding a document's vectors copies only those vectors.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

EXACT_MAX = 20_000  # at 20k the exact scan is ~2 ms; above it the graph wins by a growing factor
HNSW_M = 32
EF_CONSTRUCTION = 48
EF_SEARCH = 96  # candidates kept while searching; raised to 2·k for large k
STALE_REBUILD = 0.5
PERSIST_GROWTH = 0.1
PERSIST_MAX_APPENDS = 2_000  # inserts a reopen may redo (~1 s of CPU) before the graph is written again


def _faiss() -> Any:
    import faiss  # imported only for large stores

    return faiss


class VectorIndex:
    """Unit vectors by id; `search` returns (id, cosine) pairs, best first, ties broken by id."""

    def __init__(self, dim: int, ids: Sequence[str] = (), matrix: Matrix | None = None):
        self.dim = dim
        self._ids: list[str] = list(ids)
        self._rows: dict[str, int] = {i: n for n, i in enumerate(self._ids)}
        self._data: Matrix = (
            np.ascontiguousarray(matrix, dtype=np.float32) if matrix is not None else np.zeros((0, dim), np.float32)
        )
        if self._data.shape != (len(self._ids), dim):
            raise ValueError(f"matrix shape {self._data.shape} does not fit {len(self._ids)} ids of dim {dim}")
        self._graph: Any = None
        self._labels: list[str] = []  # graph label -> id (stale when `_label_of` points elsewhere)
        self._label_of: dict[str, int] = {}
        self._persisted = 0  # labels covered by the last persisted graph
        self.ann_dirty = False  # persist the graph at the next commit

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return item in self._rows

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    @property
    def matrix(self) -> Matrix:
        return self._data[: len(self._ids)]

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    def get(self, ids: Sequence[str]) -> Matrix:
        rows = [self._rows[i] for i in ids]
        return self._data[rows] if rows else np.zeros((0, self.dim), dtype=np.float32)

    def add(self, items: dict[str, Matrix]) -> None:
        """Add or replace vectors by id: O(len(items)) amortised, the graph (if any) kept in step."""
        if not items:
            return
        block = np.vstack([np.asarray(v, dtype=np.float32).reshape(1, -1) for v in items.values()])
        if block.shape[1] != self.dim:
            raise ValueError(f"vector dim {block.shape[1]} != index dim {self.dim}")
        new_ids = [i for i in items if i not in self._rows]
        size = len(self._ids)
        if size + len(new_ids) > len(self._data):
            grown = np.zeros((max(2 * len(self._data), size + len(new_ids), 64), self.dim), np.float32)
            grown[:size] = self._data[:size]
            self._data = grown
        for n, i in enumerate(new_ids):
            self._rows[i] = size + n
        self._ids.extend(new_ids)
        self._data[[self._rows[i] for i in items]] = block
        if self._graph is not None:
            self._insert(list(items), block)
        self._maintain()

    def remove(self, ids: Iterable[str]) -> None:
        drop = {i for i in ids if i in self._rows}
        if not drop:
            return
        keep = [n for n, i in enumerate(self._ids) if i not in drop]
        self._ids = [self._ids[n] for n in keep]
        self._rows = {i: n for n, i in enumerate(self._ids)}
        self._data = np.ascontiguousarray(self._data[keep], dtype=np.float32)
        for i in drop:
            self._label_of.pop(i, None)
        self._maintain()

    def _insert(self, ids: list[str], block: Matrix) -> None:
        start = len(self._labels)
        self._graph.add(np.ascontiguousarray(block, dtype=np.float32))
        self._labels.extend(ids)
        self._label_of.update({i: start + n for n, i in enumerate(ids)})
        if len(self._labels) - self._persisted > min(PERSIST_GROWTH * self._persisted, PERSIST_MAX_APPENDS):
            self.ann_dirty = True

    def _maintain(self) -> None:
        size = len(self._ids)
        if size <= EXACT_MAX:
            self.ann_dirty = self.ann_dirty or self._graph is not None
            self._graph, self._labels, self._label_of, self._persisted = None, [], {}, 0
        elif self._graph is None or len(self._labels) - size > STALE_REBUILD * size:
            self._build()

    def _build(self) -> None:
        faiss = _faiss()
        graph = faiss.IndexHNSWFlat(self.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = EF_CONSTRUCTION
        self._graph, self._labels, self._label_of, self._persisted = graph, [], {}, 0
        self._insert(list(self._ids), self.matrix)
        self.ann_dirty = True

    def search(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """Top-k neighbours of each query row by inner product (= cosine for unit vectors)."""
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if not len(self._ids) or k <= 0:
            return [[] for _ in range(q.shape[0])]
        k = min(k, len(self._ids))
        if self._graph is not None:
            pairs = self._graph_search(q, k)
        else:
            all_scores = q @ self.matrix.T
            top = (
                np.argpartition(-all_scores, k - 1, axis=1)[:, :k]
                if k < len(self._ids)
                else np.tile(np.arange(len(self._ids)), (q.shape[0], 1))
            )
            pairs = [[(self._ids[r], float(srow[r])) for r in rrow] for srow, rrow in zip(all_scores, top, strict=True)]
        for hits in pairs:
            hits.sort(key=lambda hit: (-round(hit[1], 6), hit[0]))
        return pairs

    def _graph_search(self, q: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """Asks for k plus room for stale labels, widening until k live hits come back (or all are seen)."""
        stale = len(self._labels) - len(self._label_of)
        want = k + min(stale, k)
        while True:
            self._graph.hnsw.efSearch = max(EF_SEARCH, 2 * want)
            scores, labels = self._graph.search(q, want)
            pairs = [
                [
                    (self._labels[lab], float(s))
                    for s, lab in zip(srow, lrow, strict=True)
                    if lab >= 0 and self._label_of.get(self._labels[lab]) == lab
                ][:k]
                for srow, lrow in zip(scores, labels, strict=True)
            ]
            if all(len(hits) == k for hits in pairs) or not stale or want >= len(self._labels):
                return pairs
            want = min(len(self._labels), 4 * want)

    def segment_bytes(self, ids: Sequence[str] | None = None) -> bytes:
        """The given vectors (all by default) as an .npz segment: ids and matrix, no pickles."""
        ids = self._ids if ids is None else list(ids)
        buffer = io.BytesIO()
        np.savez(buffer, ids=np.array(ids, dtype=np.str_), matrix=self.get(ids), dim=np.array(self.dim))
        return buffer.getvalue()

    def ann_bytes(self) -> bytes | None:
        """The graph and its labels as an .npz (faiss's own serialisation inside, no pickles)."""
        if self._graph is None:
            return None
        buffer = io.BytesIO()
        graph = _faiss().serialize_index(self._graph)
        np.savez(buffer, graph=graph, labels=np.array(self._labels, dtype=np.str_))
        self._persisted = len(self._labels)
        return buffer.getvalue()

    @staticmethod
    def read_segment(data: bytes) -> tuple[list[str], Matrix]:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return [str(i) for i in npz["ids"]], np.asarray(npz["matrix"], dtype=np.float32)

    @classmethod
    def from_parts(cls, dim: int, segments: Iterable[bytes], ann: bytes | None = None) -> VectorIndex:
        """Rebuild from segments written in order (a later vector for an id replaces an earlier one, at the
        earlier row) and the last persisted graph: each id keeps its newest label whose stored vector is
        still its vector; ids without one (written since) are inserted. `segments` is consumed once, so a
        generator lets each segment's bytes go once parsed; a lone segment is used as the matrix (no copy)."""
        rows: dict[str, int] = {}
        parts: list[tuple[list[int], Matrix]] = []
        for data in segments:
            seg_ids, matrix = cls.read_segment(data)
            del data
            for i in seg_ids:
                rows.setdefault(i, len(rows))
            parts.append(([rows[i] for i in seg_ids], matrix))
        if len(parts) == 1 and len(parts[0][0]) == len(rows):  # ids unique, so rows are 0..n-1 in order
            full = parts[0][1]
        else:
            full = np.zeros((len(rows), dim), np.float32)
            for at, matrix in parts:
                full[at] = matrix  # in segment order, so the newest vector of an id wins
        parts.clear()
        index = cls(dim, list(rows), full)
        if ann is not None and len(rows) > EXACT_MAX:
            index._restore(ann)
        index._maintain()
        return index

    def _restore(self, ann: bytes) -> None:
        faiss = _faiss()
        with np.load(io.BytesIO(ann), allow_pickle=False) as npz:
            graph = faiss.deserialize_index(np.asarray(npz["graph"]))
            labels = [str(i) for i in npz["labels"]]
        newest = {i: n for n, i in enumerate(labels) if i in self._rows}
        ids = list(newest)
        label_array = np.array([newest[i] for i in ids], dtype=np.int64)
        same = np.zeros(len(ids), dtype=bool)
        for start in range(0, len(ids), 65_536):  # compare in chunks: the stored copy is as big as the matrix
            chunk = label_array[start : start + 65_536]
            stored = graph.reconstruct_batch(chunk)
            own = self._data[[self._rows[i] for i in ids[start : start + 65_536]]]
            same[start : start + len(chunk)] = np.all(stored == own, axis=1)
        self._graph, self._labels, self._persisted = graph, labels, len(labels)
        self._label_of = {i: int(lab) for i, lab, ok in zip(ids, label_array, same, strict=True) if ok}
        missing = [i for i in self._ids if i not in self._label_of]
        if missing:
            self._insert(missing, self.get(missing))
