"""GraphStore on a Neo4j 5.26+ server over Bolt, with the same semantics as `NetworkxStore`.

How the embedded model maps onto Neo4j:
- Every node and relationship carries `sources` (sorted source ids). A node's list holds every
  source that mentions it, as a node or as an endpoint of one of its relationships, so removing a
  source deletes exactly the nodes and relationships whose list becomes empty.
- What each source said about a Model, a Capability or a Benchmark is kept per source in
  `facts_json` (Neo4j properties cannot be maps); the visible properties are derived from it with
  the same rules as the embedded store (`graph.merge`), in source ingest order (`Source.seq`), and
  re-derived when a source is removed.
- The Source node keeps the raw `text` and the `extraction_json`, which is what `source_extraction`,
  `stored_texts` and `export` read back.
- STATES relationships are keyed by attribute+value and SCORED by value+unit (a `key` property),
  so two sources that disagree give two relationships.
- Embedding model and dimension live on one `(:CapgraphMeta {id: 'meta'})` node.

Transactions: every `upsert`, `remove_source` and `replace_embeddings` is one write transaction
(`session.execute_write`), validated before it starts, so a failed write changes nothing. Schema
changes (the vector index, whose dimension follows the vectors in use) cannot share a transaction
with data writes; they run just before it and are undone if the data write fails.

Vector search goes through `db.index.vector.queryNodes` (HNSW, cosine, quantization off, which
5.26 turns on by default and which makes scores approximate). The index reports (1 + cos) / 2;
`nearest` converts back to cosine so both stores return the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from capgraph.graph.cypher import CypherResult
from capgraph.graph.neo4j_store.cypher import run_read_only
from capgraph.graph.neo4j_store.reads import Neo4jReads
from capgraph.graph.neo4j_store.usage import Neo4jUsage
from capgraph.graph.neo4j_store.writes import Neo4jWrites


class Neo4jStore(Neo4jUsage, Neo4jWrites, Neo4jReads):
    """GraphStore on Neo4j. Thread-safe (the driver pools connections; every call opens its own session)."""

    def read_cypher(
        self, query: str, params: Mapping[str, Any] | None, timeout_s: float, row_limit: int
    ) -> CypherResult:
        """The `CypherReader` role: see `neo4j_store.cypher` for how writes are refused."""
        return run_read_only(self, query, params, timeout_s=timeout_s, row_limit=row_limit)
