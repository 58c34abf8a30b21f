"""Every list answer is one bounded page: a stated max, the total and the next offset (HTTP, CLI, MCP).

A page can state 10,000 capabilities and a class can gather one capability of every model, so
`GET /models/{m}`, `GET /classes/{id}`, `GET /classes` and `GET /benchmarks` page like `/sources` does.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import anyio
from fastapi.testclient import TestClient
from mcp import Client

from capgraph.app import Services
from capgraph.graph.paging import MAX_PAGE
from capgraph.mcp.server import build_server
from tests.api.test_cli import capgraph


def _walk(client: TestClient, path: str, items: str, limit: int, **params: Any) -> tuple[list[Any], list[Any]]:
    """Every page of `path` by `next_offset`; the items and each page's body."""
    found: list[Any] = []
    bodies: list[Any] = []
    offset: int | None = 0
    while offset is not None:
        body = client.get(path, params={**params, "offset": offset, "limit": limit}).json()
        assert len(body[items]) <= limit
        found += body[items]
        bodies.append(body)
        offset = body["next_offset"]
    return found, bodies


def test_model_detail_pages_its_capabilities(client: TestClient) -> None:
    whole = client.get("/models/o4-mini/capabilities").json()
    detail = client.get("/models/o4-mini", params={"limit": 2}).json()
    assert detail["capabilities_total"] == whole["total"] > 2
    assert detail["capabilities"] == whole["capabilities"][:2] and detail["next_offset"] == 2
    paged, bodies = _walk(client, "/models/o4-mini", "capabilities", 2)
    assert paged == whole["capabilities"] and bodies[-1]["next_offset"] is None
    assert bodies[0]["claims"] == bodies[-1]["claims"]  # claims and scores come whole with each page
    assert client.get("/models/o4-mini", params={"limit": MAX_PAGE + 1}).status_code == 422
    assert client.get("/models/o4-mini", params={"offset": -1}).status_code == 422


def test_class_pages_its_members(client: TestClient) -> None:
    big = client.get("/classes", params={"limit": 1}).json()["classes"][0]
    assert big["size"] >= 2
    first = client.get(f"/classes/{big['id']}", params={"limit": 1}).json()
    assert len(first["members"]) == 1 and first["size"] == big["size"] and first["next_offset"] == 1
    members, _ = _walk(client, f"/classes/{big['id']}", "members", 1)
    whole = client.get(f"/classes/{big['id']}").json()
    assert members == whole["members"] and len(members) == big["size"] and whole["next_offset"] is None
    assert client.get(f"/classes/{big['id']}", params={"limit": MAX_PAGE + 1}).status_code == 422


def test_classes_page_by_offset_and_bound_members(client: TestClient) -> None:
    two = client.get("/classes", params={"limit": 2}).json()
    second = client.get("/classes", params={"limit": 1, "offset": 1}).json()
    assert second["classes"] == two["classes"][1:2] and second["offset"] == 1
    assert two["next_offset"] == 2 and second["total"] == two["total"] > 2
    classes, _ = _walk(client, "/classes", "classes", 40)
    every = client.get("/classes", params={"limit": MAX_PAGE}).json()["classes"]
    assert [c["id"] for c in classes] == [c["id"] for c in every]
    one_member = client.get("/classes", params={"limit": 5, "members": 1}).json()["classes"]
    assert all(len(c["members"]) == 1 for c in one_member) and one_member[0]["size"] >= 2
    assert one_member[0]["next_offset"] == 1  # GET /classes/{id} pages on
    assert client.get("/classes", params={"members": 101}).status_code == 422


def test_benchmarks_are_a_page_of_names_with_spellings(client: TestClient) -> None:
    first = client.get("/benchmarks", params={"limit": 2}).json()
    assert first["total"] > 2 and len(first["benchmarks"]) == 2 and first["next_offset"] == 2
    names, _ = _walk(client, "/benchmarks", "benchmarks", 3)
    assert len(names) == first["total"] and all(b["spellings"] for b in names)
    assert [b["name"] for b in names] == sorted(b["name"] for b in names)
    board = client.get(f"/benchmarks/{names[0]['spellings'][0]}").json()
    assert board["rows"]
    assert client.get("/benchmarks", params={"limit": MAX_PAGE + 1}).status_code == 422


