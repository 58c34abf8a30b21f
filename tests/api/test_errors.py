"""Every error the API maps, through the real app: status, body shape, and no traceback leaking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from capgraph import errors as e
from capgraph.api.app import create_app
from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.graph.neo4j_store import Neo4jStore
from tests.api.conftest import API_KEY, BASE_URL, keyed


def test_unknown_model_is_404_with_suggestions(client: TestClient) -> None:
    for url in ("/models/o4", "/models/o4/capabilities", "/models/o4/alternatives"):
        r = client.get(url)
        assert r.status_code == 404, url
        body = r.json()
        assert body["error"] == "ModelNotFound" and "o4-mini" in body["suggestions"]
    r = client.get("/overlap", params={"a": "gpt-4o", "b": "llama 3.2 2b"})
    assert r.status_code == 404 and "Llama 3.2 1B" in r.json()["suggestions"]
    assert client.get("/compare", params={"a": "nothing-like-it", "b": "gpt-4o"}).status_code == 404
    assert client.get("/graph/neighborhood/o4").status_code == 404
    slashed = client.get("/models/openai/o4")  # an alias may hold a slash: still a model lookup
    assert slashed.status_code == 404 and slashed.json()["error"] == "ModelNotFound"


def test_unknown_ids_are_404(client: TestClient) -> None:
    for url in ("/sources/deadbeef", "/capabilities/nope:0/similar"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert r.json()["error"] == "NotFound" and "suggestions" not in r.json()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/models?limit=0", "limit"),
        ("/models?limit=501", "limit"),
        ("/models?offset=-1", "offset"),
        ("/models?offset=x", "offset"),
        ("/models/o4-mini/alternatives?k=0", "k"),
        ("/models/o4-mini/alternatives?k=101", "k"),
        ("/search?k=5", "q"),
        ("/search?q=", "q"),
        ("/search?q=x&k=abc", "k"),
        ("/overlap?a=gpt-4o", "b"),
        ("/compare?b=gpt-4o&a=", "a"),
        ("/graph/neighborhood/o4-mini?depth=4", "depth"),
        ("/capabilities/x/similar?k=-2", "k"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(client: TestClient, url: str, field: str) -> None:
    r = client.get(url)
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "InvalidRequest" and field in body["detail"]
    assert [f["loc"][-1] for f in body["fields"]] == [field]


def test_unexpected_errors_are_500_without_traceback(services: Services) -> None:
    app = create_app(services=services)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals at /home/x/file.py line 3")

    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500
    assert r.json() == {"error": "InternalError", "detail": "An unexpected error occurred; it has been logged."}
    assert "secret" not in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (e.ModelNotFound("x", ["y"]), 404),
        (e.NotFound("no such thing"), 404),
        (e.IngestError("the text is empty"), 422),
        (e.EmbeddingMismatch("other model"), 409),
        (e.StoreUnavailable("neo4j is down"), 503),
        (e.EncoderUnavailable("no model folder"), 503),
        (e.QueryRefused("writes are not allowed"), 403),
        (e.CapgraphError("bad request"), 400),
    ],
)
def test_domain_error_mapping(services: Services, exc: e.CapgraphError, status: int) -> None:
    """The table in api/errors.py, for the errors no endpoint raises yet (QueryRefused: the Cypher endpoint)."""
    app = create_app(services=services)

    @app.get("/raise")
    def raise_it() -> None:
        raise exc

    with TestClient(app, base_url=BASE_URL) as c:
        r = c.get("/raise")
    assert r.status_code == status
    assert r.json()["error"] == type(exc).__name__ and r.json()["detail"] == str(exc)
    assert ("suggestions" in r.json()) == isinstance(exc, e.ModelNotFound)


CLOSED_PORT_URL = "neo4j://127.0.0.1:1"


@pytest.fixture
def down_client(encoder: Encoder) -> Iterator[TestClient]:
    # The real Neo4j store against a port nothing listens on (no retries, so each request fails at once).
    down = Neo4jStore(CLOSED_PORT_URL, max_retry_time=0)
    settings = Settings(store=CLOSED_PORT_URL, api_key=SecretStr(API_KEY))
    services = Services(settings, store=down, encoder=encoder)
    with TestClient(create_app(services=services), base_url=BASE_URL) as c:
        yield c


def test_store_unreachable_is_503(down_client: TestClient) -> None:
    r = down_client.get("/health")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "unavailable" and body["store"]["reachable"] is False
    assert body["store"]["backend"] == "neo4j" and "not reachable" in body["store"]["detail"]
    assert body["model"]["loaded"] is True
    for url in ("/stats", "/models", "/models/gpt-4o", "/sources"):
        r = down_client.get(url)
        assert r.status_code == 503, url
        assert r.json()["error"] == "StoreUnavailable" and r.headers["retry-after"] == "5"


def test_model_unavailable_is_degraded_not_down(seeded_folder: Path, tmp_path: Path) -> None:
    empty = tmp_path / "model"  # named like the bundled model's folder, so only loading it fails
    empty.mkdir()
    services = Services(keyed(seeded_folder), encoder=Encoder(empty))
    with TestClient(create_app(services=services), base_url=BASE_URL) as c:
        health = c.get("/health")
        assert health.status_code == 200
        assert health.json()["status"] == "degraded" and health.json()["model"]["loaded"] is False
        assert "No sentence-transformers model" in health.json()["model"]["detail"]
        r = c.get("/search", params={"q": "image generation"})
        assert r.status_code == 503 and r.json()["error"] == "EncoderUnavailable"
        assert c.get("/models/o4-mini").status_code == 200  # reads that need no model still work


def test_embedding_mismatch_is_409(seeded_folder: Path, tmp_path: Path) -> None:
    """The store's vectors come from all-MiniLM-L6-v2; an encoder configured with another model refuses."""
    other = tmp_path / "other-model"
    other.mkdir()
    services = Services(keyed(seeded_folder), encoder=Encoder(other))
    app: FastAPI = create_app(services=services)
    with TestClient(app, base_url=BASE_URL) as c:
        r = c.get("/search", params={"q": "image generation"})
        assert r.status_code == 409
        assert r.json()["error"] == "EmbeddingMismatch" and "reembed" in r.json()["detail"]


