"""The embedded default store: persistence (`persistence`), reads (`reads`) and the writes here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import networkx as nx
import numpy as np

from capgraph.embeddings.index import VectorIndex
from capgraph.errors import NotFound
from capgraph.graph.merge import (
    CAPABILITY,
    MODEL,
    apply_classes,
    apply_extraction,
    apply_similarities,
    build_graph,
    graph_classes,
    refresh_counts,
    summarize,
    touched_models,
)
from capgraph.graph.networkx_store.persistence import _pair
from capgraph.graph.networkx_store.reads import NetworkxReads
from capgraph.graph.networkx_store.usage import NetworkxUsage
from capgraph.graph.schema import (
    Similarity,
)
from capgraph.graph.similarity import check_batch
from capgraph.graph.store import IngestBatch, RemovalResult, UpsertResult


class NetworkxStore(NetworkxUsage, NetworkxReads):
    """GraphStore on networkx; one lock makes each call, and each `reading()` block, see one state."""

    # ---------------------------------------------------------------- writes
    def upsert(self, batch: IngestBatch) -> UpsertResult:
        ex = batch.extraction
        with self._writing():
            if ex.source.id in self._extractions:
                return UpsertResult(
                    source_id=ex.source.id, created=False, summary=summarize(self._extractions[ex.source.id])
                )
            dim = check_batch(self._embedding, batch, self._index.dim if len(self._index) else None)
            stamped = ex.model_copy(deep=True)
            stamped.source.ingested_at = datetime.now(UTC).replace(microsecond=0)
            self._save_text(stamped.source, batch.text)
            self._extractions[stamped.source.id] = stamped
            if dim is not None:
                if not len(self._index):
                    self._index = VectorIndex(dim)
                self._index.add({k: np.asarray(v, dtype=np.float32) for k, v in batch.vectors.items()})
                if batch.embedding_model and batch.embedding_dim:
                    self._embedding = (batch.embedding_model, batch.embedding_dim)
            for s in batch.similarities:
                self._similarities[_pair(s)] = s.score
            apply_extraction(self._graph, stamped)
            # as stored (`_pair`), so a reopened store's links point the same way as this process's
            apply_similarities(
                self._graph, [Similarity(a=a, b=b, score=s.score) for s in batch.similarities for a, b in [_pair(s)]]
            )
            apply_classes(self._graph, batch.classes)
            for cls in batch.classes:
                self.remember_class(cls)
            refresh_counts(self._graph, touched_models(stamped))
            self._commit(
                new_source=stamped,
                new_vectors=list(batch.vectors),
                new_links=batch.similarities,
                new_classes=batch.classes,
            )
            return UpsertResult(source_id=stamped.source.id, created=True, summary=summarize(stamped))

    def remove_source(self, source_id: str) -> RemovalResult:
        with self._writing():
            if source_id not in self._extractions:
                raise NotFound(f"No source {source_id!r}.")
            before_models = self._ids(MODEL)
            before_caps = self._ids(CAPABILITY)
            del self._extractions[source_id]
            graph = build_graph(self._extractions.values(), (), self._classes.values())
            kept_caps = {d["id"] for _, d in graph.nodes(data=True) if d.get("label") == CAPABILITY}
            self._similarities = {
                k: v for k, v in self._similarities.items() if k[0] in kept_caps and k[1] in kept_caps
            }
            apply_similarities(graph, self._sim_objects())
            gone_caps = sorted(before_caps - kept_caps)
            self._index.remove(gone_caps)
            self._graph = graph
            self._set_aside_text(source_id)
            self._commit(compact=True)  # its garbage collection deletes the text set aside
            return RemovalResult(
                source_id=source_id,
                removed_models=sorted(before_models - self._ids(MODEL)),
                removed_capabilities=gone_caps,
            )

    def replace_embeddings(
        self, vectors: dict[str, list[float]], similarities: Sequence[Similarity], model: str, dim: int
    ) -> None:
        with self._writing():
            index = VectorIndex(dim)
            index.add({k: np.asarray(v, dtype=np.float32) for k, v in vectors.items()})
            self._index = index
            self._embedding = (model, dim)
            self._similarities = {_pair(s): s.score for s in similarities}
            self._graph = build_graph(self._extractions.values(), self._sim_objects(), graph_classes(self._graph))
            self._commit(compact=True)

    def clear(self) -> None:
        with self._writing():
            self._extractions, self._similarities, self._embedding = self._no_extractions(), {}, None
            self._classes = {}
            self._index = VectorIndex(self._index.dim)
            self._graph = nx.MultiDiGraph()
            self._commit(compact=True)
            self.clear_usage()
