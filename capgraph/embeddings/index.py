"""The vector index of the embedded store: capability id -> unit vector, with top-k by cosine.

Below IVF_MIN_SIZE vectors the search is exact: one BLAS matrix product and an argpartition, a few
milliseconds, nothing to build. Above it, a faiss inverted-file index (IndexIVFFlat, inner product)
probes the NPROBE nearest of ~2·sqrt(N) k-means cells instead of scanning everything: measured in
bench/query.py at 100k capabilities, the exact scan alone costs ~28 ms per query and ~95 ms for a
model's ten capabilities, which misses the 20 ms target for `alternatives` and `search`.
The IVF index is built on the write path (when the store crosses the threshold) and persisted with
the vectors, so a CLI command that only reads never trains anything. An HNSW graph was tried first
and dropped: ~95 s to build for 20k vectors on this 2-core machine, and no removal.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]

IVF_MIN_SIZE = 20_000
NPROBE = 32
# Retrain the cells when the index has grown this much since training (cells drift as topics are added).
RETRAIN_GROWTH = 2.0


def _faiss() -> Any:
    import faiss  # imported only for large stores

    return faiss


class VectorIndex:
    """Unit vectors by id; `search` returns (id, cosine) pairs, best first, ties broken by id."""

    def __init__(self, dim: int, ids: Sequence[str] = (), matrix: Matrix | None = None, ivf: Any = None):
        self.dim = dim
        self._ids: list[str] = list(ids)
        self._rows: dict[str, int] = {i: n for n, i in enumerate(self._ids)}
        self._matrix: Matrix = (
            np.ascontiguousarray(matrix, dtype=np.float32) if matrix is not None else np.zeros((0, dim), np.float32)
        )
        if self._matrix.shape != (len(self._ids), dim):
            raise ValueError(f"matrix shape {self._matrix.shape} does not fit {len(self._ids)} ids of dim {dim}")
        self._ivf: Any = ivf
        self._trained_at = int(ivf.ntotal) if ivf is not None else 0
        self.ivf_dirty = False  # the IVF index changed beyond appends: persist it at the next commit

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

    @property
    def approximate(self) -> bool:
        return self._ivf is not None

    def get(self, ids: Sequence[str]) -> Matrix:
        rows = [self._rows[i] for i in ids]
        return self._matrix[rows] if rows else np.zeros((0, self.dim), dtype=np.float32)

    def add(self, items: dict[str, Matrix]) -> None:
        """Add or replace vectors by id; keeps the IVF index (if any) in step, building it past the threshold."""
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
            if self._ivf is not None and not replaced:
                self._ivf.add(block)  # faiss numbers rows sequentially, matching self._ids
        if replaced and self._ivf is not None:
            self._refill()
        self._maintain()

    def remove(self, ids: Iterable[str]) -> None:
        drop = {i for i in ids if i in self._rows}
        if not drop:
            return
        keep = [n for n, i in enumerate(self._ids) if i not in drop]
        self._ids = [self._ids[n] for n in keep]
        self._rows = {i: n for n, i in enumerate(self._ids)}
        self._matrix = np.ascontiguousarray(self._matrix[keep], dtype=np.float32)
        if self._ivf is not None:
            self._refill()
        self._maintain()

    def _maintain(self) -> None:
        size = len(self._ids)
        if size < IVF_MIN_SIZE:
            self.ivf_dirty = self.ivf_dirty or self._ivf is not None
            self._ivf = None
        elif self._ivf is None or size > RETRAIN_GROWTH * self._trained_at:
            self._train()

    def _train(self) -> None:
        faiss = _faiss()
        size = len(self._ids)
        cells = max(64, int(2 * math.sqrt(size)))
        quantizer = faiss.IndexFlatIP(self.dim)
        ivf = faiss.IndexIVFFlat(quantizer, self.dim, cells, faiss.METRIC_INNER_PRODUCT)
        sample_rows = np.random.default_rng(0).choice(size, size=min(size, cells * 64), replace=False)
        ivf.train(self._matrix[np.sort(sample_rows)])
        ivf.nprobe = NPROBE
        ivf.add(self._matrix)
        self._ivf, self._trained_at, self.ivf_dirty = ivf, size, True

    def _refill(self) -> None:
        """Rows were renumbered: re-add all vectors to the trained cells (no retraining)."""
        self._ivf.reset()
        self._ivf.add(self._matrix)
        self.ivf_dirty = True

    def search(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """Top-k neighbours of each query row by inner product (= cosine for unit vectors)."""
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if not len(self._ids) or k <= 0:
            return [[] for _ in range(q.shape[0])]
        k = min(k, len(self._ids))
        if self._ivf is not None:
            scores, rows = self._ivf.search(q, k)
            pairs = [
                [(self._ids[r], float(s)) for s, r in zip(srow, rrow, strict=True) if r >= 0]
                for srow, rrow in zip(scores, rows, strict=True)
            ]
        else:
            all_scores = q @ self._matrix.T
            top = (
                np.argpartition(-all_scores, k - 1, axis=1)[:, :k]
                if k < len(self._ids)
                else np.tile(np.arange(len(self._ids)), (q.shape[0], 1))
            )
            pairs = [[(self._ids[r], float(srow[r])) for r in rrow] for srow, rrow in zip(all_scores, top, strict=True)]
        for hits in pairs:
            hits.sort(key=lambda hit: (-round(hit[1], 6), hit[0]))
        return pairs

    def segment_bytes(self, ids: Sequence[str] | None = None) -> bytes:
        """The given vectors (all by default) as an .npz segment: ids and matrix, no pickles."""
        ids = self._ids if ids is None else list(ids)
        buffer = io.BytesIO()
        np.savez(buffer, ids=np.array(ids, dtype=np.str_), matrix=self.get(ids), dim=np.array(self.dim))
        return buffer.getvalue()

    def ivf_bytes(self) -> bytes | None:
        return None if self._ivf is None else bytes(_faiss().serialize_index(self._ivf))

    @staticmethod
    def read_segment(data: bytes) -> tuple[list[str], Matrix]:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return [str(i) for i in npz["ids"]], np.asarray(npz["matrix"], dtype=np.float32)

    @classmethod
    def from_parts(cls, dim: int, segments: Sequence[bytes], ivf: bytes | None = None) -> VectorIndex:
        """Rebuild from segments written in order (a later vector for an id replaces an earlier one, at the
        earlier row) and the last persisted IVF index, which covers a prefix of the rows: rows added since
        are appended to it."""
        rows: dict[str, int] = {}
        vectors: list[Matrix] = []
        for data in segments:
            seg_ids, matrix = cls.read_segment(data)
            for i, vector in zip(seg_ids, matrix, strict=True):
                if i in rows:
                    vectors[rows[i]] = vector
                else:
                    rows[i] = len(vectors)
                    vectors.append(vector)
        matrix = np.vstack(vectors) if vectors else np.zeros((0, dim), np.float32)
        index_ivf = None
        if ivf is not None:
            index_ivf = _faiss().deserialize_index(np.frombuffer(ivf, dtype=np.uint8))
            index_ivf.nprobe = NPROBE
            if index_ivf.ntotal > len(rows):
                index_ivf = None  # stale; `_maintain` trains a new one
            elif index_ivf.ntotal < len(rows):
                index_ivf.add(matrix[index_ivf.ntotal :])
        index = cls(dim, list(rows), matrix, index_ivf)
        index._maintain()
        return index