# ------------------------------------------------------------------------------------------ one shape
def _shape(r: Any) -> dict[str, object]:
    body = r.json()
    assert isinstance(body, dict) and isinstance(body["error"], str) and isinstance(body["detail"], str), body
    assert set(body) <= {"error", "detail", "suggestions", "fields"}, body
    return body


@pytest.mark.parametrize(
    "body",
    [b'\xbc\xff{"text":1}', b'{"text": "\xff"}', b'{"query": "RETURN 1", "params": {"\xbc": 1}}', b"\xff"],
)
@pytest.mark.parametrize("url", ["/sources", "/cypher"])
def test_json_body_that_is_not_utf8_is_422(locked: TestClient, url: str, body: bytes) -> None:
    r = locked.post(url, content=body, headers={"Content-Type": "application/json", "X-API-Key": API_KEY})
    assert r.status_code == 422, r.text
    assert _shape(r)["error"] == "InvalidRequest"
    assert r.json()["fields"][0]["loc"][0] == "body" and r.json()["fields"][0]["type"] == "json_invalid"


def test_every_layer_answers_errors_in_one_shape(locked: TestClient) -> None:
    key = {"X-API-Key": API_KEY}
    preflight = {"Access-Control-Request-Method": "GET"}
    cases = [
        (locked.get("/no/such/path"), 404, "NotFound"),
        (locked.put("/sources"), 405, "MethodNotAllowed"),
        (locked.get("/models", params={"limit": 0}), 422, "InvalidRequest"),
        (locked.post("/cypher", json={"query": ""}, headers=key), 422, "InvalidRequest"),
        (locked.post("/cypher", content=b"{", headers={**key, "Content-Type": "application/json"}), 422, None),
        (locked.post("/cypher", json={"query": "RETURN 1"}, headers=key), 400, "Unsupported"),
        (locked.post("/sources", content=b"x"), 401, "Unauthorized"),
        (locked.post("/sources", content=b"x" * (5 * 1024 * 1024 + 1), headers=key), 413, "BodyTooLarge"),
        (locked.get("/stats", headers={"Host": "evil.example"}), 400, "HostNotAllowed"),
        (locked.post("/sources", content=b"x", headers={**key, "Origin": "http://evil.example"}), 403, None),
        (locked.options("/sources", headers={"Origin": "http://evil.example", **preflight}), 400, "CorsRefused"),
    ]
    for r, status, error in cases:
        assert r.status_code == status, (r.request.method, r.request.url, r.text)
        body = _shape(r)
        assert error is None or body["error"] == error, body
    assert "POST" in locked.put("/sources").headers["allow"]  # the headers of the error are kept


def test_openapi_declares_every_error_with_the_shape(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorOut"]["properties"]) == {"error", "detail", "suggestions", "fields"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            responses = op["responses"]
            assert {"400", "500"} <= set(responses), (method, path)  # the Host check; anything unforeseen
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in responses, (method, path)
            if method in ("post", "delete"):
                assert "403" in responses, (method, path)  # the cross-origin refusal
            if (
                op.get("security")
                or method == "delete"
                or (method, path) in {("post", "/sources"), ("post", "/cypher")}
            ):
                assert op.get("security") and "401" in responses, (method, path)  # writes, and Cypher, need the key
            if method == "post":
                assert "413" in responses, (method, path)
            for status, declared in responses.items():
                if int(status) < 400 or (path, status) == ("/health", "503"):
                    continue
                schema = declared["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
    ids = {op["operationId"]: (m, p) for p, item in spec["paths"].items() for m, op in item.items()}
    links = spec["paths"]["/models"]["get"]["responses"]["200"]["links"]
    assert ids[links["GetModel"]["operationId"]] == ("get", "/models/{model}")  # followable by clients and fuzzers
    created = spec["paths"]["/sources"]["post"]["responses"]["201"]["links"]
    assert ids[created["RemoveSource"]["operationId"]] == ("delete", "/sources/{source_id}")
    cypher = spec["paths"]["/cypher"]["post"]["responses"]
    assert "Cypher needs Neo4j" in cypher["400"]["description"] and "504" in cypher
