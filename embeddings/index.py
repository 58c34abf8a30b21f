"""The vector index of the embedded store: capability id -> unit vector, with top-k by cosine.

faiss does the search: an exact inner-product index while the store is small, an HNSW graph once
it is large enough that a full scan costs more than the graph's approximation (see HNSW_MIN_SIZE).
Vectors are kept as one numpy matrix too; that matrix is what is persisted, so the index can
always be rebuilt, and removal (which HNSW does not support) is a rebuild.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

# Below this many vectors an exact scan is fast enough (a few ms) and has no recall loss.
HNSW_MIN_SIZE = 20_000
HNSW_NEIGHBOURS = 32
HNSW_EF_SEARCH = 128
HNSW_EF_CONSTRUCTION = 80


def _faiss() -> Any:
    import faiss

    return faiss


class VectorIndex:
    """Unit vectors by id; `search` returns (id, cosine) pairs, best first, ties broken by id."""

    def __init__(self, dim: int, ids: Sequence[str] = (), matrix: Matrix | None = None):
        self.dim = dim
        self._ids: list[str] = list(ids)
        self._rows: dict[str, int] = {i: n for n, i in enumerate(self._ids)}
        self._matrix: Matrix = (
            np.ascontiguousarray(matrix, dtype=np.float32)
            if matrix is not None
            else np.zeros((0, dim), dtype=np.float32)
        )
        if self._matrix.shape != (len(self._ids), dim):
            raise ValueError(f"matrix shape {self._matrix.shape} does not fit {len(self._ids)} ids of dim {dim}")
        self._faiss_index: Any = None

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return item in self._rows

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    @property
    def matrix(self) -> Matrix:
        return self._matrix

    def get(self, ids: Sequence[str]) -> Matrix:
        rows = [self._rows[i] for i in ids]
        return self._matrix[rows] if rows else np.zeros((0, self.dim), dtype=np.float32)

    def add(self, items: dict[str, Matrix]) -> None:
        """Add or replace vectors. New ids are appended to the live faiss index; replacements rebuild it."""
        new_ids = [i for i in items if i not in self._rows]
        replaced = [i for i in items if i in self._rows]
        for i in replaced:
            self._matrix[self._rows[i]] = items[i]
        if new_ids:
            block = np.vstack([np.asarray(items[i], dtype=np.float32).reshape(1, -1) for i in new_ids])
            if block.shape[1] != self.dim:
                raise ValueError(f"vector dim {block.shape[1]} != index dim {self.dim}")
            start = len(self._ids)
            self._ids.extend(new_ids)
            self._rows.update({i: start + n for n, i in enumerate(new_ids)})
            self._matrix = np.ascontiguousarray(np.vstack([self._matrix, block]), dtype=np.float32)
            if self._faiss_index is not None and not replaced:
                self._faiss_index.add(block)
        if replaced:
            self._faiss_index = None

    def remove(self, ids: Iterable[str]) -> None:
        drop = {i for i in ids if i in self._rows}
        if not drop:
            return
        keep = [n for n, i in enumerate(self._ids) if i not in drop]
        self._ids = [self._ids[n] for n in keep]
        self._rows = {i: n for n, i in enumerate(self._ids)}
        self._matrix = np.ascontiguousarray(self._matrix[keep], dtype=np.float32)
        self._faiss_index = None

    def _index(self) -> Any:
        if self._faiss_index is None:
            faiss = _faiss()
            if len(self._ids) >= HNSW_MIN_SIZE:
                index = faiss.IndexHNSWFlat(self.dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
                index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
                index.hnsw.efSearch = HNSW_EF_SEARCH
            else:
                index = faiss.IndexFlatIP(self.dim)
            if len(self._ids):
                index.add(self._matrix)
            self._faiss_index = index
        return self._faiss_index

    def build(self) -> None:
        """Build the search structure now (at load) rather than on the first query."""
        self._index()

    def search(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """Top-k neighbours of each query row by inner product (= cosine for unit vectors)."""
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if not len(self._ids) or k <= 0:
            return [[] for _ in range(q.shape[0])]
        k = min(k, len(self._ids))
        scores, rows = self._index().search(q, k)
        results: list[list[tuple[str, float]]] = []
        for score_row, id_row in zip(scores, rows, strict=True):
            hits = [(self._ids[r], float(s)) for s, r in zip(score_row, id_row, strict=True) if r >= 0]
            hits.sort(key=lambda hit: (-round(hit[1], 6), hit[0]))
            results.append(hits)
        return results

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, ids=np.array(self._ids, dtype=np.str_), matrix=self._matrix, dim=np.array(self.dim))
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return cls(int(npz["dim"]), [str(i) for i in npz["ids"]], npz["matrix"])
