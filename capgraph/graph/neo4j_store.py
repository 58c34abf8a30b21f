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

import contextlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Final, LiteralString, TypeVar

import neo4j
import numpy as np
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from pydantic import BaseModel, ConfigDict, Field

from capgraph.graph.errors import EmbeddingMismatch, ModelNotFound, NotFound, StoreUnavailable
from capgraph.graph.export import export_graph
from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    MODEL,
    SOURCE,
    benchmark_id,
    build_graph,
    closest_names,
    lookup_key,
    model_view,
    node_key,
)
from capgraph.graph.schema import (
    Capability,
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
from capgraph.graph.store import ExportFormat, IngestBatch, Matrix, RemovalResult, UpsertResult

T = TypeVar("T")
Row = dict[str, Any]

VECTOR_INDEX: Final = "capability_embedding"
MODEL_TEXT_INDEX: Final = "model_name_text"
CAPABILITY_TEXT_INDEX: Final = "capability_text"
META_LABEL: Final = "CapgraphMeta"
REL_TYPES: Final = (
    "COMPARED_WITH",
    "CONTRASTED_WITH",
    "HAS_CAPABILITY",
    "SCORED",
    "SIMILAR_TO",
    "STATES",
    "VARIANT_OF",
)
# Node properties that are storage, not facts to show (NodeView, neighborhood).
HIDDEN_PROPS: Final = frozenset({"facts_json", "embedding", "text", "extraction_json", "seq", "lookup_keys", "key"})
MAX_DEPTH: Final = 4
# The HNSW search is approximate: it is asked for more candidates than needed (its `k` is also its
# beam width) and the best k are kept. Measured on 20k random 384-d unit vectors (HNSW's worst case;
# real embeddings cluster and do better): 20 candidates -> recall@10 0.35, 100 -> 0.80, 200 -> 0.94,
# at 13, 24 and 39 ms per query.
FETCH_FACTOR: Final = 8
FETCH_MIN: Final = 150

# ------------------------------------------------------------------------------------------ Cypher
SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT source_id IF NOT EXISTS FOR (n:Source) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT model_id IF NOT EXISTS FOR (n:Model) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT capability_id IF NOT EXISTS FOR (n:Capability) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT benchmark_id IF NOT EXISTS FOR (n:Benchmark) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT capgraph_meta_id IF NOT EXISTS FOR (n:CapgraphMeta) REQUIRE n.id IS UNIQUE",
    "CREATE FULLTEXT INDEX model_name_text IF NOT EXISTS FOR (n:Model) ON EACH [n.name, n.aliases, n.id]",
    "CREATE FULLTEXT INDEX capability_text IF NOT EXISTS FOR (n:Capability) ON EACH [n.name, n.description]",
)
# Any vector index on Capability.embedding, whatever its name: one that someone else created would
# make our `CREATE ... IF NOT EXISTS` a silent no-op.
VECTOR_INDEX_INFO: Final = """
SHOW VECTOR INDEXES YIELD name, labelsOrTypes, properties, options
WHERE labelsOrTypes = ['Capability'] AND properties = ['embedding']
RETURN name, options.indexConfig AS config
"""
CREATE_VECTOR_INDEX: Final = """
CREATE VECTOR INDEX capability_embedding IF NOT EXISTS FOR (c:Capability) ON c.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dim, `vector.similarity_function`: 'cosine',
                       `vector.quantization.enabled`: false}}
"""
DROP_INDEX: Final = "DROP INDEX $name IF EXISTS"
AWAIT_INDEXES: Final = "CALL db.awaitIndexes($seconds)"

