"""Every Cypher statement of the Neo4j store, as named constants with $parameters (never built from input)."""

from __future__ import annotations

import re
from typing import Any, Final, LiteralString, TypeVar

from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    MODEL,
    SOURCE,
)

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
    "INSTANCE_OF",
    "SCORED",
    "SIMILAR_TO",
    "STATES",
    "VARIANT_OF",
)
# Node properties that are storage, not facts to show (NodeView, neighborhood); `label` is the Browser's
# short caption (graph/labels.py), derived from `name`.
HIDDEN_PROPS: Final = frozenset(
    {"facts_json", "embedding", "text", "extraction_json", "seq", "lookup_keys", "key", "label"}
)
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
    "CREATE CONSTRAINT capability_class_id IF NOT EXISTS FOR (n:CapabilityClass) REQUIRE n.id IS UNIQUE",
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
# Taken by `exclusive()` in a transaction held open for the block: a write lock on one node (unique by
# the capgraph_meta_id constraint) that every capgraph process serialises on.
TAKE_WRITE_LOCK: Final = "MERGE (l:CapgraphMeta {id: 'write-lock'}) SET l.taken_at = timestamp()"
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
# Capability classes: a capability joins one class (leaving any other); a class with no member goes.
MERGE_CLASSES: Final = (
    "UNWIND $rows AS row MERGE (k:CapabilityClass {id: row.id}) "
    "SET k.name = row.name, k.label = row.label, k.description = row.description"
)
MERGE_INSTANCE_OF: Final = """
UNWIND $rows AS row
MATCH (c:Capability {id: row.capability}) MATCH (k:CapabilityClass {id: row.class})
MERGE (c)-[:INSTANCE_OF]->(k)
WITH c, k
MATCH (c)-[old:INSTANCE_OF]->(other:CapabilityClass) WHERE other <> k
DELETE old
"""
# Sizes of every class (a removal or a move can shrink any of them), empty ones deleted.
REFRESH_CLASSES: Final = """
MATCH (k:CapabilityClass)
WITH k, COUNT { (:Capability)-[:INSTANCE_OF]->(k) } AS n
SET k.size = n
WITH k WHERE k.size = 0
DETACH DELETE k
"""
CLASSES: Final = """
MATCH (k:CapabilityClass) WHERE $ids IS NULL OR k.id IN $ids
OPTIONAL MATCH (c:Capability)-[:INSTANCE_OF]->(k)
WITH k, c ORDER BY c.id
RETURN k.id AS id, k.name AS name, coalesce(k.description, '') AS description, collect(c.id) AS members
"""
CLASS_MEMBERSHIPS: Final = (
    "UNWIND $ids AS id MATCH (c:Capability {id: id})-[:INSTANCE_OF]->(k:CapabilityClass) "
    "RETURN c.id AS capability, k.id AS class"
)
CLEAR_ALL: Final = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"

LIST_SOURCES: Final = "MATCH (s:Source) RETURN s.extraction_json AS extraction ORDER BY s.seq"
STORED_TEXTS: Final = "MATCH (s:Source) RETURN s.text AS text, s.title AS title, s.url AS url ORDER BY s.id"
SOURCE_TEXT: Final = "MATCH (s:Source {id: $id}) RETURN s.text AS text"
MODEL_BY_ID: Final = "MATCH (m:Model {id: $id}) RETURN m {.*} AS m"
MODELS_BY_ID: Final = "UNWIND $ids AS id MATCH (m:Model {id: id}) RETURN m {.*} AS m"
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


# ------------------------------------------------------------------ usage (times matched, feedback)
# Their own labels, outside the sourced graph: stats, neighbourhoods and exports never see them.
USAGE_SCHEMA: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT capgraph_matches_id IF NOT EXISTS FOR (n:CapgraphMatches) REQUIRE n.model_id IS UNIQUE",
    "CREATE CONSTRAINT capgraph_feedback_id IF NOT EXISTS FOR (n:CapgraphFeedback) REQUIRE n.id IS UNIQUE",
)
# MERGE under the uniqueness constraint + SET n = n + x: concurrent writers add up, none is lost.
COUNT_MATCHES: Final = """
UNWIND $rows AS row
MERGE (c:CapgraphMatches {model_id: row.model_id})
ON CREATE SET c.n = row.n
ON MATCH SET c.n = c.n + row.n
"""
MATCH_COUNTS: Final = "MATCH (c:CapgraphMatches) RETURN c.model_id AS model_id, c.n AS n ORDER BY model_id"
ADD_FEEDBACK: Final = """
MERGE (f:CapgraphFeedback {id: $id})
ON CREATE SET f.at = $at, f.useful = $useful, f.query = $query, f.model_ids = $model_ids
"""
LIST_FEEDBACK: Final = """
MATCH (f:CapgraphFeedback) WHERE $model_id IS NULL OR $model_id IN f.model_ids
RETURN f.id AS id, f.at AS at, f.useful AS useful, f.query AS query, f.model_ids AS model_ids
ORDER BY at, id
"""
RESET_ALL_FEEDBACK: Final = "MATCH (f:CapgraphFeedback) DELETE f RETURN count(*) AS n"
RESET_MODEL_FEEDBACK: Final = """
MATCH (f:CapgraphFeedback) WHERE $model_id IN f.model_ids
SET f.model_ids = [m IN f.model_ids WHERE m <> $model_id]
WITH f, size(f.model_ids) = 0 AS empty
CALL (f, empty) { WITH f, empty WHERE empty DELETE f }
RETURN count(*) AS n
"""
