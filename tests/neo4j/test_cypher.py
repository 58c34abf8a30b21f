"""Read-only Cypher (graph.neo4j_store.cypher.run_read_only) against the real server: writes of every kind are
refused before anything runs and change nothing; reads return rows, limited and timed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import neo4j
import pytest
from neo4j.exceptions import ClientError

from capgraph.errors import QueryRefused, QueryTimedOut
from capgraph.graph.cypher import CypherResult
from capgraph.graph.neo4j_store import Neo4jStore
from capgraph.graph.neo4j_store import cypher as cypher_module
from capgraph.graph.neo4j_store.cypher import run_read_only
from capgraph.graph.neo4j_store.cypher_policy import MAX_K
from tests.graph.test_store_contract import batch, page
from tests.neo4j.support import fresh_neo4j_store

pytestmark = pytest.mark.neo4j

WRITES = {
    "create": "CREATE (n:Evil) RETURN n",
    "merge": "MERGE (n:Evil {id: 1})",
    "set": "MATCH (m:Model) SET m.name = 'pwned'",
    "delete": "MATCH (c:Capability) DELETE c",
    "detach_delete": "MATCH (n) DETACH DELETE n",
    "remove": "MATCH (m:Model) REMOVE m.name",
    "load_csv": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load_csv_url": "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:Evil {v: row[0]})",
    "write_procedure": "CALL db.createLabel('Evil')",
    "create_property_procedure": "CALL db.createProperty('evil')",
    "create_index": "CREATE INDEX evil IF NOT EXISTS FOR (n:Model) ON (n.kind)",
    "create_vector_index": (
        "CREATE VECTOR INDEX evil_vec IF NOT EXISTS FOR (n:Evil) ON n.e "
        "OPTIONS {indexConfig: {`vector.dimensions`: 3, `vector.similarity_function`: 'cosine'}}"
    ),
    "create_constraint": "CREATE CONSTRAINT evil IF NOT EXISTS FOR (n:Evil) REQUIRE n.id IS UNIQUE",
    "drop_index": "DROP INDEX model_name_text",
    "create_database": "CREATE DATABASE evil",
    "stop_database": "STOP DATABASE neo4j",
    "create_user": "CREATE USER evil SET PASSWORD 'password123'",
    "terminate_transactions": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "write_in_call_subquery": "MATCH (m:Model) CALL (m) { SET m.name = 'pwned' } RETURN m.id",
    "write_in_old_call_subquery": "CALL { CREATE (n:Evil) RETURN n } RETURN n",
    "write_after_with": "MATCH (m:Model) WITH m LIMIT 1 CREATE (m)-[:EVIL]->(:Evil) RETURN m",
    "write_in_foreach": "FOREACH (x IN [1, 2] | CREATE (:Evil {x: x}))",
    "in_transactions": "UNWIND [1] AS x CALL (x) { CREATE (:Evil) } IN TRANSACTIONS RETURN x",
    "second_statement": "MATCH (n) RETURN count(n); CREATE (:Evil)",
    "commented": "/* read */ MATCH (m:Model) // harmless\nSET m.name = 'pwned'",
    "profile": "PROFILE CREATE (:Evil)",
    "explain_prefix": "EXPLAIN CREATE (:Evil)",
}

# Reads the planner allows that leak other sessions' work or settings, change server state, or would
# exhaust the heap: refused by the allowlists and the bound on k.
LEAKS = {
    "show_transactions": "SHOW TRANSACTIONS",
    "show_transactions_yield": "SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery",
    "show_settings": "SHOW SETTINGS",
    "show_settings_filtered": "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'dbms' RETURN name, value",
    "stats_collect": "CALL db.stats.collect('QUERIES')",
    "stats_retrieve": "CALL db.stats.retrieve('GRAPH COUNTS')",
    "stats_in_subquery": (
        "MATCH (m:Model) CALL { CALL db.stats.collect('TOKENS') YIELD success RETURN success } RETURN m"
    ),
    "backticked_stats": "CALL `db`.`stats`.`collect`('QUERIES')",
    "huge_k_literal": "CALL db.index.vector.queryNodes('capability_embedding', 100000000, $v) YIELD node RETURN node",
    "huge_k_hex": "CALL db.index.vector.queryNodes('capability_embedding', 0x5F5E100, $v) YIELD node RETURN node",
    "huge_k_param": "CALL db.index.vector.queryNodes('capability_embedding', $k, $v) YIELD node RETURN node",
    "k_expression": "CALL db.index.vector.queryNodes('capability_embedding', 10 * 10000000, $v) YIELD node RETURN node",
    "k_from_data": (
        "MATCH (m:Model) WITH count(m) * 100000000 AS k "
        "CALL db.index.vector.queryNodes('capability_embedding', k, $v) YIELD node RETURN node"
    ),
    "k_hidden_in_comment": (
        "CALL db.index.vector.queryNodes('capability_embedding', /* 5, */ 100000000, $v) YIELD node RETURN node"
    ),
    "implicit_huge_k": "CALL db.index.vector.queryNodes",
}
# 8e9 rows to look at: runs into any time limit, without a range() (which is bounded)
SLOW = "UNWIND $xs AS a UNWIND $xs AS b UNWIND $xs AS c WITH a WHERE a + b + c = -1 RETURN count(a)"
XS = list(range(2000))
# Expressions the server does not count against the transaction memory limit: each would end the JVM.
HEAP_KILLERS = {
    "big_comprehension": "RETURN [x IN range(1, 100000000) | toString(x)] AS xs",
    "nested_ranges": "RETURN [x IN range(1, 1000) | [y IN range(1, 1000000) | toString(y)]] AS xs",
    "computed_bound": "RETURN [x IN range(1, 10000 * 10000) | x] AS xs",
    "bound_from_data": "MATCH (m:Model) WITH count(m) AS n RETURN range(1, n * 100000000) AS xs",
    "big_param_bound": "RETURN size([x IN range(1, $n) | toString(x)]) AS n",
}
LEAK_PARAMS = {
    "n": 100_000_000,
    "v": [0.1] * 8,
    "k": 100_000_000,
    "indexName": "capability_embedding",
    "numberOfNearestNeighbours": 100_000_000,
    "query": [0.1] * 8,
}


@pytest.fixture(scope="module")
def neo_store(neo4j_server: str) -> Iterator[Neo4jStore]:
    store = fresh_neo4j_store(neo4j_server)
    store.upsert(batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])))
    store.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=["video"], b="delta")))
    yield store
    store.close()


def snapshot(store: Neo4jStore) -> dict[str, Any]:
    """Everything a refused query could have touched: data, label/property tokens, schema, users."""
    with store.session() as session:
        one = session.run(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
            "RETURN count(DISTINCT n) AS nodes, count(r) AS rels, collect(DISTINCT n.name) AS names"
        ).single(strict=True)
        labels = sorted(r["label"] for r in session.run("CALL db.labels() YIELD label RETURN label"))
        keys = sorted(r["k"] for r in session.run("CALL db.propertyKeys() YIELD propertyKey AS k RETURN k"))
        indexes = sorted(r["name"] for r in session.run("SHOW INDEXES YIELD name RETURN name"))
        constraints = sorted(r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name"))
    with store.driver.session(database="system") as system:
        dbs = sorted((r["name"], r["currentStatus"]) for r in system.run("SHOW DATABASES YIELD name, currentStatus"))
        users = sorted(r["user"] for r in system.run("SHOW USERS YIELD user RETURN user"))
    return {
        "nodes": one["nodes"],
        "rels": one["rels"],
        "names": sorted(one["names"]),
        "labels": labels,
        "keys": keys,
        "indexes": indexes,
        "constraints": constraints,
        "dbs": dbs,
        "users": users,
    }


@pytest.mark.parametrize("query", list(WRITES.values()), ids=list(WRITES))
def test_writes_are_refused_and_change_nothing(neo_store: Neo4jStore, query: str) -> None:
    before = snapshot(neo_store)
    assert before["nodes"] > 0
    with pytest.raises(QueryRefused):
        run_read_only(neo_store, query)
    assert snapshot(neo_store) == before


@pytest.mark.parametrize("query", list(LEAKS.values()), ids=list(LEAKS))
def test_leaks_and_unbounded_searches_are_refused(neo_store: Neo4jStore, query: str) -> None:
    before = snapshot(neo_store)
    with pytest.raises(QueryRefused):
        run_read_only(neo_store, query, LEAK_PARAMS)
    assert snapshot(neo_store) == before
    assert run_read_only(neo_store, "RETURN 1 AS one").rows == [[1]]


@pytest.mark.parametrize("query", list(HEAP_KILLERS.values()), ids=list(HEAP_KILLERS))
def test_unbounded_ranges_are_refused_and_the_server_stays_up(neo_store: Neo4jStore, query: str) -> None:
    with pytest.raises(QueryRefused, match="range"):
        run_read_only(neo_store, query, LEAK_PARAMS)
    assert run_read_only(neo_store, "RETURN size(range(1, $n)) AS n", {"n": 1000}).rows == [[1000]]


def test_allowed_procedures_and_bounded_vector_search(neo_store: Neo4jStore) -> None:
    assert ["Model"] in run_read_only(neo_store, "CALL db.labels()").rows
    assert ["HAS_CAPABILITY"] in run_read_only(neo_store, "CALL db.relationshipTypes()").rows
    assert run_read_only(neo_store, "CALL db.schema.visualization()").rows
    assert run_read_only(neo_store, "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey").rows
    assert run_read_only(neo_store, "SHOW CONSTRAINTS YIELD name RETURN name").rows
    dim = len(neo_store.vectors(neo_store.all_capability_ids()[:1])[0])
    search = "CALL db.index.vector.queryNodes('capability_embedding', {k}, $v) YIELD node RETURN node.id AS id"
    v = [0.1] * dim
    literal = run_read_only(neo_store, search.format(k=2), {"v": v})
    assert len(literal.rows) == 2
    assert len(run_read_only(neo_store, search.format(k="$k"), {"v": v, "k": MAX_K}).rows) >= 2
    assert len(run_read_only(neo_store, search.format(k="$`k`"), {"v": v, "k": 3}).rows) == 3
    with pytest.raises(QueryRefused, match="above the limit"):
        run_read_only(neo_store, search.format(k=MAX_K + 1), {"v": v})


def test_a_caller_cannot_ask_for_more_than_the_cap(neo_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cypher_module, "MAX_TIMEOUT_S", 1.0)  # the real cap is 30 s; 1 s keeps the test short
    started = time.perf_counter()
    with pytest.raises(QueryTimedOut, match=r"1 s limit"):
        run_read_only(neo_store, SLOW, {"xs": XS}, timeout_s=300)
    assert time.perf_counter() - started < 10


def test_a_query_past_the_memory_limit_is_refused_at_once(neo_store: Neo4jStore) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryRefused, match="more memory"):
        run_read_only(neo_store, "UNWIND $xs AS x UNWIND $xs AS y RETURN collect(x * y) AS c", {"xs": XS})
    assert time.perf_counter() - started < 5  # not retried as a transient error
    assert run_read_only(neo_store, "RETURN 1 AS one").rows == [[1]]


def test_the_read_transaction_is_a_second_line_of_defence(neo_store: Neo4jStore) -> None:
    before = snapshot(neo_store)
    with neo_store.session(neo4j.READ_ACCESS) as session, pytest.raises(ClientError):
        session.execute_read(lambda tx: tx.run("CREATE (:Evil)").consume())
    assert snapshot(neo_store) == before


def test_a_read_returns_rows(neo_store: Neo4jStore) -> None:
    result = run_read_only(
        neo_store,
        "MATCH (m:Model)-[:HAS_CAPABILITY]->(c) WHERE m.id = $id RETURN m, c.name AS cap ORDER BY cap",
        {"id": "alpha-1"},
    )
    assert isinstance(result, CypherResult)
    assert result.columns == ["m", "cap"] and not result.truncated
    assert [row[1] for row in result.rows] == ["chat", "code"]
    node = result.rows[0][0]
    assert node["_labels"] == ["Model"] and node["name"] == "Alpha 1"
    assert "facts_json" not in node and "embedding" not in node
    paths = run_read_only(neo_store, "MATCH p = (:Model {id: 'alpha-1'})-[:COMPARED_WITH]-() RETURN p")
    assert {r["_type"] for row in paths.rows for r in row[0]["relationships"]} == {"COMPARED_WITH"}


def test_read_procedures_and_show_are_allowed(neo_store: Neo4jStore) -> None:
    hits = run_read_only(
        neo_store,
        "CALL db.index.fulltext.queryNodes('model_name_text', 'alpha') YIELD node RETURN node.id AS id",
    )
    assert ["alpha-1"] in hits.rows
    assert run_read_only(neo_store, "SHOW INDEXES YIELD name RETURN name").rows


def test_row_limit_truncates(neo_store: Neo4jStore) -> None:
    result = run_read_only(neo_store, "UNWIND range(1, 50) AS x RETURN x", row_limit=7)
    assert result.rows == [[x] for x in range(1, 8)] and result.truncated
    exact = run_read_only(neo_store, "UNWIND range(1, 7) AS x RETURN x", row_limit=7)
    assert len(exact.rows) == 7 and not exact.truncated


def test_a_long_query_times_out_clearly(neo_store: Neo4jStore) -> None:
    with pytest.raises(QueryTimedOut, match=r"1 s limit"):
        run_read_only(neo_store, SLOW, {"xs": XS}, timeout_s=1)
    assert run_read_only(neo_store, "RETURN 1 AS one").rows == [[1]]  # the store is still usable


def test_invalid_cypher_is_refused_with_the_reason(neo_store: Neo4jStore) -> None:
    with pytest.raises(QueryRefused, match="shortest path"):  # a statement the server fails, not a 500
        run_read_only(neo_store, "MATCH (a), (b) MATCH p = shortestPath((a)-[*]-(b)) RETURN count(p) AS n")
    with pytest.raises(QueryRefused, match="valid Cypher"):
        run_read_only(neo_store, "MATCH (n RETURN n")
    with pytest.raises(QueryRefused, match="empty"):
        run_read_only(neo_store, "  ;")
