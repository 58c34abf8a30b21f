"""A write's graph updates look only at what its document touches (no sweep over the whole graph)."""

from __future__ import annotations

import networkx as nx

from capgraph.graph.merge import (
    MODEL,
    apply_extraction,
    build_graph,
    node_key,
    refresh_counts,
    touched_models,
)
from capgraph.graph.schema import Capability, Comparison, Contrast, Extraction, Model, Source


def extraction(n: int) -> Extraction:
    a, b = f"m{n}a", f"m{n}b"
    return Extraction(
        source=Source(id=f"s{n}", title=f"page {n}"),
        models=[Model(id=a, name=f"A {n}")],
        capabilities=[Capability(id=f"{a}:c{j}", model_id=a, name=f"cap {j}", description="d") for j in range(3)],
        comparisons=[Comparison(a=a, b=b)],  # b is named only by the comparison
        contrasts=[Contrast(capability_id=f"{a}:c0", model_id=b)],
    )


def test_incremental_writes_give_the_graph_built_at_once() -> None:
    exs = [extraction(n) for n in range(4)]
    g = nx.MultiDiGraph()
    for ex in exs:
        apply_extraction(g, ex)
        refresh_counts(g, touched_models(ex))
    whole = build_graph(exs)
    assert dict(g.nodes(data=True)) == dict(whole.nodes(data=True))
    assert g.nodes[node_key(MODEL, "m2b")]["label"] == MODEL  # an endpoint named only by an edge
    assert g.nodes[node_key(MODEL, "m2a")]["capability_count"] == 3


def test_a_write_leaves_nodes_it_does_not_touch_alone() -> None:
    g = build_graph([extraction(0)])
    g.add_node("Model:elsewhere")  # stands for the rest of a large graph: must not be visited
    g.nodes[node_key(MODEL, "m0a")]["capability_count"] = -1
    ex = extraction(1)
    apply_extraction(g, ex)
    refresh_counts(g, touched_models(ex))
    assert "label" not in g.nodes["Model:elsewhere"]
    assert g.nodes[node_key(MODEL, "m0a")]["capability_count"] == -1
    assert g.nodes[node_key(MODEL, "m1a")]["capability_count"] == 3
