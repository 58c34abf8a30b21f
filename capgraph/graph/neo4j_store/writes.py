"""The Neo4j store's writes: each one write transaction, validated before it starts."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from neo4j import ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError

from capgraph.errors import EmbeddingMismatch, NotFound
from capgraph.graph.labels import short_label
from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    MODEL,
    summarize,
)
from capgraph.graph.neo4j_store.connection import (
    Neo4jConnection,
)
from capgraph.graph.neo4j_store.queries import (
    _UNSTATE_TAIL,
    ANY_VECTOR,
    CLEAR_ALL,
    CREATE_SOURCE,
    DELETE_ALL_SIMILAR,
    DELETE_NODES,
    DELETE_SOURCE,
    MERGE_CLASSES,
    MERGE_COMPARED_WITH,
    MERGE_CONTRASTED_WITH,
    MERGE_HAS_CAPABILITY,
    MERGE_INSTANCE_OF,
    MERGE_SCORED,
    MERGE_SIMILAR,
    MERGE_STATES,
    MERGE_VARIANT_OF,
    NEXT_SEQ,
    READ_NODE_FACTS,
    REFRESH_CLASSES,
    REFRESH_COUNTS,
    REMOVE_ALL_VECTORS,
    SET_EMBEDDING_META,
    SET_VECTORS,
    SOURCE_EXISTS,
    TAKE_WRITE_LOCK,
    UNSTATE,
    WRITE_NODES,
    Row,
)
from capgraph.graph.neo4j_store.records import (
    DERIVE,
    _Mentions,
    extraction_of,
)
from capgraph.graph.schema import (
    Similarity,
)
from capgraph.graph.similarity import check_batch
from capgraph.graph.store import IngestBatch, RemovalResult, UpsertResult

# How long one `exclusive()` block (one document's linking and write, or the wait for another process's)
# may hold the lock's transaction before the server ends it.
LOCK_TIMEOUT_S = 120.0


class Neo4jWrites(Neo4jConnection):
    # ------------------------------------------------------------------------------ writes
    def _check_vectors(self, batch: IngestBatch) -> int | None:
        """Validate the batch's vectors against the store before anything is written; returns their dimension."""
        meta = self._meta()
        stored = (meta["embedding_model"], meta["embedding_dim"]) if meta.get("embedding_model") else None
        existing = self._rows(ANY_VECTOR) if batch.vectors else []
        return check_batch(stored, batch, existing[0]["dim"] if existing else None)

    @staticmethod
    def _merge_nodes(tx: ManagedTransaction, sid: str, mentions: _Mentions) -> None:
        for label in (MODEL, CAPABILITY, BENCHMARK):
            ids = sorted(mentions.ids[label])
            if not ids:
                continue
            existing = {r["id"]: r for r in tx.run(READ_NODE_FACTS[label], ids=ids)}
            rows = []
            for id_ in ids:
                old = existing.get(id_)
                facts: dict[str, dict[str, Any]] = json.loads(old["facts"]) if old and old["facts"] else {}
                stated = mentions.facts[label].get(id_)
                if stated is not None:
                    facts[sid] = stated
                props = DERIVE[label](id_, facts)
                props["sources"] = sorted({*((old["sources"] or []) if old else []), sid})
                rows.append({"id": id_, "props": props})
            tx.run(WRITE_NODES[label], rows=rows).consume()

    def upsert(self, batch: IngestBatch) -> UpsertResult:
        ex = batch.extraction
        sid = ex.source.id
        known = self._rows(SOURCE_EXISTS, id=sid)
        if known:
            return UpsertResult(source_id=sid, created=False, summary=summarize(extraction_of(known[0])))
        dim = self._check_vectors(batch)
        previous_dim = self._ensure_vector_index(dim) if dim is not None else None
        stamped = ex.model_copy(deep=True)
        if stamped.source.ingested_at is None:  # `sync` replays sources with their original time
            stamped.source.ingested_at = datetime.now(UTC).replace(microsecond=0)
        mentions = _Mentions(stamped)

        def work(tx: ManagedTransaction) -> bool:
            if tx.run(SOURCE_EXISTS, id=sid).single() is not None:  # another writer got there first
                return False
            seq = tx.run(NEXT_SEQ).single(strict=True)["seq"]
            props = {k: v for k, v in stamped.source.model_dump(mode="json").items() if k != "id" and v is not None}
            props["label"] = short_label(stamped.source.title or stamped.source.url or sid)
            tx.run(
                CREATE_SOURCE, id=sid, props=props, text=batch.text, extraction=stamped.model_dump_json(), seq=seq
            ).consume()
            self._merge_nodes(tx, sid, mentions)
            for query, kind in (
                (MERGE_HAS_CAPABILITY, "HAS_CAPABILITY"),
                (MERGE_COMPARED_WITH, "COMPARED_WITH"),
                (MERGE_CONTRASTED_WITH, "CONTRASTED_WITH"),
                (MERGE_VARIANT_OF, "VARIANT_OF"),
                (MERGE_SCORED, "SCORED"),
            ):
                if mentions.rels[kind]:
                    tx.run(query, rows=mentions.rels[kind], sid=sid).consume()
            if mentions.states:
                tx.run(MERGE_STATES, rows=mentions.states, sid=sid).consume()
            if batch.vectors:
                rows = [{"id": k, "v": v} for k, v in batch.vectors.items()]
                tx.run(SET_VECTORS, rows=rows).consume()
                if batch.embedding_model and batch.embedding_dim:
                    tx.run(SET_EMBEDDING_META, model=batch.embedding_model, dim=batch.embedding_dim).consume()
            if batch.similarities:
                tx.run(MERGE_SIMILAR, rows=_similarity_rows(batch.similarities)).consume()
            if batch.classes:
                _write_classes(tx, batch)
            tx.run(REFRESH_COUNTS, ids=sorted(mentions.ids[MODEL])).consume()
            return True

        try:
            created = self._write(work)
        except BaseException:
            if dim is not None:
                self._restore_vector_index(previous_dim, dim)
            raise
        if not created:
            return self.upsert(batch)
        return UpsertResult(source_id=sid, created=True, summary=summarize(stamped))

    def remove_source(self, source_id: str) -> RemovalResult:
        def work(tx: ManagedTransaction) -> RemovalResult:
            row = tx.run(SOURCE_EXISTS, id=source_id).single()
            if row is None:
                raise NotFound(f"No source {source_id!r}.")
            mentions = _Mentions(extraction_of(row.data()))
            for kind, rows in mentions.rels.items():
                if rows:
                    tx.run(UNSTATE[kind] + _UNSTATE_TAIL, rows=rows, sid=source_id).consume()
            tx.run(DELETE_SOURCE, sid=source_id).consume()  # and its STATES relationships
            removed: dict[str, list[str]] = {}
            for label in (MODEL, CAPABILITY, BENCHMARK):
                ids = sorted(mentions.ids[label])
                gone, rows = [], []
                for r in tx.run(READ_NODE_FACTS[label], ids=ids):
                    sources = [s for s in (r["sources"] or []) if s != source_id]
                    if not sources:
                        gone.append(r["id"])
                        continue
                    facts = json.loads(r["facts"]) if r["facts"] else {}
                    facts.pop(source_id, None)
                    rows.append({"id": r["id"], "props": {**DERIVE[label](r["id"], facts), "sources": sources}})
                if rows:
                    tx.run(WRITE_NODES[label], rows=rows).consume()
                if gone:
                    tx.run(DELETE_NODES[label], ids=gone).consume()
                removed[label] = sorted(gone)
            tx.run(REFRESH_CLASSES).consume()
            tx.run(REFRESH_COUNTS, ids=sorted(mentions.ids[MODEL])).consume()
            return RemovalResult(
                source_id=source_id, removed_models=removed[MODEL], removed_capabilities=removed[CAPABILITY]
            )

        return self._write(work)

    def replace_embeddings(
        self, vectors: dict[str, list[float]], similarities: Sequence[Similarity], model: str, dim: int
    ) -> None:
        """Every vector and SIMILAR_TO link replaced in one transaction (vectors not given are dropped)."""
        if any(len(v) != dim for v in vectors.values()):
            raise EmbeddingMismatch(f"replace_embeddings got vectors that are not {dim}-dimensional.")
        previous_dim = self._ensure_vector_index(dim)

        def work(tx: ManagedTransaction) -> None:
            tx.run(REMOVE_ALL_VECTORS).consume()
            tx.run(DELETE_ALL_SIMILAR).consume()
            if vectors:
                tx.run(SET_VECTORS, rows=[{"id": k, "v": v} for k, v in vectors.items()]).consume()
            if similarities:
                tx.run(MERGE_SIMILAR, rows=_similarity_rows(similarities)).consume()
            tx.run(SET_EMBEDDING_META, model=model, dim=dim).consume()

        try:
            self._write(work)
        except BaseException:
            self._restore_vector_index(previous_dim, dim)
            raise

    def clear(self) -> None:
        """Delete every node (in batches) and the vector index; constraints and text indexes stay."""
        with self.guard():
            self._ensure_schema()
        self._run_auto(CLEAR_ALL)
        self._drop_vector_indexes()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Serializes ingests across threads (a lock) and across processes: the outermost block holds a
        transaction with the write lock on the `write-lock` node until it ends (then rolls it back), so the
        similarity links one ingest computes see every document another process committed before it."""
        with self._exclusive:
            if self._exclusive_depth:
                self._exclusive_depth += 1
                try:
                    yield
                finally:
                    self._exclusive_depth -= 1
                return
            with self.guard():
                self._ensure_schema()
                session = self.session()
                try:
                    tx = session.begin_transaction(timeout=LOCK_TIMEOUT_S)
                    tx.run(TAKE_WRITE_LOCK).consume()
                except BaseException:
                    session.close()
                    raise
            self._exclusive_depth = 1
            try:
                yield
            finally:
                self._exclusive_depth = 0
                with contextlib.suppress(Neo4jError, DriverError):
                    tx.close()
                with contextlib.suppress(Neo4jError, DriverError):
                    session.close()


def _write_classes(tx: ManagedTransaction, batch: IngestBatch) -> None:
    """The batch's classes in write order (a capability named by two ends in the later one)."""
    for cls in batch.classes:
        row = {"id": cls.id, "name": cls.name, "label": short_label(cls.name), "description": cls.description}
        tx.run(MERGE_CLASSES, rows=[row]).consume()
        rows = [{"capability": m, "class": cls.id} for m in cls.members]
        tx.run(MERGE_INSTANCE_OF, rows=rows).consume()
    tx.run(REFRESH_CLASSES).consume()


def _similarity_rows(similarities: Sequence[Similarity]) -> list[Row]:
    pairs: dict[tuple[str, str], float] = {}
    for s in similarities:
        a, b = sorted((s.a, s.b))
        pairs[(a, b)] = s.score
    return [{"a": a, "b": b, "score": score} for (a, b), score in sorted(pairs.items())]
