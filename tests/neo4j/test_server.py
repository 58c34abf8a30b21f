"""The local Neo4j answers Bolt, is 5.26 Community, and serves cosine vector queries."""

from __future__ import annotations

import math
from typing import Any

import pytest

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