READ_META: Final = "MATCH (m:CapgraphMeta {id: 'meta'}) RETURN m {.*} AS meta"
ANY_VECTOR: Final = "MATCH (c:Capability) WHERE c.embedding IS NOT NULL RETURN size(c.embedding) AS dim LIMIT 1"
NEXT_SEQ: Final = """
MERGE (m:CapgraphMeta {id: 'meta'})
SET m.seq = coalesce(m.seq, 0) + 1
RETURN m.seq AS seq
"""
SET_EMBEDDING_META: Final = """
MERGE (m:CapgraphMeta {id: 'meta'})
SET m.embedding_model = $model, m.embedding_dim = $dim
"""
SOURCE_EXISTS: Final = "MATCH (s:Source {id: $id}) RETURN s.extraction_json AS extraction"
CREATE_SOURCE: Final = """
CREATE (s:Source {id: $id})
SET s += $props, s.text = $text, s.extraction_json = $extraction, s.seq = $seq
"""
# Add $sid to a sorted `sources` list, keeping it sorted and without duplicates.
_ADD_SOURCE: Final = (
    "[x IN coalesce({v}.sources, []) WHERE x < $sid] + $sid + [x IN coalesce({v}.sources, []) WHERE x > $sid]"
)
# One statement per label so every MERGE uses the uniqueness constraint's index.
WRITE_NODES: Final[dict[str, LiteralString]] = {
    MODEL: "UNWIND $rows AS row MERGE (n:Model {id: row.id}) SET n += row.props",
    CAPABILITY: "UNWIND $rows AS row MERGE (n:Capability {id: row.id}) SET n += row.props",
    BENCHMARK: "UNWIND $rows AS row MERGE (n:Benchmark {id: row.id}) SET n += row.props",
}
READ_NODE_FACTS: Final[dict[str, LiteralString]] = {
    MODEL: "UNWIND $ids AS id MATCH (n:Model {id: id}) RETURN n.id AS id, n.facts_json AS facts, n.sources AS sources",
    CAPABILITY: (
        "UNWIND $ids AS id MATCH (n:Capability {id: id}) RETURN n.id AS id, n.facts_json AS facts, n.sources AS sources"
    ),
    BENCHMARK: (
        "UNWIND $ids AS id MATCH (n:Benchmark {id: id}) RETURN n.id AS id, n.facts_json AS facts, n.sources AS sources"
    ),
}
DELETE_NODES: Final[dict[str, LiteralString]] = {
    MODEL: "UNWIND $ids AS id MATCH (n:Model {id: id}) DETACH DELETE n",
    CAPABILITY: "UNWIND $ids AS id MATCH (n:Capability {id: id}) DETACH DELETE n",
    BENCHMARK: "UNWIND $ids AS id MATCH (n:Benchmark {id: id}) DETACH DELETE n",
}
MERGE_HAS_CAPABILITY: Final = (
    "UNWIND $rows AS row MATCH (a:Model {id: row.a}) MATCH (b:Capability {id: row.b}) "
    "MERGE (a)-[r:HAS_CAPABILITY]->(b) SET r.sources = " + _ADD_SOURCE.format(v="r")
)
MERGE_COMPARED_WITH: Final = (
    "UNWIND $rows AS row MATCH (a:Model {id: row.a}) MATCH (b:Model {id: row.b}) "
    "MERGE (a)-[r:COMPARED_WITH]->(b) SET r.sources = " + _ADD_SOURCE.format(v="r")
)
MERGE_VARIANT_OF: Final = (
    "UNWIND $rows AS row MATCH (a:Model {id: row.a}) MATCH (b:Model {id: row.b}) "
    "MERGE (a)-[r:VARIANT_OF]->(b) SET r.sources = " + _ADD_SOURCE.format(v="r")
)
MERGE_CONTRASTED_WITH: Final = (
    "UNWIND $rows AS row MATCH (a:Capability {id: row.a}) MATCH (b:Model {id: row.b}) "
    "MERGE (a)-[r:CONTRASTED_WITH]->(b) SET r.sources = " + _ADD_SOURCE.format(v="r")
)
MERGE_SCORED: Final = (
    "UNWIND $rows AS row MATCH (a:Model {id: row.a}) MATCH (b:Benchmark {id: row.b}) "
    "MERGE (a)-[r:SCORED {key: row.key}]->(b) SET r.value = row.value, r.unit = row.unit, r.sources = "
    + _ADD_SOURCE.format(v="r")
)
MERGE_STATES: Final = (
    "MATCH (s:Source {id: $sid}) UNWIND $rows AS row MATCH (m:Model {id: row.b}) "
    "MERGE (s)-[r:STATES {key: row.key}]->(m) "
    "SET r.attribute = row.attribute, r.value = row.value, r.number = row.number, r.unit = row.unit, r.sources = "
    + _ADD_SOURCE.format(v="r")
)
# Removal: drop $sid from the relationships it stated; delete those left with no source.
UNSTATE: Final[dict[str, LiteralString]] = {
    "HAS_CAPABILITY": "UNWIND $rows AS row MATCH (:Model {id: row.a})-[r:HAS_CAPABILITY]->(:Capability {id: row.b})",
    "COMPARED_WITH": "UNWIND $rows AS row MATCH (:Model {id: row.a})-[r:COMPARED_WITH]->(:Model {id: row.b})",
    "VARIANT_OF": "UNWIND $rows AS row MATCH (:Model {id: row.a})-[r:VARIANT_OF]->(:Model {id: row.b})",
    "CONTRASTED_WITH": (
        "UNWIND $rows AS row MATCH (:Capability {id: row.a})-[r:CONTRASTED_WITH]->(:Model {id: row.b})"
    ),
    "SCORED": "UNWIND $rows AS row MATCH (:Model {id: row.a})-[r:SCORED {key: row.key}]->(:Benchmark {id: row.b})",
}
_UNSTATE_TAIL: Final = (
    " WHERE $sid IN r.sources SET r.sources = [x IN r.sources WHERE x <> $sid]"
    " WITH r WHERE size(r.sources) = 0 DELETE r"
)
DELETE_SOURCE: Final = "MATCH (s:Source {id: $sid}) DETACH DELETE s"
SET_VECTORS: Final = (
    "UNWIND $rows AS row MATCH (c:Capability {id: row.id}) CALL db.create.setNodeVectorProperty(c, 'embedding', row.v)"
)
REMOVE_ALL_VECTORS: Final = "MATCH (c:Capability) WHERE c.embedding IS NOT NULL REMOVE c.embedding"
DELETE_ALL_SIMILAR: Final = "MATCH ()-[r:SIMILAR_TO]->() DELETE r"
MERGE_SIMILAR: Final = (
    "UNWIND $rows AS row MATCH (a:Capability {id: row.a}) MATCH (b:Capability {id: row.b}) "
    "MERGE (a)-[r:SIMILAR_TO]->(b) SET r.score = row.score"
)
REFRESH_COUNTS: Final = (
    "UNWIND $ids AS id MATCH (m:Model {id: id}) SET m.capability_count = COUNT { (m)-[:HAS_CAPABILITY]->() }"
)
CLEAR_ALL: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

