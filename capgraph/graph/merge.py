"""Extractions -> one property graph (networkx), shared by the embedded store and exports.

The graph is a pure function of the set of extractions (plus similarity links): every node and
relationship records the sources that state it, so removing a source is "rebuild from the rest",
which removes exactly what only that source supported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from capgraph.graph.schema import CapabilityClass, Extraction, Model, Similarity, SourceSummary

MODEL, CAPABILITY, SOURCE, BENCHMARK = "Model", "Capability", "Source", "Benchmark"
CLASS = "CapabilityClass"


def node_key(label: str, id_: str) -> str:
    """networkx node key; labels namespace ids so a model and a benchmark can share a slug."""
    return f"{label}:{id_}"


def lookup_key(name: str) -> str:
    """Case, spacing and punctuation-insensitive key for name lookups ("GPT 4o" == "gpt-4o")."""
    return re.sub(r"[^a-z0-9.]+", "", name.lower()).replace(".", "")


def benchmark_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "benchmark"


def _add_sources(attrs: dict[str, Any], source_id: str) -> None:
    sources: list[str] = attrs.setdefault("sources", [])
    if source_id not in sources:
        sources.append(source_id)
        sources.sort()


def _edge(g: nx.MultiDiGraph, u: str, v: str, key: str, source_id: str, **props: Any) -> None:
    if g.has_edge(u, v, key):
        data = g.edges[u, v, key]
    else:
        g.add_edge(u, v, key=key, type=key.split("|", 1)[0])
        data = g.edges[u, v, key]
    data.update(props)
    _add_sources(data, source_id)


def model_view(facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Visible model properties from what each source said about it."""
    stated = list(facts.values())
    names = Counter(f["name"] for f in stated)
    kinds = Counter(f["kind"] for f in stated)
    kind = max(kinds, key=lambda k: (kinds[k], k != "Model", k))
    return {
        "name": max(names, key=lambda n: (names[n], n)),
        "kind": kind,
        "vendor": next((f["vendor"] for f in stated if f.get("vendor")), None),
        "family": next((f["family"] for f in stated if f.get("family")), None),
        "aliases": sorted({a for f in stated for a in f.get("aliases", [])}),
    }


def apply_extraction(g: nx.MultiDiGraph, ex: Extraction) -> None:
    sid = ex.source.id
    src = node_key(SOURCE, sid)
    g.add_node(src, label=SOURCE, **ex.source.model_dump(mode="json"))
    for m in ex.models:
        key = node_key(MODEL, m.id)
        if key not in g:
            g.add_node(key, label=MODEL, id=m.id, facts={})
        data = g.nodes[key]
        data["facts"][sid] = m.model_dump(mode="json")
        data.update(model_view(data["facts"]))
        _add_sources(data, sid)
    for c in ex.capabilities:
        key = node_key(CAPABILITY, c.id)
        if key not in g:
            g.add_node(key, label=CAPABILITY, **c.model_dump(mode="json"))
        data = g.nodes[key]
        for field in ("unique", "vs_alternatives"):
            if not data.get(field) and getattr(c, field):
                data[field] = getattr(c, field)
        _add_sources(data, sid)
        _edge(g, node_key(MODEL, c.model_id), key, "HAS_CAPABILITY", sid)
    for cmp in ex.comparisons:
        a, b = sorted((cmp.a, cmp.b))
        _edge(g, node_key(MODEL, a), node_key(MODEL, b), "COMPARED_WITH", sid)
    for ct in ex.contrasts:
        _edge(g, node_key(CAPABILITY, ct.capability_id), node_key(MODEL, ct.model_id), "CONTRASTED_WITH", sid)
    for v in ex.variants:
        _edge(g, node_key(MODEL, v.variant_id), node_key(MODEL, v.base_id), "VARIANT_OF", sid)
    for s in ex.scores:
        bkey = node_key(BENCHMARK, benchmark_id(s.benchmark))
        if bkey not in g:
            g.add_node(bkey, label=BENCHMARK, id=benchmark_id(s.benchmark), name=s.benchmark)
        _add_sources(g.nodes[bkey], sid)
        _edge(g, node_key(MODEL, s.model_id), bkey, f"SCORED|{s.value}|{s.unit}", sid, value=s.value, unit=s.unit)
    for cl in ex.claims:
        _edge(
            g,
            src,
            node_key(MODEL, cl.model_id),
            f"STATES|{cl.attribute}|{cl.value}",
            sid,
            attribute=cl.attribute,
            value=cl.value,
            number=cl.number,
            unit=cl.unit,
        )
    # Edge endpoints named only by a relationship still need a label to be read back. Only this
    # document's edges can have made one, so only their endpoints are looked at (a write costs its change).
    for node in _endpoints(ex):
        if "label" not in g.nodes[node]:
            label, _, id_ = node.partition(":")
            g.nodes[node].update(label=label, id=id_, name=id_, kind="Model", facts={}, sources=[sid])


def _endpoints(ex: Extraction) -> set[str]:
    """The nodes `ex`'s relationships name that it may not have created itself."""
    contrasted = {node_key(CAPABILITY, ct.capability_id) for ct in ex.contrasts}
    return contrasted | {node_key(MODEL, m) for m in _named_models(ex)}


def _named_models(ex: Extraction) -> set[str]:
    return {
        *(c.model_id for c in ex.capabilities),
        *(x for cmp in ex.comparisons for x in (cmp.a, cmp.b)),
        *(ct.model_id for ct in ex.contrasts),
        *(x for v in ex.variants for x in (v.variant_id, v.base_id)),
        *(sc.model_id for sc in ex.scores),
        *(cl.model_id for cl in ex.claims),
    }


