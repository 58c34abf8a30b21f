"""Copy one store into another (embedded -> Neo4j) by replaying each source with its text and vectors.

Replaying through `upsert` (rather than copying nodes) keeps the target's own merge rules, indexes
and transaction boundaries: one transaction per source, so an interrupted sync leaves whole sources.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from capgraph.graph.schema import Similarity, StoreStats
from capgraph.graph.store import GraphStore, IngestBatch


class SyncReport(BaseModel):
    copied: int = Field(0, description="sources written to the target by this run")
    unchanged: int = Field(0, description="sources the target already held")
    target_only: int = Field(0, description="sources in the target that the origin does not hold (left alone)")
    origin: StoreStats
    target: StoreStats


def _batch(origin: GraphStore, source_id: str, embedding: tuple[str, int] | None) -> IngestBatch:
    extraction = origin.source_extraction(source_id)
    cap_ids = [c.id for c in extraction.capabilities]
    with_vectors = [c for c, has in zip(cap_ids, origin.has_vectors(cap_ids), strict=True) if has]
    matrix = origin.vectors(with_vectors)
    vectors = {c: row.tolist() for c, row in zip(with_vectors, matrix, strict=True)}
    # Every link of this source's capabilities; a link to a capability of a source not yet copied is
    # skipped by the target now and written when that source's batch carries it.
    links: dict[tuple[str, str], Similarity] = {}
    for cid in cap_ids:
        for s in origin.similar_links(cid):
            a, b = sorted((s.a, s.b))
            links[(a, b)] = Similarity(a=a, b=b, score=s.score)
    # The classes of its capabilities, whole, with the origin's names: the target writes what the origin holds.
    class_ids = sorted(set(origin.class_memberships(cap_ids).values())) if cap_ids else []
    return IngestBatch(
        classes=origin.get_classes(class_ids) if class_ids else [],
        extraction=extraction,
        text=origin.source_text(source_id),
        vectors=vectors,
        similarities=[links[k] for k in sorted(links)],
        embedding_model=embedding[0] if embedding and vectors else None,
        embedding_dim=embedding[1] if embedding and vectors else None,
    )


def sync(origin: GraphStore, target: GraphStore) -> SyncReport:
    """Write every source of `origin` that `target` lacks, in ingest order. Idempotent: a second run
    copies nothing and both runs end with the same target counts.

    >>> # sync(NetworkxStore("./data"), Neo4jStore("bolt://127.0.0.1:7687"))  # doctest: +SKIP
    """
    embedding = origin.embedding_info()
    sources = sorted(origin.list_sources(), key=lambda s: (s.ingested_at is None, s.ingested_at, s.id))
    copied = unchanged = 0
    for source in sources:
        if target.has_source(source.id):
            unchanged += 1
            continue
        target.upsert(_batch(origin, source.id, embedding))
        copied += 1
    known = {s.id for s in sources}
    target_only = sum(1 for s in target.list_sources() if s.id not in known)
    return SyncReport(
        copied=copied, unchanged=unchanged, target_only=target_only, origin=origin.stats(), target=target.stats()
    )
