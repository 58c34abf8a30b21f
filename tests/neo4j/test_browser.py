"""Neo4j Browser end to end: headless Chromium connects (no auth), the capgraph style and guide
load through browser.post_connect_cmd, a neighbourhood query renders, and a screenshot lands in
artifacts/neo4j-browser.png. Needs `playwright` (Python package only; it drives the system
Chromium, no browser download) and Debian's `chromium`.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.neo4j.support import ROOT, _in_ci, neo4j_auth

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HTTP_PORT = int(os.environ.get("NEO4J_HTTP_PORT", "7474"))
SCREENSHOT = ROOT / "artifacts" / "neo4j-browser.png"
DEMO = "capgraph-browser-test"
NEIGHBOURHOOD = (
    "MATCH (m:Model {demo: '" + DEMO + "', name: 'Demo-GPT'}) "
    "MATCH p = (m)-[*1..2]-(x) WHERE x.demo = '" + DEMO + "' RETURN p"
)


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def demo_graph(neo4j_driver: Any) -> Iterator[None]:
    q = neo4j_driver.execute_query
    q("MATCH (n {demo: $d}) DETACH DELETE n", d=DEMO)
    q(
        """
        CREATE (a:Model {demo: $d, id: 'demo-gpt', name: 'Demo-GPT', kind: 'Model', capability_count: 2})
        CREATE (b:Model {demo: $d, id: 'demo-claude', name: 'Demo-Claude', kind: 'Model', capability_count: 1})
        CREATE (c1:Capability {demo: $d, id: 'demo-gpt/vision', name: 'image understanding'})
        CREATE (c2:Capability {demo: $d, id: 'demo-gpt/code', name: 'code generation'})
        CREATE (c3:Capability {demo: $d, id: 'demo-claude/code', name: 'writes code'})
        CREATE (bm:Benchmark {demo: $d, id: 'demo-bench', name: 'DemoBench'})
        CREATE (s:Source {demo: $d, id: 'demo-src', title: 'Demo comparison'})
        CREATE (a)-[:HAS_CAPABILITY {sources: ['demo-src']}]->(c1)
        CREATE (a)-[:HAS_CAPABILITY {sources: ['demo-src']}]->(c2)
        CREATE (b)-[:HAS_CAPABILITY {sources: ['demo-src']}]->(c3)
        CREATE (c2)-[:SIMILAR_TO {score: 0.91}]->(c3)
        CREATE (a)-[:COMPARED_WITH {sources: ['demo-src']}]->(b)
        CREATE (a)-[:SCORED {value: 88.0, unit: '%', sources: ['demo-src']}]->(bm)
        CREATE (s)-[:STATES {attribute: 'context window', value: '128k'}]->(a)
        """,
        d=DEMO,
    )
    yield
    q("MATCH (n {demo: $d}) DETACH DELETE n", d=DEMO)


class _CorsHandler(http.server.SimpleHTTPRequestHandler):
    # The Browser fetches guides with pragma/cache-control headers, so it sends a CORS
    # preflight first; the API must answer OPTIONS too (Starlette's CORSMiddleware does).
    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Headers", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        super().end_headers()

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        # /browser/<file> -> capgraph/api/static/browser/<file>, the paths the API serves
        name = path.split("?", 1)[0].rsplit("/", 1)[-1]
        return str(ROOT / "capgraph" / "api" / "static" / "browser" / name)


@pytest.fixture
def guide_host() -> Iterator[bool]:
    """Stand in for the API on 127.0.0.1:8000 (guide + style with CORS) when nothing listens there."""
    with socket.socket() as probe:
        busy = probe.connect_ex(("127.0.0.1", 8000)) == 0
    if busy:
        yield False
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 8000), _CorsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield True
    finally:
        server.shutdown()
        server.server_close()


def test_browser_connects_and_draws_a_neighbourhood(neo4j_server: str, demo_graph: None, guide_host: bool) -> None:
    credentials = neo4j_auth()
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed (pip install playwright; it uses the system Chromium)")
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")

    SCREENSHOT.parent.mkdir(exist_ok=True)
    bolt = neo4j_server.replace("neo4j://", "bolt://")
    url = f"http://127.0.0.1:{HTTP_PORT}/browser/?connectURL={bolt}"
    with sync_api.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        ctx = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
        )
        try:
            page = ctx.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            # the connect form appears unless the Browser connected on its own
            auth = page.locator("select[data-testid='authenticationMethod']")
            connected = page.get_by_text("You are connected as user", exact=False)
            auth.or_(connected).first.wait_for()
            if auth.is_visible():
                if credentials is None:
                    auth.select_option(label="No authentication")
                else:
                    auth.select_option(label="Username / Password")
                    page.get_by_test_id("username").fill(credentials[0])
                    page.get_by_test_id("password").fill(credentials[1])
                page.get_by_test_id("connect").click()
            page.get_by_text("You are connected", exact=False).first.wait_for()

            # post_connect_cmd ran: the capgraph style is active ...
            page.wait_for_function(
                "() => Object.keys(JSON.parse(localStorage.getItem('neo4j.grass')) || {}).includes('node.Model')"
            )
            # ... and, when the guide was reachable, the guide drawer shows it
            if guide_host:
                page.get_by_text("capgraph: the capability graph of AI models").first.wait_for()

            editor = page.locator("[data-testid='activeEditor'] textarea").first
            editor.click()
            page.keyboard.type(NEIGHBOURHOOD)
            page.keyboard.press("Control+Enter")
            page.locator("svg g.node").first.wait_for()
            page.wait_for_timeout(2_500)  # let the force layout settle
            page.screenshot(path=str(SCREENSHOT))
            assert page.locator("svg g.node").count() >= 5
            # captions come from the capgraph style ({name}), not the Browser's default
            assert page.locator("svg g.node text", has_text="Demo-GPT").count() >= 1
        finally:
            ctx.close()
    assert SCREENSHOT.stat().st_size > 10_000
