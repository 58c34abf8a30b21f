"""`capgraph mcp` through a second, independent client: raw JSON-RPC 2.0 written here, no MCP SDK.

The SDK's own client (tests/mcp/test_server.py) shares its message types and framing with the server, so a
bug on both sides could cancel out. Here each message is a dict we write from the specification: over
stdio, one JSON object per line on stdin/stdout (every stdout line must be JSON: a stray print breaks
real agents); over streamable HTTP, POSTs to /mcp answered as JSON or as server-sent events, with the
session id the server hands out.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx

from capgraph.app import Services
from capgraph.app.keys import WRITE_KEY_NEEDED
from tests.mcp.test_server import CLI, READ_TOOLS, _env, _serving

PROTOCOL = "2025-06-18"
NEED = "keeps context across a long multi-turn conversation"
INITIALIZE = {
    "protocolVersion": PROTOCOL,
    "capabilities": {},
    "clientInfo": {"name": "capgraph-raw-test", "version": "0"},
}


def _message(number: int, method: str, params: dict[str, Any] | None) -> dict[str, Any]:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": number, "method": method}
    if params is not None:
        message["params"] = params
    return message


class StdioSession:
    """The server as a child process; requests by id, replies matched by id."""

    def __init__(self, store: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, *CLI, "mcp"],
            env=_env(store),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stray: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.next_id = 0

    def _read(self) -> None:
        assert self.proc.stdout
        for line in self.proc.stdout:
            self.lines.put(line)

    def send(self, message: dict[str, Any] | str) -> None:
        assert self.proc.stdin
        self.proc.stdin.write((message if isinstance(message, str) else json.dumps(message)) + "\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        self.send(_message(self.next_id, method, params))
        while True:
            line = self.lines.get(timeout=120)
            try:
                message = json.loads(line)
            except ValueError:
                self.stray.append(line)
                continue
            if message.get("id") == self.next_id:
                assert message["jsonrpc"] == "2.0"
                return dict(message)

    def close(self) -> int:
        assert self.proc.stdin
        self.proc.stdin.close()  # end of input: the server exits by itself
        return self.proc.wait(timeout=60)


def _check_session(request: Any, notify: Any, services: Services) -> None:
    """The same conversation over either transport: handshake, tools/list, search, resolve, errors."""
    hello = request("initialize", INITIALIZE)["result"]
    assert hello["serverInfo"]["name"] == "capgraph" and "tools" in hello["capabilities"]
    assert hello["protocolVersion"] == PROTOCOL  # a version the server supports is echoed back
    notify("notifications/initialized")

    tools = {t["name"]: t for t in request("tools/list")["result"]["tools"]}
    assert set(tools) == READ_TOOLS
    assert tools["search"]["inputSchema"]["required"] == ["need"] and "outputSchema" in tools["search"]

    found = request("tools/call", {"name": "search", "arguments": {"need": NEED, "k": 3}})["result"]
    expected = services.queries.search(NEED, 3)
    assert not found["isError"]
    assert [h["model"]["id"] for h in found["structuredContent"]["hits"]] == [h.model.id for h in expected.hits]
    assert json.loads(found["content"][0]["text"]) == found["structuredContent"]  # text mirrors the structure

    resolved = request("tools/call", {"name": "resolve", "arguments": {"intent": NEED, "k": 2, "alternatives": 2}})
    assert resolved["result"]["structuredContent"] == services.queries.resolve(NEED, 2, 2).model_dump(mode="json")

    empty = request("tools/call", {"name": "resolve", "arguments": {"intent": ""}})["result"]
    assert empty["isError"] and "Traceback" not in empty["content"][0]["text"]
    unknown = request("tools/call", {"name": "alternatives", "arguments": {"model": "o4-minni"}})["result"]
    assert unknown["isError"] and "o4-mini" in unknown["content"][0]["text"]
    assert request("no/such/method")["error"]["code"] == -32601  # JSON-RPC "method not found"


def test_raw_json_rpc_over_stdio(seeded_copy: Path, seeded_services: Services) -> None:
    session = StdioSession(seeded_copy)
    try:
        _check_session(
            session.request, lambda method: session.send({"jsonrpc": "2.0", "method": method}), seeded_services
        )
        session.send("this is not JSON")  # a broken line is answered or dropped; the session goes on
        assert session.request("ping")["result"] == {}
    finally:
        status = session.close()
    assert session.stray == [], "stdout carried something that is not a JSON-RPC message"
    assert status == 0


class HttpSession:
    """Streamable HTTP by hand: POSTs answered as JSON or server-sent events, the session id carried on."""

    def __init__(self, http: httpx.Client, url: str) -> None:
        self.http, self.url = http, url
        self.headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
        self.ids = iter(range(1, 1000))

    def post(self, message: dict[str, Any], extra: dict[str, str] | None = None) -> httpx.Response:
        response = self.http.post(self.url, json=message, headers={**self.headers, **(extra or {})})
        assert response.status_code in (200, 202), response.text
        return response

    def request(
        self, method: str, params: dict[str, Any] | None = None, extra: dict[str, str] | None = None
    ) -> dict[str, Any]:
        number = next(self.ids)
        response = self.post(_message(number, method, params), extra)
        if "mcp-session-id" in response.headers:
            self.headers["Mcp-Session-Id"] = response.headers["mcp-session-id"]
        if response.headers["content-type"].startswith("text/event-stream"):
            events = [json.loads(line[5:]) for line in response.text.splitlines() if line.startswith("data:")]
        else:
            events = [response.json()]
        return dict(next(e for e in events if e.get("id") == number))

    def notify(self, method: str) -> None:
        self.headers["Mcp-Protocol-Version"] = PROTOCOL
        assert self.post({"jsonrpc": "2.0", "method": method}).status_code == 202


def test_raw_json_rpc_over_streamable_http(seeded_copy: Path, seeded_services: Services) -> None:
    with _serving(seeded_copy) as url, httpx.Client(timeout=120) as http:
        session = HttpSession(http, url)
        _check_session(session.request, session.notify, seeded_services)
        headers = session.headers
        assert headers.get("Mcp-Session-Id")
        gone = http.delete(url, headers=headers)  # the client ends its session
        assert gone.status_code in (200, 204)
        assert http.post(url, json={"jsonrpc": "2.0", "id": 99, "method": "ping"}, headers=headers).status_code == 404


def test_write_tools_over_http_need_the_api_key(seeded_copy: Path) -> None:
    """--allow-writes offers ingest_text and feedback; over HTTP each call needs X-API-Key, as the HTTP API's
    writes do: without it the tool answers the API's one-line refusal and nothing is written."""
    key = "mcp-test-key-0123456789"
    serving = _serving(seeded_copy, args=("--allow-writes",), env={"CAPGRAPH_API_KEY": key})
    with serving as url, httpx.Client(timeout=120) as http:
        session = HttpSession(http, url)
        session.request("initialize", INITIALIZE)
        session.notify("notifications/initialized")
        page = {"name": "ingest_text", "arguments": {"text": "Gemma 3 vs Phi-4: Gemma 3 has a 128K context."}}
        refused = session.request("tools/call", page)["result"]
        assert refused["isError"] and refused["content"][0]["text"].endswith(WRITE_KEY_NEEDED)  # the API's words
        wrong = session.request("tools/call", page, {"X-API-Key": "not-the-key"})["result"]
        assert wrong["isError"]
        vote = {"name": "feedback", "arguments": {"models": ["o4-mini"], "useful": True}}
        assert session.request("tools/call", vote)["result"]["isError"]
        given = session.request("tools/call", vote, {"X-API-Key": key})["result"]
        assert not given["isError"], given
    models = subprocess.run(
        [sys.executable, *CLI, "models", "--prefix", "Gemma 3", "--json"], env=_env(seeded_copy), capture_output=True
    )
    assert json.loads(models.stdout)["total"] == 0  # the refused page was not stored
