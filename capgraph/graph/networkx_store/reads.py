"""The embedded store's reads, over the in-memory state `NetworkxPersistence` loads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx

from capgraph.errors import ModelNotFound, NotFound
from capgraph.graph.export import export_graph
from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    CLASS,
    MODEL,
    SOURCE,
    class_order,
    closest_names,
    graph_classes,
    lookup_key,
    model_from_node,
    node_key,
    summarize,
)
from capgraph.graph.networkx_store.persistence import _CAPABILITY_FIELDS, NetworkxPersistence
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


class NetworkxReads(NetworkxPersistence):
    # ---------------------------------------------------------------- reads
    def _ids(self, label: str) -> set[str]:
        return {d["id"] for _, d in self._graph.nodes(data=True) if d.get("label") == label}

    def has_source(self, source_id: str) -> bool:
        with self._view():
            return source_id in self._extractions

    def list_sources(self) -> list[Source]:
        with self._view():
            return sorted(self._extractions.sources(), key=lambda s: (s.title, s.id))

    def _extraction(self, source_id: str) -> Extraction:
        try:
            return self._extractions[source_id]
        except KeyError:
            raise NotFound(f"No source {source_id!r}.") from None

    def source_summary(self, source_id: str) -> SourceSummary:
        with self._view():
            return summarize(self._extraction(source_id))

    def source_extraction(self, source_id: str) -> Extraction:
        with self._view():
            if source_id not in self._extractions:
                raise NotFound(f"No source {source_id!r}.")
            return self._extractions.fresh(source_id)

    def source_text(self, source_id: str) -> str:
        with self._view():
            self._extraction(source_id)
            return self._text_path(source_id).read_text(encoding="utf-8")

    def _name_index(self) -> dict[str, str]:
        """lookup key -> model id, for names, aliases and ids."""
        index: dict[str, str] = {}
        for _, d in self._graph.nodes(data=True):
            if d.get("label") == MODEL:
                for name in [d["id"], d.get("name", ""), *d.get("aliases", [])]:
                    if name:
                        index.setdefault(lookup_key(name), d["id"])
        return index

    def get_model(self, name_or_id: str) -> Model:
        with self._view():
            key = node_key(MODEL, name_or_id)
            if key in self._graph:
                return model_from_node(self._graph.nodes[key])
            index = self._name_index()
            found = index.get(lookup_key(name_or_id))
            if found:
                return model_from_node(self._graph.nodes[node_key(MODEL, found)])
            names = {k: self._graph.nodes[node_key(MODEL, v)].get("name", v) for k, v in index.items()}
            raise ModelNotFound(name_or_id, closest_names(name_or_id, names))

    def get_models(self, model_ids: Sequence[str]) -> list[Model]:
        """Models by id; ids the store does not hold are left out."""
        with self._view():
            keys = [node_key(MODEL, i) for i in model_ids]
            return [model_from_node(self._graph.nodes[k]) for k in keys if k in self._graph]

    def model_names(self) -> dict[str, list[str]]:
        with self._view():
            return {
                d["id"]: [d.get("name", d["id"]), *d.get("aliases", [])]
                for _, d in self._graph.nodes(data=True)
                if d.get("label") == MODEL
            }

    def list_models(
        self, prefix: str | None = None, kind: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[Model], int]:
        with self._view():
            models = [model_from_node(d) for _, d in self._graph.nodes(data=True) if d.get("label") == MODEL]
        if prefix:
            p = prefix.lower()
            models = [m for m in models if m.name.lower().startswith(p) or m.id.startswith(p)]
        if kind:
            models = [m for m in models if m.kind.lower() == kind.lower()]
        models.sort(key=lambda m: (m.name.lower(), m.id))
        return models[offset : offset + limit], len(models)

    def _capability(self, data: dict[str, Any]) -> Capability:
        # validated when it was ingested; re-validating thousands per query showed up in profiles
        fields: dict[str, Any] = {f: data.get(f) for f in _CAPABILITY_FIELDS}
        return Capability.model_construct(**fields)

    def capabilities(self, model_id: str) -> list[Capability]:
        with self._view():
            key = node_key(MODEL, model_id)
            if key not in self._graph:
                raise ModelNotFound(model_id)
            caps = [
                self._capability(self._graph.nodes[v])
                for _, v, k in self._graph.out_edges(key, keys=True)
                if k == "HAS_CAPABILITY"
            ]
        return sorted(caps, key=lambda c: c.id)

    def get_capabilities(self, capability_ids: Sequence[str]) -> list[Capability]:
        with self._view():
            out = []
            for cid in capability_ids:
                key = node_key(CAPABILITY, cid)
                if key not in self._graph:
                    raise NotFound(f"No capability {cid!r}.")
                out.append(self._capability(self._graph.nodes[key]))
            return out

    def all_capability_ids(self) -> list[str]:
        with self._view():
            return sorted(self._ids(CAPABILITY))

    def claims(self, model_id: str) -> list[SourcedClaim]:
        with self._view():
            key = node_key(MODEL, model_id)
            out = []
            for u, _, k, d in self._graph.in_edges(key, keys=True, data=True):
                if k.startswith("STATES|"):
                    src = self._graph.nodes[u]
                    out.append(
                        SourcedClaim(
                            model_id=model_id,
                            attribute=d["attribute"],
                            value=d["value"],
                            number=d.get("number"),
                            unit=d.get("unit"),
                            source_id=src["id"],
                            source_title=src.get("title", ""),
                        )
                    )
        return sorted(out, key=lambda c: (c.attribute, c.source_title, c.source_id, c.value))

    def scores(self, model_id: str) -> list[SourcedScore]:
        with self._view():
            key = node_key(MODEL, model_id)
            out = (
                [
                    SourcedScore(
                        model_id=model_id,
                        benchmark=self._graph.nodes[v]["name"],
                        value=d["value"],
                        unit=d.get("unit"),
                        sources=list(d["sources"]),
                    )
                    for _, v, k, d in self._graph.out_edges(key, keys=True, data=True)
                    if k.startswith("SCORED|")
                ]
                if key in self._graph
                else []
            )
        return sorted(out, key=lambda s: (s.benchmark, s.value))

    def _benchmark_nodes(self) -> list[tuple[str, str]]:
        """(node, name) of the benchmark nodes some model scores on."""
        graph = self._graph
        return [
            (n, d["name"])
            for n, d in graph.nodes(data=True)
            if d.get("label") == BENCHMARK and any(k.startswith("SCORED|") for _, _, k in graph.in_edges(n, keys=True))
        ]

    def scored_benchmarks(self) -> list[str]:
        with self._view():
            return sorted({name for _, name in self._benchmark_nodes()})

    def benchmark_scores(self, names: Sequence[str]) -> list[SourcedScore]:
        wanted = set(names)
        with self._view():
            return [
                SourcedScore(
                    model_id=self._graph.nodes[u]["id"],
                    benchmark=name,
                    value=d["value"],
                    unit=d.get("unit"),
                    sources=list(d["sources"]),
                )
                for n, name in self._benchmark_nodes()
                if name in wanted
                for u, _, k, d in self._graph.in_edges(n, keys=True, data=True)
                if k.startswith("SCORED|")
            ]

    def evidence(self, model_id: str) -> list[Evidence]:
        """COMPARED_WITH and VARIANT_OF in both directions; CONTRASTED_WITH from or to the model's capabilities."""
        with self._view():
            key = node_key(MODEL, model_id)
            if key not in self._graph:
                return []
            g = self._graph
            out: list[Evidence] = []
            for u, v, k, d in [*g.out_edges(key, keys=True, data=True), *g.in_edges(key, keys=True, data=True)]:
                other = v if u == key else u
                if k in ("COMPARED_WITH", "VARIANT_OF"):
                    out.append(
                        Evidence(kind=k, model_id=model_id, other_id=g.nodes[other]["id"], sources=list(d["sources"]))
                    )
                elif k == "CONTRASTED_WITH":  # another model's capability names this model
                    cap = g.nodes[u]
                    out.append(
                        Evidence(
                            kind=k,
                            model_id=model_id,
                            other_id=cap["model_id"],
                            sources=list(d["sources"]),
                            capability_id=cap["id"],
                        )
                    )
            for _, cap_key, k in g.out_edges(key, keys=True):
                if k != "HAS_CAPABILITY":
                    continue
                for _, target, k2, d in g.out_edges(cap_key, keys=True, data=True):
                    if k2 == "CONTRASTED_WITH":
                        out.append(
                            Evidence(
                                kind=k2,
                                model_id=model_id,
                                other_id=g.nodes[target]["id"],
                                sources=list(d["sources"]),
                                capability_id=g.nodes[cap_key]["id"],
                            )
                        )
        return sorted(out, key=lambda e: (e.kind, e.other_id, e.capability_id or ""))

    def similar_links(self, capability_id: str) -> list[Similarity]:
        with self._view():
            key = node_key(CAPABILITY, capability_id)
            if key not in self._graph:
                raise NotFound(f"No capability {capability_id!r}.")
            out = []
            for u, v, k, d in [
                *self._graph.out_edges(key, keys=True, data=True),
                *self._graph.in_edges(key, keys=True, data=True),
            ]:
                if k == "SIMILAR_TO":
                    other = v if u == key else u
                    out.append(Similarity(a=capability_id, b=self._graph.nodes[other]["id"], score=d["score"]))
        return sorted(out, key=lambda s: (-s.score, s.b))

    # ---------------------------------------------------------------- vectors
    def embedding_info(self) -> tuple[str, int] | None:
        with self._view():
            return self._embedding

    def vectors(self, capability_ids: Sequence[str]) -> Matrix:
        with self._view():
            missing = [c for c in capability_ids if c not in self._index]
            if missing:
                raise NotFound(f"No vector for capabilities {missing[:3]}; run `capgraph reembed`.")
            return self._index.get(capability_ids).copy()

    def has_vectors(self, capability_ids: Sequence[str]) -> list[bool]:
        with self._view():
            return [c in self._index for c in capability_ids]

    def nearest(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        with self._view():
            return self._index.search(queries, k)

    # ---------------------------------------------------------------- classes
    def list_classes(self) -> list[CapabilityClass]:
        with self._view():
            return graph_classes(self._graph)

    def get_classes(self, class_ids: Sequence[str]) -> list[CapabilityClass]:
        with self._view():
            found = []
            for key in dict.fromkeys(node_key(CLASS, i) for i in class_ids):
                if key in self._graph:
                    d = self._graph.nodes[key]
                    members = sorted(
                        self._graph.nodes[u]["id"] for u, keys in self._graph.pred[key].items() if "INSTANCE_OF" in keys
                    )
                    found.append(
                        CapabilityClass(id=d["id"], name=d["name"], description=d["description"], members=members)
                    )
            return sorted(found, key=class_order)

    def class_memberships(self, capability_ids: Sequence[str]) -> dict[str, str]:
        with self._lock:
            out: dict[str, str] = {}
            for cid in capability_ids:
                key = node_key(CAPABILITY, cid)
                if key in self._graph:
                    for v, keys in self._graph.succ[key].items():
                        if "INSTANCE_OF" in keys:
                            out[cid] = self._graph.nodes[v]["id"]
            return out

    # ---------------------------------------------------------------- whole graph
    def _node_view(self, key: str) -> NodeView:
        d = self._graph.nodes[key]
        label = d.get("label", "")
        caption = d.get("title") if label == SOURCE else d.get("name", d.get("id"))
        props = {k: v for k, v in d.items() if k not in ("facts", "label", "embedding")}
        return NodeView(id=key, label=label, caption=str(caption or d.get("id")), properties=props)

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Subgraph:
        with self._view():
            key = self._resolve_node(node_id)
            undirected = self._graph.to_undirected(as_view=True)
            lengths = nx.single_source_shortest_path_length(undirected, key, cutoff=depth)
            keep = sorted(lengths, key=lambda n: (lengths[n], n))[:limit]
            sub = self._graph.subgraph(keep)
            nodes = [self._node_view(n) for n in keep]
            edges = [
                EdgeView(
                    source=u,
                    target=v,
                    type=d.get("type", k.split("|")[0]),
                    properties={x: y for x, y in d.items() if x != "type"},
                )
                for u, v, k, d in sorted(sub.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
            ]
            return Subgraph(nodes=nodes, edges=edges)

    def _resolve_node(self, node_id: str) -> str:
        if node_id in self._graph:
            return node_id
        for label in (MODEL, CAPABILITY, SOURCE, BENCHMARK):
            if node_key(label, node_id) in self._graph:
                return node_key(label, node_id)
        return node_key(MODEL, self.get_model(node_id).id)

    def stats(self) -> StoreStats:
        with self._view():
            labels: dict[str, int] = {}
            for _, d in self._graph.nodes(data=True):
                labels[d.get("label", "")] = labels.get(d.get("label", ""), 0) + 1
            rels: dict[str, int] = {}
            for _, _, d in self._graph.edges(data=True):
                rels[d["type"]] = rels.get(d["type"], 0) + 1
            return StoreStats(
                sources=labels.get(SOURCE, 0),
                models=labels.get(MODEL, 0),
                capabilities=labels.get(CAPABILITY, 0),
                benchmarks=labels.get(BENCHMARK, 0),
                relationships=dict(sorted(rels.items())),
                embedding_model=self._embedding[0] if self._embedding else None,
                embedding_dim=self._embedding[1] if self._embedding else None,
            )

    def export(self, fmt: ExportFormat) -> str:
        """GraphML (Gephi, Cytoscape) or node-link JSON; list properties become JSON strings in GraphML."""
        with self._view():
            return export_graph(self._graph, fmt)

    def close(self) -> None:
        return None