LIST_SOURCES: Final = "MATCH (s:Source) RETURN s.extraction_json AS extraction ORDER BY s.seq"
STORED_TEXTS: Final = "MATCH (s:Source) RETURN s.text AS text, s.title AS title, s.url AS url ORDER BY s.id"
SOURCE_TEXT: Final = "MATCH (s:Source {id: $id}) RETURN s.text AS text"
MODEL_BY_ID: Final = "MATCH (m:Model {id: $id}) RETURN m {.*} AS m"
MODEL_BY_KEY: Final = "MATCH (m:Model) WHERE $key IN m.lookup_keys RETURN m {.*} AS m ORDER BY m.id LIMIT 1"
MODEL_FULLTEXT: Final = """
CALL db.index.fulltext.queryNodes('model_name_text', $lucene, {limit: $limit}) YIELD node
RETURN node.id AS id, node.name AS name, node.aliases AS aliases
"""
ALL_MODEL_NAMES: Final = "MATCH (m:Model) RETURN m.id AS id, m.name AS name, coalesce(m.aliases, []) AS aliases"
LIST_MODELS: Final = """
MATCH (m:Model)
WHERE ($prefix IS NULL OR toLower(m.name) STARTS WITH $prefix OR m.id STARTS WITH $prefix)
  AND ($kind IS NULL OR toLower(m.kind) = $kind)
WITH m ORDER BY toLower(m.name), m.id
WITH collect(m {.*}) AS models
RETURN size(models) AS total, models[$offset..$offset + $limit] AS page
"""
MODEL_EXISTS: Final = "MATCH (m:Model {id: $id}) RETURN m.id AS id"
MODEL_CAPABILITIES: Final = (
    "MATCH (:Model {id: $id})-[:HAS_CAPABILITY]->(c:Capability) RETURN c {.*} AS c ORDER BY c.id"
)
GET_CAPABILITIES: Final = "UNWIND $ids AS id MATCH (c:Capability {id: id}) RETURN c {.*} AS c"
ALL_CAPABILITY_IDS: Final = "MATCH (c:Capability) RETURN c.id AS id ORDER BY id"
CLAIMS: Final = """
MATCH (s:Source)-[r:STATES]->(:Model {id: $id})
RETURN r.attribute AS attribute, r.value AS value, r.number AS number, r.unit AS unit,
       s.id AS source_id, coalesce(s.title, '') AS source_title
"""
SCORES: Final = """
MATCH (:Model {id: $id})-[r:SCORED]->(b:Benchmark)
RETURN b.name AS benchmark, r.value AS value, r.unit AS unit, r.sources AS sources
"""
EVIDENCE: Final = """
MATCH (m:Model {id: $id})
CALL (m) {
  MATCH (m)-[r:COMPARED_WITH|VARIANT_OF]-(o:Model)
  RETURN type(r) AS kind, o.id AS other, r.sources AS sources, null AS capability
  UNION ALL
  MATCH (c:Capability)-[r:CONTRASTED_WITH]->(m)
  RETURN 'CONTRASTED_WITH' AS kind, c.model_id AS other, r.sources AS sources, c.id AS capability
  UNION ALL
  MATCH (m)-[:HAS_CAPABILITY]->(c:Capability)-[r:CONTRASTED_WITH]->(o:Model)
  RETURN 'CONTRASTED_WITH' AS kind, o.id AS other, r.sources AS sources, c.id AS capability
}
RETURN kind, other, sources, capability
"""
CAPABILITY_EXISTS: Final = "MATCH (c:Capability {id: $id}) RETURN c.id AS id"
SIMILAR_LINKS: Final = (
    "MATCH (:Capability {id: $id})-[r:SIMILAR_TO]-(o:Capability) RETURN o.id AS other, r.score AS score"
)
VECTORS: Final = "UNWIND $ids AS id MATCH (c:Capability {id: id}) RETURN c.id AS id, c.embedding AS v"
HAS_VECTORS: Final = (
    "UNWIND $ids AS id OPTIONAL MATCH (c:Capability {id: id}) RETURN id, c.embedding IS NOT NULL AS has"
)
NEAREST: Final = """
UNWIND range(0, size($queries) - 1) AS i
CALL db.index.vector.queryNodes('capability_embedding', $fetch, $queries[i]) YIELD node, score
RETURN i, node.id AS id, score
"""
FIND_NODE: Final[dict[str, LiteralString]] = {
    MODEL: "MATCH (n:Model {id: $id}) RETURN elementId(n) AS eid",
    CAPABILITY: "MATCH (n:Capability {id: $id}) RETURN elementId(n) AS eid",
    SOURCE: "MATCH (n:Source {id: $id}) RETURN elementId(n) AS eid",
    BENCHMARK: "MATCH (n:Benchmark {id: $id}) RETURN elementId(n) AS eid",
}
# One hop of the neighbourhood walk; the depth is bounded by the number of hops taken.
EXPAND: Final = """
UNWIND $frontier AS eid
MATCH (a) WHERE elementId(a) = eid
MATCH (a)--(b)
WHERE NOT b:CapgraphMeta
RETURN DISTINCT elementId(b) AS eid, labels(b)[0] AS label, b.id AS id
"""
SUBGRAPH_NODES: Final = """
UNWIND $eids AS eid MATCH (n) WHERE elementId(n) = eid
RETURN eid, labels(n)[0] AS label, n {.*} AS props
"""
SUBGRAPH_EDGES: Final = """
UNWIND $eids AS eid MATCH (a) WHERE elementId(a) = eid
MATCH (a)-[r]->(b) WHERE elementId(b) IN $eids
RETURN eid AS a, elementId(b) AS b, type(r) AS type, r {.*} AS props
"""
COUNT_LABELS: Final = """
RETURN COUNT { (:Source) } AS sources, COUNT { (:Model) } AS models,
       COUNT { (:Capability) } AS capabilities, COUNT { (:Benchmark) } AS benchmarks
"""
# Built from the constant REL_TYPES (never from input): each COUNT is a count-store lookup.
COUNT_RELS: Final = "RETURN " + ", ".join(f"COUNT {{ ()-[:{t}]->() }} AS {t}" for t in REL_TYPES)
ALL_EXTRACTIONS: Final = "MATCH (s:Source) RETURN s.extraction_json AS extraction ORDER BY s.seq"
ALL_SIMILAR: Final = "MATCH (a:Capability)-[r:SIMILAR_TO]->(b:Capability) RETURN a.id AS a, b.id AS b, r.score AS score"

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_escape(term: str) -> str:
    """Escape Lucene query syntax so user text is matched literally: `a+b` -> `a\\+b`."""
    return _LUCENE_SPECIAL.sub(r"\\\1", term)