def test_lists_state_the_next_offset(client: TestClient) -> None:
    lists = (("/models", "models"), ("/sources", "sources"), ("/models/gpt-4o/capabilities", "capabilities"))
    for path, items in lists:
        body = client.get(path, params={"limit": 1}).json()
        assert body["next_offset"] == 1 and len(body[items]) == 1, path
        last = client.get(path, params={"limit": 1, "offset": body["total"] - 1}).json()
        assert last["next_offset"] is None, path


def test_cli_pages(seeded_copy: Path) -> None:
    def run(*args: str) -> Any:
        done = capgraph(*args, "--json", store=seeded_copy)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    benchmarks = run("benchmarks", "--limit", "2")
    assert len(benchmarks["benchmarks"]) == 2 and benchmarks["next_offset"] == 2 and benchmarks["total"] > 2
    classes = run("classes", "--limit", "2")
    assert run("classes", "--offset", "1", "--limit", "1")["classes"] == classes["classes"][1:]
    member = run("class", classes["classes"][0]["id"], "--limit", "1")
    assert len(member["members"]) == 1 and member["next_offset"] == 1
    model = run("model", "o4-mini", "--limit", "1")
    assert len(model["capabilities"]) == 1 and model["capabilities_total"] > 1 and model["next_offset"] == 1
    sources = run("sources", "--limit", "2", "--offset", "1")
    assert len(sources["sources"]) == 2 and sources["total"] == 5 and sources["next_offset"] == 3
    table = capgraph("sources", "--limit", "2", store=seeded_copy)
    assert "3 more: --offset 2" in table.stderr
    assert capgraph("model", "o4-mini", "--limit", str(MAX_PAGE + 1), store=seeded_copy).returncode == 2


def test_mcp_tools_page(seeded_services: Services) -> None:
    async def flow() -> dict[str, Any]:
        async with Client(build_server(seeded_services)) as client:
            calls = {
                "model": {"name": "o4-mini", "limit": 1, "offset": 1},
                "capability_class": {"name": "conversation state", "limit": 1},
                "benchmarks": {"limit": 2},
                "too_many": {"name": "o4-mini", "limit": MAX_PAGE + 1},
            }
            out = {}
            for key, args in calls.items():
                result = await client.call_tool("model" if key == "too_many" else key, args)
                out[key] = result.content[0].text if result.is_error else result.structured_content  # type: ignore[union-attr]
            return out

    answers = anyio.run(flow)
    caps = seeded_services.queries.model_facts("o4-mini", 0, MAX_PAGE).capabilities
    assert [c["id"] for c in answers["model"]["capabilities"]] == [caps[1].id]
    assert answers["model"]["capabilities_total"] == len(caps) and answers["model"]["next_offset"] == 2
    cls = answers["capability_class"]
    assert len(cls["members"]) == 1 and cls["size"] == 2 and cls["next_offset"] == 1
    assert len(answers["benchmarks"]["benchmarks"]) == 2 and answers["benchmarks"]["next_offset"] == 2
    assert "less than or equal to 1000" in answers["too_many"]


def test_the_rank_is_read_outside_the_store_read(seeded_services: Services, monkeypatch: Any) -> None:
    """The ranker takes the answers' lock, which a search holds while it reads the store: ranking inside
    `reading()` deadlocked 40 concurrent clients (bench/concurrency.py). A read from another thread must get
    through while `model_facts` ranks."""
    queries = seeded_services.queries
    rank_brief = queries.rank_brief
    blocked: list[bool] = []

    def ranking(model_id: str) -> Any:
        reader = threading.Thread(target=seeded_services.store.stats, daemon=True)
        reader.start()
        reader.join(timeout=5)
        blocked.append(reader.is_alive())
        return rank_brief(model_id)

    monkeypatch.setattr(queries, "rank_brief", ranking)
    assert queries.model_facts("o4-mini").capgraph_rank is not None
    assert blocked == [False]
