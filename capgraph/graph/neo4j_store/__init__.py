"""The Neo4j backend: `queries` (Cypher constants), `connection` (driver, schema and indexes), `records`
(rows <-> domain types), `writes`, `reads`, `cypher` (read-only user queries), joined in `store`."""

from __future__ import annotations

from capgraph.graph.neo4j_store.connection import Neo4jOptions
from capgraph.graph.neo4j_store.queries import HIDDEN_PROPS, fuzzy_query, lucene_escape
from capgraph.graph.neo4j_store.store import Neo4jStore

__all__ = ["HIDDEN_PROPS", "Neo4jOptions", "Neo4jStore", "fuzzy_query", "lucene_escape"]
