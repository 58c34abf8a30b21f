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
    JSON strings because GraphML attributes are scalars, and two names are changed (see
    `GRAPHML_NODE_RENAMES`) so igraph and Gephi read the file.
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
        _rename(d, GRAPHML_NODE_RENAMES)
    for _, _, d in g.edges(data=True):
        _stringify_collections(d)
        if d.get("type") == "SCORED":
            _rename(d, GRAPHML_SCORED_RENAMES)
    return "\n".join(nx.generate_graphml(g))


# GraphML declares each attribute name once with one type (igraph's Read_GraphML refuses a name declared
# twice, and networkx declares `value` twice: a number on SCORED, text on STATES), and a node attribute
# `id` collides with the element's own id in igraph and Gephi. So in GraphML the node's id property is
# `node_id`, and a SCORED edge's number is `score`.
GRAPHML_NODE_RENAMES = {"id": "node_id"}
GRAPHML_SCORED_RENAMES = {"value": "score"}


def _rename(data: dict[str, Any], renames: dict[str, str]) -> None:
    for old, new in renames.items():
        if old in data:
            data[new] = data.pop(old)
