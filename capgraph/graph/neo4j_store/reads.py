"""The Neo4j store's reads; inside `reading()` they share one read transaction."""

from __future__ import annotations

import json
from collections.abc import Sequence

import neo4j
import numpy as np
from neo4j import ManagedTransaction
from neo4j.exceptions import ClientError

from capgraph.errors import ModelNotFound, NotFound
from capgraph.graph.export import export_graph
from capgraph.graph.merge import (
    MODEL,
    SOURCE,
    apply_classes,
    build_graph,
    class_order,
    closest_names,
    lookup_key,
    node_key,
    summarize,
)
from capgraph.graph.neo4j_store.connection import (
    Neo4jConnection,
)
from capgraph.graph.neo4j_store.queries import (
    ALL_CAPABILITY_IDS,
    ALL_EXTRACTIONS,
    ALL_MODEL_NAMES,
    ALL_SIMILAR,
    CAPABILITY_EXISTS,
    CLAIMS,
    CLASS_MEMBERSHIPS,
    CLASSES,
    COUNT_LABELS,
    COUNT_RELS,
    EVIDENCE,
    EXPAND,
    FETCH_FACTOR,
    FETCH_MIN,
    FIND_NODE,
    GET_CAPABILITIES,
    HAS_VECTORS,
    LIST_MODELS,
    LIST_SOURCES,
    MAX_DEPTH,
    MODEL_BY_ID,
    MODEL_BY_KEY,
    MODEL_CAPABILITIES,
    MODEL_EXISTS,
    MODEL_FULLTEXT,
    MODELS_BY_ID,
    NEAREST,
    READ_META,
    SCORES,
    SIMILAR_LINKS,
    SOURCE_EXISTS,
    SOURCE_TEXT,
    STORED_TEXTS,
    SUBGRAPH_EDGES,
    SUBGRAPH_NODES,
    VECTORS,
    Row,
    fuzzy_query,
)
from capgraph.graph.neo4j_store.records import (
    _capability,
    _clean,
    _model,
    extraction_of,
)
from capgraph.graph.schema import (
    Capability,
    CapabilityClass,
    EdgeView,
    Evidence,
    Extraction,
    Model,
    NodeView,
    Similarity,
    Source,
    SourcedClaim,
    SourcedScore,
    SourceSummary,
    StoreStats,
    Subgraph,
)
from capgraph.graph.store import ExportFormat, Matrix