def fuzzy_query(name: str) -> str:
    """A Lucene query matching any word of `name` within edit distance 2 ("Alpha 2" -> `alpha~ OR 2~`).

    Words are lowercased so AND/OR/NOT in a name are never read as operators.
    """
    words = re.findall(r"\w+", name.lower())
    return " OR ".join(f"{lucene_escape(w)}~" for w in words)


# ------------------------------------------------------------------------------ derived properties
def _placeholder_model(model_id: str) -> dict[str, Any]:
    return {"name": model_id, "kind": "Model", "vendor": None, "family": None, "aliases": []}


def model_props(model_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Visible Model properties from the per-source facts (in source order), as `graph.merge` derives them."""
    view = model_view(facts) if facts else _placeholder_model(model_id)
    keys = sorted({lookup_key(n) for n in [model_id, view["name"], *view["aliases"]] if n})
    return {**view, "facts_json": json.dumps(facts), "lookup_keys": keys}


def capability_props(cap_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The first source's fields; `unique` and `vs_alternatives` from the first source that has them."""
    stated = list(facts.values())
    if not stated:
        view: dict[str, Any] = {
            "model_id": "",
            "name": cap_id,
            "description": "",
            "unique": None,
            "vs_alternatives": None,
        }
    else:
        view = {k: v for k, v in stated[0].items() if k != "id"}
        for field in ("unique", "vs_alternatives"):
            view[field] = next((f[field] for f in stated if f.get(field)), None)
    return {**view, "facts_json": json.dumps(facts)}


def benchmark_props(bench_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    stated = list(facts.values())
    return {"name": stated[0]["name"] if stated else bench_id, "facts_json": json.dumps(facts)}


DERIVE: Final[dict[str, Callable[[str, dict[str, dict[str, Any]]], dict[str, Any]]]] = {
    MODEL: model_props,
    CAPABILITY: capability_props,
    BENCHMARK: benchmark_props,
}


class _Mentions:
    """What one extraction states, as node facts and relationship rows (shared by upsert and removal)."""

    def __init__(self, ex: Extraction):
        self.facts: dict[str, dict[str, dict[str, Any]]] = {MODEL: {}, CAPABILITY: {}, BENCHMARK: {}}
        for m in ex.models:
            self.facts[MODEL][m.id] = m.model_dump(mode="json")
        for c in ex.capabilities:
            self.facts[CAPABILITY].setdefault(c.id, c.model_dump(mode="json"))
        for s in ex.scores:
            self.facts[BENCHMARK].setdefault(benchmark_id(s.benchmark), {"name": s.benchmark})
        self.rels: dict[str, list[Row]] = {
            "HAS_CAPABILITY": [{"a": c.model_id, "b": c.id} for c in ex.capabilities],
            "COMPARED_WITH": [dict(zip("ab", sorted((c.a, c.b)), strict=True)) for c in ex.comparisons],
            "CONTRASTED_WITH": [{"a": c.capability_id, "b": c.model_id} for c in ex.contrasts],
            "VARIANT_OF": [{"a": v.variant_id, "b": v.base_id} for v in ex.variants],
            "SCORED": [
                {
                    "a": s.model_id,
                    "b": benchmark_id(s.benchmark),
                    "key": f"{s.value}|{s.unit}",
                    "value": s.value,
                    "unit": s.unit,
                }
                for s in ex.scores
            ],
        }
        self.states: list[Row] = [
            {
                "b": c.model_id,
                "key": f"{c.attribute}|{c.value}",
                "attribute": c.attribute,
                "value": c.value,
                "number": c.number,
                "unit": c.unit,
            }
            for c in ex.claims
        ]
        # Every node the source mentions, including endpoints it names only in a relationship.
        self.ids: dict[str, set[str]] = {label: set(f) for label, f in self.facts.items()}
        for kind, rows in self.rels.items():
            a_label = CAPABILITY if kind == "CONTRASTED_WITH" else MODEL
            b_label = {"HAS_CAPABILITY": CAPABILITY, "SCORED": BENCHMARK}.get(kind, MODEL)
            for r in rows:
                self.ids[a_label].add(r["a"])
                self.ids[b_label].add(r["b"])
        self.ids[MODEL].update(r["b"] for r in self.states)


def _summary(ex: Extraction) -> SourceSummary:
    return SourceSummary(
        source=ex.source,
        models=len(ex.models),
        capabilities=len(ex.capabilities),
        claims=len(ex.claims),
        scores=len(ex.scores),
        warnings=list(ex.warnings),
    )


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in HIDDEN_PROPS}


def _model(props: dict[str, Any]) -> Model:
    return Model(
        id=props["id"],
        name=props.get("name") or props["id"],
        kind=props.get("kind") or "Model",
        vendor=props.get("vendor"),
        family=props.get("family"),
        aliases=list(props.get("aliases") or []),
    )


def _capability(props: dict[str, Any]) -> Capability:
    return Capability(**{f: props.get(f) for f in Capability.model_fields})


class Neo4jOptions(BaseModel):
    """Connection options `open_store` passes through (from the CAPGRAPH_NEO4J_* settings)."""

    model_config = ConfigDict(extra="forbid")

    user: str | None = "neo4j"
    password: str | None = None
    database: str | None = None
    connection_timeout: float = Field(5.0, gt=0, description="seconds to open a connection")
    max_retry_time: float = Field(5.0, ge=0, description="seconds a transaction is retried on transient errors")


class Neo4jStore:
    """GraphStore on Neo4j. Thread-safe (the driver pools connections; every call opens its own session)."""

    def __init__(self, uri: str, **options: object):
        """`options` as `Neo4jOptions` (user, password, database, timeouts); no password = auth disabled.

        Nothing connects here: the first call does, and a call after the server comes back reconnects.
        """
        opts = Neo4jOptions.model_validate(options)
        self.uri = uri
        self.database = opts.database
        auth = (opts.user or "neo4j", opts.password) if opts.password else None
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=opts.connection_timeout,
                max_transaction_retry_time=opts.max_retry_time,
                connection_acquisition_timeout=opts.connection_timeout * 2,
            )
        except (ValueError, DriverError) as exc:
            raise StoreUnavailable(f"Cannot use {uri} as a Neo4j store: {exc}") from exc
        self._schema_ready = False
        self._exclusive = threading.RLock()

    # ------------------------------------------------------------------------------ plumbing
    @property
    def driver(self) -> neo4j.Driver:
        return self._driver

    def session(self, access_mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=access_mode)

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Driver connection failures become StoreUnavailable; the next call reconnects."""
        try:
            yield
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc.message}") from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable ({exc}); is the server running?") from exc
        except ClientError as exc:
            if exc.code and exc.code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
                raise StoreUnavailable(f"Neo4j at {self.uri} has no database {self.database!r}.") from exc
            raise

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self.session() as session:
            for statement in SCHEMA:
                session.run(statement).consume()
        self._schema_ready = True

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self.guard():
            self._ensure_schema()
            with self.session(neo4j.READ_ACCESS) as session:
                return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self.guard():
            self._ensure_schema()
            with self.session() as session:
                return session.execute_write(work)

    def _rows(self, query: LiteralString, **params: Any) -> list[Row]:
        def work(tx: ManagedTransaction) -> list[Row]:
            return [r.data() for r in tx.run(query, params)]

        return self._read(work)

    def _run_auto(self, query: LiteralString, **params: Any) -> list[Row]:
        """A statement in its own auto-commit transaction (schema changes, CALL ... IN TRANSACTIONS)."""
        with self.guard(), self.session() as session:
            return [r.data() for r in session.run(query, params)]

    def await_indexes(self, seconds: int = 300) -> None:
        """Block until every index is online (after creating one; tests call it after writes)."""
        self._run_auto(AWAIT_INDEXES, seconds=seconds)

    def _vector_index(self) -> tuple[str, int] | None:
        rows = self._run_auto(VECTOR_INDEX_INFO)
        if not rows:
            return None
        return str(rows[0]["name"]), int(rows[0]["config"]["vector.dimensions"])

    def _drop_vector_indexes(self) -> None:
        for row in self._run_auto(VECTOR_INDEX_INFO):
            self._run_auto(DROP_INDEX, name=row["name"])

    def _ensure_vector_index(self, dim: int) -> int | None:
        """(Re)create the vector index for `dim`; returns the previous dimension (None if there was none).

        A schema change cannot share a transaction with data writes, so this runs just before the write.
        """
        with self.guard():
            self._ensure_schema()
        current = self._vector_index()
        if current != (VECTOR_INDEX, dim):
            self._drop_vector_indexes()
            self._run_auto(CREATE_VECTOR_INDEX, dim=dim)
            self.await_indexes()
        return current[1] if current else None

    def _restore_vector_index(self, previous: int | None, dim: int) -> None:
        if previous == dim:
            return
        with contextlib.suppress(StoreUnavailable, Neo4jError):
            self._drop_vector_indexes()
            if previous is not None:
                self._run_auto(CREATE_VECTOR_INDEX, dim=previous)

    def _meta(self) -> Row:
        rows = self._rows(READ_META)
        return dict(rows[0]["meta"]) if rows else {}

    # ------------------------------------------------------------------------------ writes
    def _check_vectors(self, batch: IngestBatch) -> int | None:
        """Validate the batch's vectors against the store before anything is written; returns their dimension."""
        meta = self._meta()
        stored = (meta["embedding_model"], meta["embedding_dim"]) if meta.get("embedding_model") else None
        if batch.embedding_model and stored and (batch.embedding_model, batch.embedding_dim) != stored:
            raise EmbeddingMismatch(
                f"The store holds {stored[0]} vectors ({stored[1]} dims) but the encoder "
                f"is {batch.embedding_model} ({batch.embedding_dim}); run `capgraph reembed`."
            )
        if not batch.vectors:
            return None
        dims = {len(v) for v in batch.vectors.values()}
        existing = self._rows(ANY_VECTOR)
        if len(dims) != 1 or (existing and dims != {existing[0]["dim"]}):
            have = existing[0]["dim"] if existing else "?"
            raise EmbeddingMismatch(
                f"Vectors of {sorted(dims)} dims do not fit the store's {have}; run `capgraph reembed`."
            )
        return dims.pop()

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
            return UpsertResult(source_id=sid, created=False, summary=_summary(self._extraction_of(known[0])))
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
        return UpsertResult(source_id=sid, created=True, summary=_summary(stamped))

    def remove_source(self, source_id: str) -> RemovalResult:
        def work(tx: ManagedTransaction) -> RemovalResult:
            row = tx.run(SOURCE_EXISTS, id=source_id).single()
            if row is None:
                raise NotFound(f"No source {source_id!r}.")
            mentions = _Mentions(self._extraction_of(row.data()))
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
        """Serializes ingests of this process (threads of one API server). Across processes each write
        is still one transaction, but two concurrent ingests may each miss the other's similarity links."""
        with self._exclusive:
            yield

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """A no-op here: each read is its own read transaction, so a block of reads may see an ingest
        that commits between two of them (the embedded store holds its lock for the whole block)."""
        yield

    # ------------------------------------------------------------------------------ sources
    @staticmethod
    def _extraction_of(row: Row) -> Extraction:
        return Extraction.model_validate_json(row["extraction"])

    def has_source(self, source_id: str) -> bool:
        return bool(self._rows(SOURCE_EXISTS, id=source_id))

    def list_sources(self) -> list[Source]:
        sources = [self._extraction_of(r).source for r in self._rows(LIST_SOURCES)]
        return sorted(sources, key=lambda s: (s.title, s.id))

    def _source_row(self, source_id: str) -> Row:
        rows = self._rows(SOURCE_EXISTS, id=source_id)
        if not rows:
            raise NotFound(f"No source {source_id!r}.")
        return rows[0]

    def source_summary(self, source_id: str) -> SourceSummary:
        return _summary(self._extraction_of(self._source_row(source_id)))

    def source_extraction(self, source_id: str) -> Extraction:
        return self._extraction_of(self._source_row(source_id))

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

        def work(tx: ManagedTransaction) -> tuple[list[Extraction], list[Similarity]]:
            extractions = [self._extraction_of(r.data()) for r in tx.run(ALL_EXTRACTIONS)]
            sims = [Similarity(**r.data()) for r in tx.run(ALL_SIMILAR)]
            return extractions, sims

        extractions, sims = self._read(work)
        return export_graph(build_graph(extractions, sims), fmt)

    def close(self) -> None:
        self._driver.close()


def _similarity_rows(similarities: Sequence[Similarity]) -> list[Row]:
    pairs: dict[tuple[str, str], float] = {}
    for s in similarities:
        a, b = sorted((s.a, s.b))
        pairs[(a, b)] = s.score
    return [{"a": a, "b": b, "score": score} for (a, b), score in sorted(pairs.items())]


def _display_names(rows: Sequence[Row]) -> dict[str, str]:
    """lookup key -> display name, for suggestions."""
    names: dict[str, str] = {}
    for r in rows:
        display = r.get("name") or r["id"]
        for n in [r["id"], display, *(r.get("aliases") or [])]:
            if n:
                names.setdefault(lookup_key(n), display)
    return names
