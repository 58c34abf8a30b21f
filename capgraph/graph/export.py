"""Whole-graph export (GraphML, node-link JSON) from the merged networkx graph, shared by both stores."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from capgraph.graph.store import ExportFormat


def _stringify_collections(data: dict[str, Any]) -> None:
    for k, v in list(data.items()):
        if isinstance(v, list | dict):
            data[k] = json.dumps(v)


def export_graph(graph: nx.MultiDiGraph, fmt: ExportFormat) -> str:
    """GraphML (Gephi, Cytoscape) or node-link JSON of a graph built by `graph.merge`.

    Per-source model facts and null properties are left out; in GraphML, list properties become
    JSON strings because GraphML attributes are scalars.
    """
    g = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        g.add_node(n, **{k: v for k, v in d.items() if k != "facts" and v is not None})
    for u, v, k, d in graph.edges(keys=True, data=True):
        g.add_edge(u, v, key=k, **{x: y for x, y in d.items() if y is not None})
    if fmt == "json":
        return json.dumps(nx.node_link_data(g, edges="edges"), indent=1, default=str)
    for _, d in g.nodes(data=True):
        _stringify_collections(d)
    for _, _, d in g.edges(data=True):
        _stringify_collections(d)
    return "\n".join(nx.generate_graphml(g))
