"""The embedding rules, written once: what text is embedded, when two capabilities are SIMILAR_TO, and
when a store's vectors and an encoder can be used together."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from capgraph.errors import EmbeddingMismatch
from capgraph.graph.schema import Capability, Similarity
from capgraph.graph.store import CapabilityVectors, IngestBatch, Matrix

# Cosine above which two capabilities of different models are linked SIMILAR_TO (and count as
# "shared" in overlap). Calibrated on the seeds with all-MiniLM-L6-v2 (tests/graph/test_calibration.py
# prints the distribution): the capability pairs a reader calls "the same feature" (function calling,
# multi-turn context, batch processing, 128K context) score 0.55-0.75, while unrelated cross-model
# pairs sit below 0.45 (95th percentile ~0.40). 0.5 sits in the gap.
SIMILARITY_THRESHOLD = 0.5
# At most this many SIMILAR_TO links per new capability, so one generic capability cannot become a hub.
SIMILAR_PER_CAPABILITY = 8
# Stored neighbours searched per new capability: enough candidates for the links kept.
NEIGHBOURS = SIMILAR_PER_CAPABILITY * 4
# Rows of the batch's cosine matrix computed at once: bounds memory at BLOCK_ROWS x batch size.
BLOCK_ROWS = 512


def embedding_text(capability: Capability) -> str:
    """What is embedded: the description, which says what the capability does (the Unique and vs lines
    mostly talk about other models and would pull unrelated capabilities together)."""
    return capability.description


def check_compatible(stored: tuple[str, int] | None, model: str, dim: int | None = None) -> None:
    """The one compatibility rule: vectors from another model (or of another size) never mix with the
    store's; the fix is always `capgraph reembed`."""
    if stored is None:
        return
    if stored[0] != model or (dim is not None and stored[1] != dim):
        shown = model if dim is None else f"{model} ({dim} dims)"
        raise EmbeddingMismatch(
            f"The store's vectors were made by {stored[0]} ({stored[1]} dims) but the configured model is "
            f"{shown}; run `capgraph reembed` to re-encode every capability."
        )


def check_batch(stored: tuple[str, int] | None, batch: IngestBatch, stored_dim: int | None) -> int | None:
    """The write-side rule both stores apply before writing anything: the batch's model fits the store's
    (`check_compatible`) and all its vectors have one size, the size of the vectors already stored.
    Returns that size (None when the batch carries no vectors)."""
    if batch.embedding_model:
        check_compatible(stored, batch.embedding_model, batch.embedding_dim)
    if not batch.vectors:
        return None
    dims = {len(v) for v in batch.vectors.values()}
    if len(dims) != 1 or (stored_dim is not None and dims != {stored_dim}):
        have = "?" if stored_dim is None else stored_dim
        raise EmbeddingMismatch(
            f"Vectors of {sorted(dims)} dims do not fit the store's {have}; run `capgraph reembed`."
        )
    return dims.pop()


def _keep_links(
    capability: Capability,
    candidates: list[tuple[str, float]],
    owner: dict[str, str],
    links: dict[tuple[str, str], float],
    threshold: float,
    per_capability: int,
) -> None:
    """The linking rule: the best `per_capability` candidates of other models at or above the threshold."""
    kept = 0
    for other, score in sorted(candidates, key=lambda h: (-h[1], h[0])):
        if score < threshold or kept >= per_capability:
            break
        if other == capability.id or owner.get(other) == capability.model_id:
            continue
        a, b = sorted((capability.id, other))
        links[(a, b)] = round(score, 6)
        kept += 1


def _as_similarities(links: dict[tuple[str, str], float]) -> list[Similarity]:
    return [Similarity(a=a, b=b, score=s) for (a, b), s in sorted(links.items())]


def similarity_links(
    index: CapabilityVectors,
    capabilities: Sequence[Capability],
    vectors: Matrix,
    threshold: float = SIMILARITY_THRESHOLD,
    per_capability: int = SIMILAR_PER_CAPABILITY,
    neighbours: Sequence[Sequence[tuple[str, float]]] | None = None,
) -> list[Similarity]:
    """SIMILAR_TO links for new capabilities: against the store (via its vector index) and among themselves.
    `neighbours` is `index.nearest(vectors, NEIGHBOURS)` when the caller already ran it (class assignment
    reads the same search)."""
    if not len(capabilities):
        return []
    owner = {c.id: c.model_id for c in capabilities}
    if neighbours is None:
        neighbours = index.nearest(vectors, NEIGHBOURS)
    stored_ids = sorted({cid for hits in neighbours for cid, _ in hits if cid not in owner})
    owner.update({c.id: c.model_id for c in index.get_capabilities(stored_ids)})
    links: dict[tuple[str, str], float] = {}
    among = _pairs_above(capabilities, vectors, threshold, per_capability)
    for i, cap in enumerate(capabilities):
        _keep_links(cap, list(neighbours[i]) + among[i], owner, links, threshold, per_capability)
    return _as_similarities(links)


def all_similarity_links(
    capabilities: Sequence[Capability],
    matrix: Matrix,
    threshold: float = SIMILARITY_THRESHOLD,
    per_capability: int = SIMILAR_PER_CAPABILITY,
) -> list[Similarity]:
    """SIMILAR_TO for a whole set at once (reembed, rebuild): the same rule, all pairs from one matrix."""
    owner = {c.id: c.model_id for c in capabilities}
    links: dict[tuple[str, str], float] = {}
    among = _pairs_above(capabilities, matrix, threshold, per_capability)
    for i, cap in enumerate(capabilities):
        _keep_links(cap, among[i], owner, links, threshold, per_capability)
    return _as_similarities(links)


def _pairs_above(
    capabilities: Sequence[Capability], matrix: Matrix, threshold: float, per_capability: int
) -> list[list[tuple[str, float]]]:
    """For each row, the other-model rows at or above `threshold`: the only ones `_keep_links` can keep.

    Cosines are computed BLOCK_ROWS rows at a time (memory BLOCK_ROWS x n, not n x n), and a row with many
    hits keeps only those at or above its `per_capability`-th best score (ties kept), so a page of 10,000
    look-alike capabilities costs O(n^2 / BLOCK_ROWS) matrix products and O(n * per_capability) Python work.
    """
    n = len(capabilities)
    found: list[list[tuple[str, float]]] = [[] for _ in range(n)]
    if not n or matrix.ndim != 2 or not matrix.shape[1]:
        return found
    models = np.array([c.model_id for c in capabilities], dtype=object)
    for start in range(0, n, BLOCK_ROWS):
        block = matrix[start : start + BLOCK_ROWS] @ matrix.T
        for offset, scores in enumerate(block):
            i = start + offset
            hits = np.flatnonzero((scores >= threshold) & (models != models[i]))
            if len(hits) > per_capability:
                cut = np.partition(scores[hits], len(hits) - per_capability)[len(hits) - per_capability]
                hits = hits[scores[hits] >= cut]
            found[i] = [(capabilities[int(j)].id, float(scores[j])) for j in hits]
    return found
