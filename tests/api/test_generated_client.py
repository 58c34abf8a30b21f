"""The OpenAPI document generates a good client: openapi-python-client builds one (in a temporary folder,
never committed) and every operation is called through it against a running server, errors included."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from capgraph.app import Services
from tests.api.conftest import API_KEY, small_page
from tests.api.live import serving
from tests.neo4j.support import _in_ci

GENERATOR = os.environ.get("OPENAPI_PYTHON_CLIENT") or shutil.which("openapi-python-client")
PACKAGE = "capgraph_generated_client"
READABLE = {  # every operation id, as a generated client names its functions
    "ingest_source", "list_sources", "get_source", "remove_source", "list_models", "model_capabilities",
    "alternatives", "get_model", "overlap", "compare", "search", "benchmarks", "leaderboard",
    "similar_capabilities", "neighborhood", "stats", "health", "cypher", "browser_style", "browser_guide",
    "list_classes", "get_class", "resolve", "list_ranks", "get_model_rank", "give_feedback", "list_feedback",
    "reset_feedback",
}  # fmt: skip


@pytest.fixture
def generated(tmp_path: Path, fresh_services: Services) -> Iterator[tuple[ModuleType, str, dict[str, Any]]]:
    """(the generated package, the server's URL, the OpenAPI document) for a server on a private store."""
    if GENERATOR is None:
        if _in_ci():
            pytest.fail("openapi-python-client is not installed (a dev dependency)", pytrace=False)
        pytest.skip("openapi-python-client is not installed (pip install openapi-python-client)")
    settings = fresh_services.settings.model_copy(update={"api_key": SecretStr(API_KEY)})
    with serving(fresh_services, settings) as base:
        spec = httpx.get(f"{base}/openapi.json").json()
        (tmp_path / "openapi.json").write_text(json.dumps(spec), encoding="utf-8")
        command = [GENERATOR, "generate", "--path", str(tmp_path / "openapi.json"), "--meta", "none"]
        made = subprocess.run(
            [*command, "--output-path", str(tmp_path / PACKAGE)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert made.returncode == 0, made.stdout + made.stderr
        problems = [line for line in made.stdout.splitlines() if line.startswith(("Unable", "Cannot", "Failure"))]
        assert problems == [], made.stdout  # every schema and response made it into the client
        sys.path.insert(0, str(tmp_path))
        try:
            yield importlib.import_module(PACKAGE), base, spec
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
                del sys.modules[name]


def test_every_operation_through_the_generated_client(generated: tuple[ModuleType, str, dict[str, Any]]) -> None:
    _, base, spec = generated
    operations = {
        op["operationId"]: op.get("tags", ["default"])[0] for item in spec["paths"].values() for op in item.values()
    }
    assert set(operations) == READABLE, "a new operation needs a readable id and a call below"
    client_mod = importlib.import_module(f"{PACKAGE}.client")
    models = importlib.import_module(f"{PACKAGE}.models")
    reader = client_mod.Client(base_url=base, raise_on_unexpected_status=True)
    writer = client_mod.AuthenticatedClient(
        base_url=base, token=API_KEY, prefix="", auth_header_name="X-API-Key", raise_on_unexpected_status=True
    )

    def call(op: str, client: Any = reader, **kwargs: Any) -> Any:
        tag = operations[op].replace(" ", "_")
        module = importlib.import_module(f"{PACKAGE}.api.{tag}.{op}")
        response = module.sync_detailed(client=client, **kwargs)
        assert response.parsed is not None, f"{op}: {response.status_code} {response.content[:200]!r}"
        return response

    def ok(op: str, expected: str, status: int = 200, **kwargs: Any) -> Any:
        response = call(op, **kwargs)
        assert response.status_code == status and type(response.parsed).__name__ == expected, (op, response)
        return response.parsed

    def error(op: str, status: int, name: str, **kwargs: Any) -> Any:
        response = call(op, **kwargs)
        assert response.status_code == status and isinstance(response.parsed, models.ErrorOut), (op, response)
        assert response.parsed.error == name, (op, response.parsed)
        return response.parsed

    listed = ok("list_models", "ModelList", limit=5)
    assert listed.total >= 5
    assert ok("get_model", "ModelDetail", model="GPT-4o").model.id == "gpt-4o"
    caps = ok("model_capabilities", "ModelCapabilities", model="gpt-4o").capabilities
    assert ok("alternatives", "AlternativesAnswer", model="o4-mini", k=3).alternatives
    ok("overlap", "Overlap", a="o4-mini", b="GPT-4o")
    ok("compare", "Comparison", a="o4-mini", b="Llama 4")
    assert ok("search", "SearchAnswer", q="long multi-turn conversation", k=3).hits
    assert ok("resolve", "ResolveAnswer", body=models.ResolveIn(intent="open weights under 10B parameters")).results
    names = ok("benchmarks", "BenchmarkList", limit=2).benchmarks
    ok("leaderboard", "Leaderboard", name=names[0].name)
    ok("similar_capabilities", "SimilarOut", capability_id=caps[0].id)
    ok("neighborhood", "Subgraph", node_id="gpt-4o")
    ok("stats", "StoreStats")
    ok("health", "HealthOut")
    classes = ok("list_classes", "ClassList", limit=3).classes
    ok("get_class", "ClassView", class_id=classes[0].id)
    assert ok("list_ranks", "RankList", limit=3).ranks
    assert ok("get_model_rank", "Rank", model="GPT-4o").score is not None
    feedback = models.FeedbackIn(models=["gpt-4o"], useful=True, query="generated client")
    ok("give_feedback", "Feedback", status=201, client=writer, body=feedback)
    assert ok("list_feedback", "list", model="gpt-4o")
    ok("reset_feedback", "FeedbackReset", client=writer)
    for op in ("browser_style", "browser_guide"):  # text bodies: the client hands back the raw text
        module = importlib.import_module(f"{PACKAGE}.api.neo4j_browser.{op}")
        raw = module.sync_detailed(client=reader)
        assert raw.status_code == 200 and raw.content
    page = models.IngestSourceJsonSourceIn(text=small_page("gen"), title="generated client")
    stored = ok("ingest_source", "SourceIngested", status=201, client=writer, body=page)
    assert ok("get_source", "SourceDetail", source_id=stored.source_id).source.title == "generated client"
    assert ok("list_sources", "SourceList").total >= 6
    ok("remove_source", "RemovalOut", client=writer, source_id=stored.source_id)

    # the errors each parse as the one error shape
    unknown = error("get_model", 404, "ModelNotFound", model="o4-minni")
    assert "o4-mini" in unknown.suggestions
    invalid = error("search", 422, "InvalidRequest", q="", k=0)
    assert {tuple(f.loc) for f in invalid.fields} == {("query", "q"), ("query", "k")}
    error("cypher", 400, "Unsupported", client=writer, body=models.CypherParams(query="RETURN 1"))
    error("remove_source", 401, "Unauthorized", source_id="0" * 64)
    error("get_source", 404, "NotFound", source_id="0" * 64)
    error("resolve", 422, "InvalidRequest", body=models.ResolveIn(intent="x", k=0))
    error("give_feedback", 401, "Unauthorized", body=feedback)


def test_operation_ids_read_well(client: Any) -> None:
    """Route names, unique across the app, never FastAPI's `alternatives_models__model__alternatives_get`."""
    spec = client.get("/openapi.json").json()
    ids = [op["operationId"] for item in spec["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids)) and set(ids) == READABLE
    texts = [
        content
        for item in spec["paths"].values()
        for op in item.values()
        for body in [op.get("requestBody", {}), *op["responses"].values()]
        for media, content in body.get("content", {}).items()
        if media.startswith("text/")
    ]
    assert texts and all(c["schema"]["type"] == "string" for c in texts)