def apply_similarities(g: nx.MultiDiGraph, similarities: Iterable[Similarity]) -> None:
    for s in similarities:
        a, b = node_key(CAPABILITY, s.a), node_key(CAPABILITY, s.b)
        if a in g and b in g:
            g.add_edge(a, b, key="SIMILAR_TO", type="SIMILAR_TO", score=s.score)


def apply_classes(g: nx.MultiDiGraph, classes: Iterable[CapabilityClass]) -> None:
    """CapabilityClass nodes and (Capability)-[:INSTANCE_OF]->(CapabilityClass) edges for members in `g`;
    `size` counts the members present. A capability is in one class: joining one leaves any other."""
    for cls in classes:
        key = node_key(CLASS, cls.id)
        present = [node_key(CAPABILITY, m) for m in cls.members if node_key(CAPABILITY, m) in g]
        if key not in g:
            g.add_node(key, label=CLASS, id=cls.id)
        g.nodes[key].update(name=cls.name, description=cls.description)
        for member in present:
            for _, old in [(u, v) for u, v, k in g.out_edges(member, keys=True) if k == "INSTANCE_OF" and v != key]:
                g.remove_edge(member, old, "INSTANCE_OF")
                _refresh_class(g, old)
            if not g.has_edge(member, key, "INSTANCE_OF"):
                g.add_edge(member, key, key="INSTANCE_OF", type="INSTANCE_OF")
        _refresh_class(g, key)


def _refresh_class(g: nx.MultiDiGraph, key: str) -> None:
    size = sum(1 for _, _, k in g.in_edges(key, keys=True) if k == "INSTANCE_OF")
    if size:
        g.nodes[key]["size"] = size
    else:
        g.remove_node(key)


def graph_classes(g: nx.MultiDiGraph) -> list[CapabilityClass]:
    """The classes held in `g`, members sorted, largest first (then name, id): the order both stores list."""
    out = []
    for key, d in g.nodes(data=True):
        if d.get("label") == CLASS:
            members = sorted(g.nodes[u]["id"] for u, _, k in g.in_edges(key, keys=True) if k == "INSTANCE_OF")
            out.append(CapabilityClass(id=d["id"], name=d["name"], description=d["description"], members=members))
    return sorted(out, key=class_order)


def class_order(cls: CapabilityClass) -> tuple[int, str, str]:
    return (-cls.size, cls.name.lower(), cls.id)


def build_graph(
    extractions: Iterable[Extraction],
    similarities: Iterable[Similarity] = (),
    classes: Iterable[CapabilityClass] = (),
) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for ex in extractions:
        apply_extraction(g, ex)
    apply_similarities(g, similarities)
    apply_classes(g, classes)
    refresh_counts(g)
    return g


def refresh_counts(g: nx.MultiDiGraph, model_ids: Iterable[str] | None = None) -> None:
    """`capability_count` on Model nodes (all, or the given ones: those a write touched): the Browser
    sizes models by it and lists sort by it."""
    keys = g.nodes if model_ids is None else [k for m in model_ids if (k := node_key(MODEL, m)) in g]
    for node in keys:
        data = g.nodes[node]
        if data.get("label") == MODEL:
            data["capability_count"] = sum(1 for _, _, k in g.out_edges(node, keys=True) if k == "HAS_CAPABILITY")


def touched_models(ex: Extraction) -> set[str]:
    """Ids of the models whose capability counts `ex` can set or change."""
    return {m.id for m in ex.models} | _named_models(ex)


def model_from_node(data: dict[str, Any]) -> Model:
    return Model(
        id=data["id"],
        name=data.get("name", data["id"]),
        kind=data.get("kind", "Model"),
        vendor=data.get("vendor"),
        family=data.get("family"),
        aliases=list(data.get("aliases", [])),
    )


# Suggestion score, 0-100: 0.6 · token_set_ratio(words) + 0.4 · ratio(lookup keys). The token part makes a
# name that holds every typed word score 100 ("claude 3.5" in "Claude 3.5 Sonnet", "r1" in "DeepSeek-R1");
# the key part ranks among those the closest whole name first and catches typos inside a word ("o4-minni").
TOKEN_WEIGHT = 0.6
SUGGESTION_CUTOFF = 60.0


def _words(name: str) -> str:
    return re.sub(r"[^a-z0-9.]+", " ", name.lower()).strip()


def suggestion_score(name: str, key: str, display: str) -> float:
    """How close `display` (lookup key `key`) is to what was typed, `name` (see TOKEN_WEIGHT)."""
    words = fuzz.token_set_ratio(_words(name), _words(display))
    return TOKEN_WEIGHT * words + (1 - TOKEN_WEIGHT) * fuzz.ratio(lookup_key(name), key)


def closest_names(name: str, candidates: dict[str, str], n: int = 5) -> list[str]:
    """Display names closest to `name` by `suggestion_score` (candidates: lookup key -> display name)."""
    best: dict[str, float] = {}
    for key, display in candidates.items():
        score = suggestion_score(name, key, display)
        if score >= SUGGESTION_CUTOFF and score > best.get(display, -1.0):
            best[display] = score
    return sorted(best, key=lambda d: (-best[d], len(d), d))[:n]


def summarize(ex: Extraction) -> SourceSummary:
    """What `upsert` and `source_summary` report about one source, the same on both stores."""
    return SourceSummary(
        source=ex.source,
        models=len(ex.models),
        capabilities=len(ex.capabilities),
        claims=len(ex.claims),
        scores=len(ex.scores),
        warnings=list(ex.warnings),
    )
