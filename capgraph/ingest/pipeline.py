"""The one ingest pipeline (decode -> parse -> resolve -> embed -> link -> store) that CLI and API both call.

Encoding happens before the store is touched, so a document is written in one `upsert` with its
vectors and similarity links: a failure anywhere leaves the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from pydantic import BaseModel, Field

from capgraph.embeddings.encoder import TextEncoder
from capgraph.graph.errors import EmbeddingMismatch
from capgraph.graph.schema import Capability, Extraction, Similarity
from capgraph.graph.store import GraphStore, IngestBatch, Matrix, UpsertResult
from capgraph.ingest.resolve import Resolver

# Cosine above which two capabilities of different models are linked SIMILAR_TO (and count as
# "shared" in overlap). Calibrated on the seeds with all-MiniLM-L6-v2 (tests/graph/test_calibration.py
# prints the distribution): the capability pairs a reader calls "the same feature" (function calling,
# multi-turn context, batch processing, 128K context) score 0.55-0.75, while unrelated cross-model
# pairs sit below 0.45 (95th percentile ~0.40). 0.5 sits in the gap.
SIMILARITY_THRESHOLD = 0.5
# At most this many SIMILAR_TO links per new capability, so one generic capability cannot become a hub.
SIMILAR_PER_CAPABILITY = 8


def embedding_text(capability: Capability) -> str:
    """What is embedded: the description, which says what the capability does (the Unique and vs lines
    mostly talk about other models and would pull unrelated capabilities together)."""
    return capability.description


class IngestReport(BaseModel):
    result: UpsertResult
    encoded: int = Field(0, description="capability texts run through the model (0 when all were known)")
    warnings: list[str] = Field(default_factory=list)


def check_encoder(store: GraphStore, encoder: TextEncoder) -> None:
    info = store.embedding_info()
    if info is not None and info[0] != encoder.name:
        raise EmbeddingMismatch(
            f"The store's vectors were made by {info[0]} ({info[1]} dims) but the configured model is "
            f"{encoder.name}; run `capgraph reembed` to re-encode every capability."
        )


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
    store: GraphStore,
    capabilities: Sequence[Capability],
    vectors: Matrix,
    threshold: float = SIMILARITY_THRESHOLD,
    per_capability: int = SIMILAR_PER_CAPABILITY,
) -> list[Similarity]:
    """SIMILAR_TO links for new capabilities: against the store (via its vector index) and among themselves."""
    if not len(capabilities):
        return []
    owner = {c.id: c.model_id for c in capabilities}
    neighbours = store.nearest(vectors, per_capability * 4)
    stored_ids = sorted({cid for hits in neighbours for cid, _ in hits if cid not in owner})
    owner.update({c.id: c.model_id for c in store.get_capabilities(stored_ids)})
    batch_scores = vectors @ vectors.T
    links: dict[tuple[str, str], float] = {}
    for i, cap in enumerate(capabilities):
        candidates = list(neighbours[i])
        candidates += [(capabilities[j].id, float(batch_scores[i, j])) for j in range(len(capabilities)) if j != i]
        _keep_links(cap, candidates, owner, links, threshold, per_capability)
    return _as_similarities(links)


def all_similarity_links(
    capabilities: Sequence[Capability],
    matrix: Matrix,
    threshold: float = SIMILARITY_THRESHOLD,
    per_capability: int = SIMILAR_PER_CAPABILITY,
) -> list[Similarity]:
    """SIMILAR_TO for a whole set at once (reembed, rebuild): the same rule, all pairs from one matrix."""
    owner = {c.id: c.model_id for c in capabilities}
    scores = matrix @ matrix.T if len(capabilities) else np.zeros((0, 0), dtype=np.float32)
    links: dict[tuple[str, str], float] = {}
    for i, cap in enumerate(capabilities):
        candidates = [(capabilities[j].id, float(scores[i, j])) for j in range(len(capabilities))]
        _keep_links(cap, candidates, owner, links, threshold, per_capability)
    return _as_similarities(links)


class Prepared(NamedTuple):
    text: str
    extraction: Extraction


def prepare(
    data: bytes | str, *, title: str | None = None, url: str | None = None, resolver: Resolver | None = None
) -> Prepared:
    """Decode and parse, nothing else: the pure half of an ingest (decode warnings folded in)."""
    from capgraph.ingest import decode_text, parse_text  # the parsers are only needed by writers

    text, decode_warnings = decode_text(data)
    extraction = parse_text(text, title=title, url=url, resolver=resolver)
    extraction.warnings = [*decode_warnings, *extraction.warnings]
    return Prepared(text, extraction)


def unembedded(store: GraphStore, extraction: Extraction) -> list[Capability]:
    """The extraction's capabilities that the store has no vector for (the ones that need encoding)."""
    capabilities = extraction.capabilities
    known = store.has_vectors([c.id for c in capabilities]) if capabilities else []
    return [c for c, has in zip(capabilities, known, strict=True) if not has]


def unencoded_texts(store: GraphStore, extraction: Extraction) -> list[str]:
    """The embedding texts of `unembedded` capabilities."""
    return [embedding_text(c) for c in unembedded(store, extraction)]


def ingest_text(
    store: GraphStore,
    encoder: TextEncoder,
    data: bytes | str,
    *,
    title: str | None = None,
    url: str | None = None,
    resolver: Resolver | None = None,
) -> IngestReport:
    """Ingest one document. Re-ingesting a known text changes nothing and encodes nothing."""
    return ingest_prepared(store, encoder, prepare(data, title=title, url=url, resolver=resolver))


def ingest_prepared(store: GraphStore, encoder: TextEncoder, prepared: Prepared) -> IngestReport:
    """Embed, link and write one prepared document (see `prepare`)."""
    text, extraction = prepared
    if store.has_source(extraction.source.id):
        summary = store.source_summary(extraction.source.id)
        return IngestReport(result=UpsertResult(source_id=extraction.source.id, created=False, summary=summary))
    encoded = 0
    vectors: dict[str, list[float]] = {}
    similarities: list[Similarity] = []
    if extraction.capabilities:
        check_encoder(store, encoder)
    new = unembedded(store, extraction)
    if new:
        matrix = encoder.encode([embedding_text(c) for c in new])
        encoded = encoder.encoded_by_last_call
        vectors = {c.id: row.tolist() for c, row in zip(new, matrix, strict=True)}
    # Linking and writing happen under the store's exclusive lock, so two documents ingested at the same
    # time still see (and link to) each other; the slow part, encoding, stays outside it.
    with store.exclusive():
        if vectors:
            similarities = similarity_links(store, new, matrix)
        batch = IngestBatch(
            extraction=extraction,
            text=text,
            vectors=vectors,
            similarities=similarities,
            embedding_model=encoder.name if vectors else None,
            embedding_dim=encoder.dim if vectors else None,
        )
        result = store.upsert(batch)
    return IngestReport(result=result, encoded=encoded, warnings=extraction.warnings)


def reembed(store: GraphStore, encoder: TextEncoder) -> int:
    """Re-encode every capability with the configured model and recompute SIMILAR_TO; returns the count."""
    ids = store.all_capability_ids()
    capabilities = store.get_capabilities(ids)
    matrix = (
        encoder.encode([embedding_text(c) for c in capabilities])
        if capabilities
        else np.zeros((0, 0), dtype=np.float32)
    )
    vectors = {c.id: row.tolist() for c, row in zip(capabilities, matrix, strict=True)}
    similarities = all_similarity_links(capabilities, matrix)
    store.replace_embeddings(vectors, similarities, encoder.name, encoder.dim)
    return len(capabilities)