class Neo4jReads(Neo4jConnection):
    # ------------------------------------------------------------------------------ sources
    def has_source(self, source_id: str) -> bool:
        return bool(self._rows(SOURCE_EXISTS, id=source_id))

    def list_sources(self) -> list[Source]:
        sources = [extraction_of(r).source for r in self._rows(LIST_SOURCES)]
        return sorted(sources, key=lambda s: (s.title, s.id))

    def _source_row(self, source_id: str) -> Row:
        rows = self._rows(SOURCE_EXISTS, id=source_id)
        if not rows:
            raise NotFound(f"No source {source_id!r}.")
        return rows[0]

    def source_summary(self, source_id: str) -> SourceSummary:
        return summarize(extraction_of(self._source_row(source_id)))

    def source_extraction(self, source_id: str) -> Extraction:
        return extraction_of(self._source_row(source_id))

    def source_text(self, source_id: str) -> str:
        rows = self._rows(SOURCE_TEXT, id=source_id)
        if not rows:
            raise NotFound(f"No source {source_id!r}.")
        return str(rows[0]["text"])

    def stored_texts(self) -> list[tuple[str, str, str | None]]:
        """(text, title, url) of every stored source, in source id order (the embedded store's file order)."""
        return [(r["text"], r["title"] or "", r["url"]) for r in self._rows(STORED_TEXTS)]

    # ------------------------------------------------------------------------------ models
    def get_model(self, name_or_id: str) -> Model:
        """By id; else by name or alias ignoring case, spacing and punctuation; else ModelNotFound with
        suggestions from the full-text index (fuzzy words), or from every name when it finds nothing close."""
        rows = self._rows(MODEL_BY_ID, id=name_or_id) or self._rows(MODEL_BY_KEY, key=lookup_key(name_or_id))
        if rows:
            return _model(rows[0]["m"])
        query = fuzzy_query(name_or_id)
        candidates = self._rows(MODEL_FULLTEXT, lucene=query, limit=50) if query else []
        suggestions = closest_names(name_or_id, _display_names(candidates))
        if not suggestions:
            suggestions = closest_names(name_or_id, _display_names(self._rows(ALL_MODEL_NAMES)))
        raise ModelNotFound(name_or_id, suggestions)

    def get_models(self, model_ids: Sequence[str]) -> list[Model]:
        """Models by id, in one query; ids the store does not hold are left out."""
        found = {m.id: m for m in (_model(r["m"]) for r in self._rows(MODELS_BY_ID, ids=list(model_ids)))}
        return [found[i] for i in model_ids if i in found]

    def list_models(
        self, prefix: str | None = None, kind: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[Model], int]:
        rows = self._rows(
            LIST_MODELS,
            prefix=prefix.lower() if prefix else None,
            kind=kind.lower() if kind else None,
            offset=max(offset, 0),
            limit=max(limit, 0),
        )
        return [_model(m) for m in rows[0]["page"]], int(rows[0]["total"])

    def model_names(self) -> dict[str, list[str]]:
        return {r["id"]: [r["name"] or r["id"], *r["aliases"]] for r in self._rows(ALL_MODEL_NAMES)}

    def capabilities(self, model_id: str) -> list[Capability]:
        def work(tx: ManagedTransaction) -> list[Capability]:
            if tx.run(MODEL_EXISTS, id=model_id).single() is None:
                raise ModelNotFound(model_id)
            return [_capability(r["c"]) for r in tx.run(MODEL_CAPABILITIES, id=model_id)]

        return self._read(work)

    def get_capabilities(self, capability_ids: Sequence[str]) -> list[Capability]:
        found = {r["c"]["id"]: r["c"] for r in self._rows(GET_CAPABILITIES, ids=list(capability_ids))}
        missing = [c for c in capability_ids if c not in found]
        if missing:
            raise NotFound(f"No capability {missing[0]!r}.")
        return [_capability(found[c]) for c in capability_ids]

    def all_capability_ids(self) -> list[str]:
        return [r["id"] for r in self._rows(ALL_CAPABILITY_IDS)]

    def claims(self, model_id: str) -> list[SourcedClaim]:
        out = [SourcedClaim(model_id=model_id, **r) for r in self._rows(CLAIMS, id=model_id)]
        return sorted(out, key=lambda c: (c.attribute, c.source_title, c.source_id, c.value))

    def scores(self, model_id: str) -> list[SourcedScore]:
        out = [SourcedScore(model_id=model_id, **r) for r in self._rows(SCORES, id=model_id)]
        return sorted(out, key=lambda s: (s.benchmark, s.value))

    def evidence(self, model_id: str) -> list[Evidence]:
        """COMPARED_WITH and VARIANT_OF in both directions; CONTRASTED_WITH from or to the model's capabilities."""
        out = [
            Evidence(
                kind=r["kind"],
                model_id=model_id,
                other_id=r["other"],
                sources=list(r["sources"] or []),
                capability_id=r["capability"],
            )
            for r in self._rows(EVIDENCE, id=model_id)
        ]
        return sorted(out, key=lambda e: (e.kind, e.other_id, e.capability_id or ""))

    def similar_links(self, capability_id: str) -> list[Similarity]:
        def work(tx: ManagedTransaction) -> list[Similarity]:
            if tx.run(CAPABILITY_EXISTS, id=capability_id).single() is None:
                raise NotFound(f"No capability {capability_id!r}.")
            return [
                Similarity(a=capability_id, b=r["other"], score=r["score"])
                for r in tx.run(SIMILAR_LINKS, id=capability_id)
            ]

        return sorted(self._read(work), key=lambda s: (-s.score, s.b))

    # ------------------------------------------------------------------------------ vectors
    def embedding_info(self) -> tuple[str, int] | None:
        meta = self._meta()
        if not meta.get("embedding_model"):
            return None
        return str(meta["embedding_model"]), int(meta["embedding_dim"])

    def vectors(self, capability_ids: Sequence[str]) -> Matrix:
        found = {r["id"]: r["v"] for r in self._rows(VECTORS, ids=list(capability_ids)) if r["v"] is not None}
        missing = [c for c in capability_ids if c not in found]
        if missing:
            raise NotFound(f"No vector for capabilities {missing[:3]}; run `capgraph reembed`.")
        if not capability_ids:
            info = self.embedding_info()
            return np.zeros((0, info[1] if info else 0), dtype=np.float32)
        return np.asarray([found[c] for c in capability_ids], dtype=np.float32)

    def has_vectors(self, capability_ids: Sequence[str]) -> list[bool]:
        has = {r["id"]: r["has"] for r in self._rows(HAS_VECTORS, ids=list(capability_ids))}
        return [bool(has.get(c)) for c in capability_ids]

    def nearest(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        """Top-k capabilities per query row by cosine, through the vector index, best first, ties by id.

        For cosine the index reports (1 + cos) / 2 (checked on 5.26: with quantization off it matches
        the exact cosine to ~1e-7), so scores are converted back with 2s - 1 and match the embedded store.
        """
        q = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if k <= 0 or q.shape[0] == 0:
            return [[] for _ in range(q.shape[0])]
        try:
            rows = self._rows(NEAREST, queries=q.tolist(), fetch=max(k * FETCH_FACTOR, FETCH_MIN))
        except ClientError as exc:  # no vector index yet (nothing embedded), or another dimension
            if exc.code == "Neo.ClientError.Procedure.ProcedureCallFailed":
                return [[] for _ in range(q.shape[0])]
            raise
        grouped: list[list[tuple[str, float]]] = [[] for _ in range(q.shape[0])]
        for r in rows:
            grouped[r["i"]].append((r["id"], 2.0 * float(r["score"]) - 1.0))
        return [sorted(hits, key=lambda h: (-round(h[1], 6), h[0]))[:k] for hits in grouped]

    # ------------------------------------------------------------------------------ whole graph
    def _resolve_node(self, node_id: str) -> tuple[str, str]:
        """(element id, label) of a node given as `Label:id`, a bare id (Model first) or a model name."""
        label, sep, rest = node_id.partition(":")
        tries = [(label, rest)] if sep and label in FIND_NODE else []
        tries += [(lbl, node_id) for lbl in FIND_NODE]
        for lbl, id_ in tries:
            rows = self._rows(FIND_NODE[lbl], id=id_)
            if rows:
                return rows[0]["eid"], lbl
        model = self.get_model(node_id)
        return self._rows(FIND_NODE[MODEL], id=model.id)[0]["eid"], MODEL

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Subgraph:
        """Nodes within `depth` hops (either direction, depth capped at 4), nearest first then by key.

        One query per hop (a breadth-first walk) rather than a variable-length path match: a path
        match enumerates every path, which explodes around hub nodes, while a hop touches each node once.
        """
        start, start_label = self._resolve_node(node_id)
        with self.guard(), self.session(neo4j.READ_ACCESS) as session:
            return session.execute_read(self._neighborhood, start, start_label, min(max(depth, 0), MAX_DEPTH), limit)

    @staticmethod
    def _neighborhood(tx: ManagedTransaction, start: str, start_label: str, depth: int, limit: int) -> Subgraph:
        seen: dict[str, int] = {start: 0}
        keys: dict[str, str] = {}
        frontier = [start]
        for hop in range(1, depth + 1):
            if not frontier:
                break
            nxt = []
            for r in tx.run(EXPAND, frontier=frontier):
                if r["eid"] not in seen:
                    seen[r["eid"]] = hop
                    keys[r["eid"]] = node_key(r["label"], r["id"])
                    nxt.append(r["eid"])
            frontier = nxt
        nodes = {r["eid"]: r for r in tx.run(SUBGRAPH_NODES, eids=list(seen))}
        keys[start] = node_key(start_label, nodes[start]["props"]["id"])
        keep = sorted(seen, key=lambda e: (seen[e], keys[e]))[: max(limit, 0)]
        views = []
        for eid in keep:
            label, props = nodes[eid]["label"], _clean(nodes[eid]["props"])
            caption = props.get("title") if label == SOURCE else props.get("name", props.get("id"))
            views.append(NodeView(id=keys[eid], label=label, caption=str(caption or props.get("id")), properties=props))
        edges = [
            EdgeView(source=keys[r["a"]], target=keys[r["b"]], type=r["type"], properties=_clean(r["props"]))
            for r in tx.run(SUBGRAPH_EDGES, eids=keep)
        ]
        edges.sort(key=lambda e: (e.source, e.target, e.type, json.dumps(e.properties, sort_keys=True, default=str)))
        return Subgraph(nodes=views, edges=edges)

    def list_classes(self) -> list[CapabilityClass]:
        return self._classes(None)

    def get_classes(self, class_ids: Sequence[str]) -> list[CapabilityClass]:
        return self._classes(list(class_ids))

    def _classes(self, ids: list[str] | None) -> list[CapabilityClass]:
        found = [CapabilityClass(**r) for r in self._rows(CLASSES, ids=ids)]
        return sorted((c for c in found if c.members), key=class_order)

    def class_memberships(self, capability_ids: Sequence[str]) -> dict[str, str]:
        rows = self._rows(CLASS_MEMBERSHIPS, ids=list(capability_ids))
        return {r["capability"]: r["class"] for r in rows}

    def stats(self) -> StoreStats:
        def work(tx: ManagedTransaction) -> StoreStats:
            labels = tx.run(COUNT_LABELS).single(strict=True).data()
            rels = tx.run(COUNT_RELS).single(strict=True).data()
            meta = tx.run(READ_META).single()
            m = dict(meta["meta"]) if meta else {}
            return StoreStats(
                **labels,
                relationships={t: int(n) for t, n in sorted(rels.items()) if n},
                embedding_model=m.get("embedding_model"),
                embedding_dim=m.get("embedding_dim"),
            )

        return self._read(work)

    def export(self, fmt: ExportFormat) -> str:
        """The same GraphML / node-link JSON as the embedded store: the graph is rebuilt from the stored
        extractions and similarity links with `graph.merge`, then written by `graph.export`."""

        def work(tx: ManagedTransaction) -> tuple[list[Extraction], list[Similarity], list[CapabilityClass]]:
            extractions = [extraction_of(r.data()) for r in tx.run(ALL_EXTRACTIONS)]
            sims = [Similarity(**r.data()) for r in tx.run(ALL_SIMILAR)]
            classes = [CapabilityClass(**r.data()) for r in tx.run(CLASSES, ids=None)]
            return extractions, sims, classes

        extractions, sims, classes = self._read(work)
        graph = build_graph(extractions, sims)
        apply_classes(graph, sorted(classes, key=class_order))
        return export_graph(graph, fmt)

    def close(self) -> None:
        self._driver.close()


def _display_names(rows: Sequence[Row]) -> dict[str, str]:
    """lookup key -> display name, for suggestions."""
    names: dict[str, str] = {}
    for r in rows:
        display = r.get("name") or r["id"]
        for n in [r["id"], display, *(r.get("aliases") or [])]:
            if n:
                names.setdefault(lookup_key(n), display)
    return names
