"""The OpenAPI document as clients (and schemathesis) need it: FastAPI's own, with its 422 schema replaced
by the shared `ErrorOut`, and links from the answers that name resources to the operations that read them
(so a client, or a stateful fuzzer, can follow `GET /models` to `GET /models/{model}`)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

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


def operation_id(route: APIRoute) -> str:
    """The route's name (its function's, unless given): `search`, `alternatives`, `list_models`.

    Names are unique across the app (tests/api/test_openapi.py checks it), so no path or method is appended.
    """
    return route.name


def install(app: FastAPI) -> None:
    """Replace `app.openapi` with the adjusted document (built once, then cached on the app like FastAPI's)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            adjust(build())
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def adjust(spec: dict[str, Any]) -> dict[str, Any]:
    """In place: every 422 declared as `ErrorOut` (FastAPI's `HTTPValidationError` dropped), every text body
    described as a string, links added."""
    paths: dict[str, dict[str, Any]] = spec.get("paths", {})
    for operation in (op for item in paths.values() for op in item.values()):
        bodies = [operation.get("requestBody", {}), *operation.get("responses", {}).values()]
        for media, content in ((m, c) for body in bodies for m, c in body.get("content", {}).items()):
            if media.startswith("text/") and "schema" not in content:
                content["schema"] = {"type": "string"}
        invalid = operation.get("responses", {}).get("422")
        if invalid is not None:
            invalid["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
            if invalid.get("description") == "Validation Error":
                invalid["description"] = "an invalid parameter or body (each named in `fields`)"
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    _rename_qualified(spec, schemas)
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


def _rename_qualified(spec: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Two models of one class name get module-qualified keys (`capgraph__api__schemas__CapabilityMatch`) but
    the same title, which generated clients turn into one class twice. Each gets its module's name in front
    (`SchemasCapabilityMatch`, `AlternativesCapabilityMatch`) as key and title, and every $ref follows."""
    renamed: dict[str, str] = {}
    for key in [k for k in schemas if "__" in k]:
        *modules, cls = key.split("__")
        name = modules[-1].title().replace("_", "") + cls
        while name in schemas or name in renamed.values():
            name += "_"
        renamed[key] = name
        schemas[name] = {**schemas.pop(key), "title": name}
    if renamed:
        _retarget(spec, {f"#/components/schemas/{old}": f"#/components/schemas/{new}" for old, new in renamed.items()})


def _retarget(node: Any, refs: dict[str, str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in refs:
            node["$ref"] = refs[ref]
        for value in node.values():
            _retarget(value, refs)
    elif isinstance(node, list):
        for value in node:
            _retarget(value, refs)
