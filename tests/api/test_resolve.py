"""POST /resolve through the real app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from capgraph.app import Services


def test_resolve_answers_like_the_service(client: TestClient, services: Services) -> None:
    body = {"intent": "open weights under 10B parameters", "k": 2, "alternatives": 2}
    response = client.post("/resolve", json=body)
    assert response.status_code == 200, response.text
    expected = services.queries.resolve(body["intent"], 2, 2).model_dump(mode="json")
    assert response.json() == expected and expected["results"]


def test_resolve_refuses_an_empty_intent_in_the_error_shape(client: TestClient) -> None:
    response = client.post("/resolve", json={"intent": "", "k": 0})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "InvalidRequest" and {tuple(f["loc"]) for f in body["fields"]} == {
        ("body", "intent"),
        ("body", "k"),
    }


def test_resolve_refuses_values_of_another_type_than_the_schema_says(client: TestClient) -> None:
    """Found by bench/fuzz_api.py: `"alternatives": false` was coerced to 0 and answered 200. JSON Schema's
    integer takes 2.0, so that one stays accepted."""
    for wrong in ({"alternatives": False}, {"k": "3"}, {"k": 2.5}):
        response = client.post("/resolve", json={"intent": "open weights", **wrong})
        assert response.status_code == 422, (wrong, response.text)
        assert response.json()["error"] == "InvalidRequest"
    assert client.post("/resolve", json={"intent": "open weights", "k": 2.0}).status_code == 200
