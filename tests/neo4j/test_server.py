"""The local Neo4j answers Bolt, is 5.26 Community, and serves cosine vector queries."""

from __future__ import annotations

import math
import os
import stat
from typing import Any

import pytest

from tests.neo4j.support import password_file

pytestmark = pytest.mark.neo4j

LABEL = "CapgraphServerTest"
INDEX = "capgraph_server_test_vec"


def _unit(v: list[float]) -> list[float]:
    n = math.sqrt(sum(x * x for x in v))
    return [x / n for x in v]


def test_return_1(neo4j_driver: Any) -> None:
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1


def test_version_is_5_26_community(neo4j_driver: Any) -> None:
    records, _, _ = neo4j_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition RETURN versions[0] AS v, edition"
    )
    assert records[0]["v"].startswith("5.26.")
    assert records[0]["edition"] == "community"


@pytest.fixture
def vector_index(neo4j_driver: Any) -> Any:
    q = neo4j_driver.execute_query
    q(f"MATCH (n:{LABEL}) DETACH DELETE n")
    q(f"DROP INDEX {INDEX} IF EXISTS")
    q(
        f"CREATE VECTOR INDEX {INDEX} FOR (n:{LABEL}) ON n.embedding "
        "OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}"
    )
    yield INDEX
    q(f"MATCH (n:{LABEL}) DETACH DELETE n")
    q(f"DROP INDEX {INDEX} IF EXISTS")


def test_vector_index_scores_are_half_shifted_cosine(neo4j_driver: Any, vector_index: str) -> None:
    base = [math.sin(i + 1.0) for i in range(384)]
    vectors = {
        "same": base,
        "orthogonal": [(-1.0) ** i * math.cos(i + 1.0) if i % 2 else 0.0 for i in range(384)],
        "opposite": [-x for x in base],
    }
    rows = [{"id": k, "embedding": _unit(v)} for k, v in vectors.items()]
    neo4j_driver.execute_query(
        f"UNWIND $rows AS r CREATE (n:{LABEL} {{id: r.id}}) "
        "WITH n, r CALL db.create.setNodeVectorProperty(n, 'embedding', r.embedding)",
        rows=rows,
    )
    neo4j_driver.execute_query("CALL db.awaitIndexes(300)")
    records, _, _ = neo4j_driver.execute_query(
        "CALL db.index.vector.queryNodes($index, 3, $v) YIELD node, score RETURN node.id AS id, score",
        index=vector_index,
        v=_unit(base),
    )
    scores = {r["id"]: r["score"] for r in records}
    assert [r["id"] for r in records] == ["same", "orthogonal", "opposite"]
    b = _unit(base)
    for key, vec in vectors.items():
        cos = sum(x * y for x, y in zip(b, _unit(vec), strict=True))
        # Neo4j reports cosine as (1 + cos) / 2 in [0, 1]; float32 storage costs ~1e-4
        assert scores[key] == pytest.approx((1 + cos) / 2, abs=2e-3)


def test_auth_is_required(neo4j_server: str) -> None:
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    for auth in (None, ("neo4j", "not-the-password")):
        with GraphDatabase.driver(neo4j_server, auth=auth, connection_timeout=3) as driver, pytest.raises(AuthError):
            driver.execute_query("RETURN 1")


def test_generated_password_is_private(neo4j_server: str) -> None:
    if os.environ.get("NEO4J_PASSWORD"):
        pytest.skip("NEO4J_PASSWORD is set: server.sh generated no password file")
    path = password_file()
    assert path.is_file(), f"server.sh should keep the generated password in {path}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_memory_hungry_query_is_refused_and_the_server_stays_up(neo4j_driver: Any) -> None:
    from neo4j.exceptions import Neo4jError

    with pytest.raises(Neo4jError) as refused:
        neo4j_driver.execute_query("UNWIND range(1, 20000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n")
    assert "memory" in str(refused.value).lower()
    # A big result that is streamed rather than held is bounded by the client (the API's row limit);
    # either way the server must survive it.
    try:
        neo4j_driver.execute_query("RETURN range(1, 5000000) AS r")
    except Neo4jError as exc:  # stopped by a configured bound: the memory cap, or the 30 s limit on a busy machine
        assert "memory" in str(exc).lower() or "TransactionTimedOut" in (exc.code or ""), exc
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS one")
    assert records[0]["one"] == 1
