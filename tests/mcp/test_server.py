"""The MCP server through the SDK's own client: in process, over stdio and over streamable HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx
import pytest
from mcp import Client, StdioServerParameters

from capgraph.app import Services
from capgraph.errors import ModelNotFound
from capgraph.mcp.server import build_server
from tests.conftest import seed_paths

T = TypeVar("T")
READ_TOOLS = {
    *("search", "resolve", "alternatives", "overlap", "compare", "model", "capability_class", "rank"),
    *("leaderboard", "benchmarks"),
}
CLI = ["-c", "from capgraph.api.cli import main; main()"]


def _run(flow: Callable[[Client], Awaitable[T]], target: Any) -> T:
    async def main() -> T:
        async with Client(target) as client:
            return await flow(client)

    return anyio.run(main)


def test_tools_have_schemas_and_writes_are_closed_by_default(seeded_services: Services) -> None:
    async def flow(client: Client) -> list[Any]:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in _run(flow, build_server(seeded_services))}
    assert set(tools) == READ_TOOLS
    for tool in tools.values():
        assert tool.description and tool.input_schema["type"] == "object"
        assert tool.output_schema is not None, f"{tool.name} has no typed output"
    assert tools["alternatives"].input_schema["properties"]["k"]["maximum"] == 50


def test_read_tools_answer_like_the_services(seeded_services: Services) -> None:
    benchmark = seeded_services.queries.benchmarks(0, 1)[0][0][0]

    async def flow(client: Client) -> dict[str, Any]:
        out = {}
        for name, args in [
            ("alternatives", {"model": "o4-mini", "k": 3}),
            ("overlap", {"a": "o4-mini", "b": "GPT-4o"}),
            ("compare", {"a": "o4-mini", "b": "Llama 4"}),
            ("search", {"need": "keeps context across a long multi-turn conversation", "k": 3}),
            ("resolve", {"intent": "keeps context across a long multi-turn conversation", "k": 2}),
            ("model", {"name": "GPT-4o"}),
            ("capability_class", {"name": "conversation state"}),
            ("rank", {"model": "GPT-4o"}),
            ("leaderboard", {"benchmark": benchmark, "k": 3}),
            ("benchmarks", {}),
        ]:
            result = await client.call_tool(name, args)
            assert not result.is_error, result.content
            out[name] = result.structured_content
        return out

    answers = _run(flow, build_server(seeded_services))
    expected = seeded_services.queries.alternatives("o4-mini", 3).model_dump(mode="json")
    assert [a["model"]["id"] for a in answers["alternatives"]["alternatives"]] == [
        a["model"]["id"] for a in expected["alternatives"]
    ]
    assert answers["overlap"]["a"]["id"] == "o4-mini" and answers["overlap"]["b"]["id"] == "gpt-4o"
    assert answers["compare"]["verdict"]
    assert answers["rank"]["ranks"][0] == seeded_services.queries.rank("GPT-4o").model_dump(mode="json")
    assert answers["search"]["hits"]
    resolved = seeded_services.queries.resolve("keeps context across a long multi-turn conversation", 2)
    assert answers["resolve"] == resolved.model_dump(mode="json")
    assert answers["model"]["model"]["id"] == "gpt-4o" and answers["model"]["capabilities"]
    assert {m["model_id"] for m in answers["capability_class"]["members"]} == {"gpt-4o", "o4-mini"}
    assert answers["leaderboard"] == seeded_services.queries.leaderboard(benchmark, 3).model_dump(mode="json")
    assert benchmark in answers["benchmarks"]["benchmarks"]


def test_errors_are_tool_errors_with_the_cli_message(seeded_services: Services) -> None:
    with pytest.raises(ModelNotFound) as raised:
        seeded_services.queries.alternatives("o4-minni")

    async def flow(client: Client) -> list[Any]:
        return [
            await client.call_tool("alternatives", {"model": "o4-minni"}),
            await client.call_tool("search", {"need": "x", "k": 0}),
            await client.call_tool("no-such-tool", {}),
        ]

    unknown_model, bad_k, no_tool = _run(flow, build_server(seeded_services))
    assert unknown_model.is_error and str(raised.value) in unknown_model.content[0].text
    assert "Traceback" not in unknown_model.content[0].text
    assert bad_k.is_error and "greater than or equal to 1" in bad_k.content[0].text
    assert no_tool.is_error


def test_model_profile_resource(seeded_services: Services) -> None:
    async def flow(client: Client) -> str:
        result = await client.read_resource("capgraph://models/o4-mini")
        return str(result.contents[0].text)  # type: ignore[union-attr]

    profile = json.loads(_run(flow, build_server(seeded_services)))
    assert profile["model"]["id"] == "o4-mini" and profile["capabilities"]


def test_ingest_text_only_when_writes_are_open(seeded_services: Services, tmp_path: Path) -> None:
    page = seed_paths()[0].read_text(encoding="utf-8")
    changed = page.replace("Llama 4", "Llama 4 Mcp-Edition", 1)

    async def flow(client: Client) -> tuple[set[str], Any, Any]:
        names = {t.name for t in (await client.list_tools()).tools}
        stored = await client.call_tool("ingest_text", {"text": changed, "title": "via MCP"})
        refused = await client.call_tool("ingest_text", {"text": " \n\t "})
        said = await client.call_tool("feedback", {"models": ["GPT-4o"], "useful": True, "query": "via MCP"})
        assert not said.is_error, said.content
        return names, stored, refused

    names, stored, refused = _run(flow, build_server(seeded_services, allow_writes=True))
    assert names == READ_TOOLS | {"ingest_text", "feedback"}
    assert not stored.is_error and stored.structured_content["created"] is True
    assert stored.structured_content["models"] >= 2
    assert refused.is_error and "Traceback" not in refused.content[0].text
    assert [f.query for f in seeded_services.feedback.list("gpt-4o")] == ["via MCP"]


def _env(store: Path) -> dict[str, str]:
    return {**os.environ, "CAPGRAPH_STORE": str(store), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def test_stdio_transport(seeded_copy: Path) -> None:
    params = StdioServerParameters(command=sys.executable, args=[*CLI, "mcp"], env=_env(seeded_copy))

    async def flow(client: Client) -> tuple[set[str], Any]:
        names = {t.name for t in (await client.list_tools()).tools}
        return names, await client.call_tool("alternatives", {"model": "Llama 4", "k": 2})

    names, result = _run(flow, params)
    assert names == READ_TOOLS
    assert not result.is_error and result.structured_content["model"]["id"] == "llama-4"


def test_resolve_over_stdio_matches_the_service(seeded_copy: Path, seeded_services: Services) -> None:
    params = StdioServerParameters(command=sys.executable, args=[*CLI, "mcp"], env=_env(seeded_copy))
    intent = "open weights model that keeps context across a long conversation"

    async def flow(client: Client) -> tuple[Any, Any]:
        good = await client.call_tool("resolve", {"intent": intent, "k": 2, "alternatives": 2})
        return good, await client.call_tool("resolve", {"intent": "", "k": 2})

    result, refused = _run(flow, params)
    expected = seeded_services.queries.resolve(intent, 2, 2).model_dump(mode="json")
    assert not result.is_error and result.structured_content == expected
    assert refused.is_error and "Traceback" not in refused.content[0].text


@contextlib.contextmanager
def _serving(
    store: Path, host: str = "127.0.0.1", *, args: tuple[str, ...] = (), env: dict[str, str] | None = None
) -> Iterator[str]:
    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, *CLI, "mcp", "--transport", "http", "--host", host, "--port", str(port), *args],
        env={**_env(store), **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    break
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            time.sleep(0.2)
        else:
            pytest.fail("the MCP HTTP server did not start within 60 s")
        yield f"http://{host}:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def http_server(seeded_copy: Path) -> Iterator[str]:
    with _serving(seeded_copy) as url:
        yield url


def test_http_transport_refuses_foreign_hosts_on_any_bind(seeded_copy: Path) -> None:
    """The API's Host allowlist holds for MCP over HTTP too, also on an address the SDK would leave open."""
    initialize = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    with _serving(seeded_copy, host="127.0.0.2") as url:
        foreign = httpx.post(url, json=initialize, headers={**headers, "Host": "evil.example"})
        assert foreign.status_code == 421
        page = httpx.post(
            url, json=initialize, headers={**headers, "Host": "localhost", "Origin": "http://evil.example"}
        )
        assert page.status_code == 403
        local = httpx.post(url, json=initialize, headers={**headers, "Host": "localhost:8001"})
        assert local.status_code not in (403, 421)


def test_streamable_http_transport(http_server: str) -> None:
    async def flow(client: Client) -> tuple[set[str], Any]:
        names = {t.name for t in (await client.list_tools()).tools}
        return names, await client.call_tool("overlap", {"a": "o4-mini", "b": "GPT-4o"})

    names, result = _run(flow, http_server)
    assert names == READ_TOOLS
    assert not result.is_error and result.structured_content["b"]["id"] == "gpt-4o"


def test_resolve_over_streamable_http(http_server: str) -> None:
    async def flow(client: Client) -> Any:
        return await client.call_tool("resolve", {"intent": "open weights under 10B parameters", "k": 2})

    result = _run(flow, http_server)
    assert not result.is_error
    answer = result.structured_content
    assert answer["constraints"] and answer["results"]
    for r in answer["results"]:
        assert r["why"].startswith(r["model"]["name"]) and all(f["status"] == "pass" for f in r["facts"][:2])
