"""The OpenAPI document as clients (and schemathesis) need it: FastAPI's own, with its 422 schema replaced
by the shared `ErrorOut`, and links from the answers that name resources to the operations that read them
(so a client, or a stateful fuzzer, can follow `GET /models` to `GET /models/{model}`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

# (method, path, status) of the answer -> link name -> (method, path of the target, its parameters)
LINKS: dict[tuple[str, str, str], dict[str, tuple[str, str, dict[str, str]]]] = {
    ("post", "/sources", "201"): {
        "GetSource": ("get", "/sources/{source_id}", {"source_id": "$response.body#/source_id"}),
        "RemoveSource": ("delete", "/sources/{source_id}", {"source_id": "$response.body#/source_id"}),
    },
    ("get", "/sources", "200"): {
        "GetSource": ("get", "/sources/{source_id}", {"source_id": "$response.body#/sources/0/id"}),
    },
    ("get", "/models", "200"): {
        "GetModel": ("get", "/models/{model}", {"model": "$response.body#/models/0/id"}),
        "Capabilities": ("get", "/models/{model}/capabilities", {"model": "$response.body#/models/0/id"}),
        "Alternatives": ("get", "/models/{model}/alternatives", {"model": "$response.body#/models/0/id"}),
        "Neighborhood": ("get", "/graph/neighborhood/{node_id}", {"node_id": "$response.body#/models/0/id"}),
        "Overlap": ("get", "/overlap", {"a": "$response.body#/models/0/id", "b": "$response.body#/models/1/id"}),
        "Compare": ("get", "/compare", {"a": "$response.body#/models/0/id", "b": "$response.body#/models/1/id"}),
    },
    ("get", "/models/{model}/capabilities", "200"): {
        "Similar": (
            "get",
            "/capabilities/{capability_id}/similar",
            {"capability_id": "$response.body#/capabilities/0/id"},
        ),
    },
}


def install(app: FastAPI) -> None:
    """Replace `app.openapi` with the adjusted document (built once, then cached on the app like FastAPI's)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            adjust(build())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def adjust(spec: dict[str, Any]) -> dict[str, Any]:
    """In place: every 422 declared as `ErrorOut` (FastAPI's `HTTPValidationError` dropped), links added."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for operation in (op for item in paths.values() for op in item.values()):
        invalid = operation.get("responses", {}).get("422")
        if invalid is not None:
            invalid["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
            if invalid.get("description") == "Validation Error":
                invalid["description"] = "an invalid parameter or body (each named in `fields`)"
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for (method, path, status), links in LINKS.items():
        response = paths.get(path, {}).get(method, {}).get("responses", {}).get(status)
        if response is None:
            continue
        response["links"] = {
            name: {"operationId": paths[target_path][target_method]["operationId"], "parameters": params}
            for name, (target_method, target_path, params) in links.items()
            if target_method in paths.get(target_path, {})
        }
    return spec
