"""The HTTP API on the Neo4j store: read-only Cypher, and a clear 503 while Neo4j is unreachable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from capgraph.api.app import create_app
from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.graph.neo4j_store import Neo4jStore
from tests.api.conftest import API_KEY, BASE_URL
from tests.graph.test_store_contract import batch, page
from tests.neo4j.support import fresh_neo4j_store, neo4j_auth

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo4j_client(neo4j_server: str) -> Iterator[TestClient]:
    store = fresh_neo4j_store(neo4j_server)
    store.upsert(batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])))
    settings = Settings(store="neo4j://in-fixture", api_key=SecretStr(API_KEY))
    app = create_app(settings, services=Services(settings, store=store))
    with TestClient(app, base_url=BASE_URL, headers={"X-API-Key": API_KEY}) as client:
        yield client
    store.close()


def node_count(client: TestClient) -> int:
    response = client.post("/cypher", json={"query": "MATCH (n) RETURN count(n) AS n"})
    assert response.status_code == 200, response.text
    return int(response.json()["rows"][0][0])


def test_cypher_reads_with_params_and_row_limit(neo4j_client: TestClient) -> None:
    response = neo4j_client.post(
        "/cypher",
        json={
            "query": "MATCH (m:Model)-[:HAS_CAPABILITY]->(c) WHERE m.id = $id RETURN c.id AS id ORDER BY id",
            "params": {"id": "alpha-1"},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["id"] and [r[0] for r in body["rows"]] == ["alpha-1:chat", "alpha-1:code"]
    limited = neo4j_client.post("/cypher", json={"query": "MATCH (n) RETURN n.id", "row_limit": 2}).json()
    assert len(limited["rows"]) == 2 and limited["truncated"] is True


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Model {id: 'evil'})",
        "MATCH (m:Model) SET m.name = 'x'",
        "MATCH (n) DETACH DELETE n",
        "MERGE (:Benchmark {id: 'x'})",
        "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
        "CREATE INDEX evil FOR (n:Model) ON (n.name)",
    ],
)
def test_cypher_refuses_writes_with_403_and_changes_nothing(neo4j_client: TestClient, query: str) -> None:
    before = node_count(neo4j_client)
    response = neo4j_client.post("/cypher", json={"query": query})
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "QueryRefused"
    assert node_count(neo4j_client) == before


def test_cypher_on_the_embedded_store_is_a_clear_400(tmp_path: object) -> None:
    settings = Settings(store=str(tmp_path), api_key=SecretStr(API_KEY))
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        response = client.post("/cypher", json={"query": "RETURN 1"}, headers={"X-API-Key": API_KEY})
        spec = client.get("/openapi.json").json()
    assert response.status_code == 400
    assert response.json()["error"] == "Unsupported" and "Neo4j" in response.json()["detail"]
    assert "400" in spec["paths"]["/cypher"]["post"]["responses"]


def test_unreachable_neo4j_is_503_not_a_crash() -> None:
    auth = neo4j_auth()
    down = Neo4jStore("neo4j://127.0.0.1:9", password=auth[1] if auth else None)  # nothing listens on port 9
    settings = Settings(store="neo4j://127.0.0.1:9", api_key=SecretStr(API_KEY))
    with TestClient(create_app(settings, services=Services(settings, store=down)), base_url=BASE_URL) as client:
        assert client.get("/health").status_code == 503
        response = client.get("/models")
        assert response.status_code == 503
        assert response.json()["error"] == "StoreUnavailable"
        assert client.get("/models/o4-mini/alternatives").status_code == 503
    down.close()
