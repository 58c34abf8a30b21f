"""/docs works offline: headless Chromium (Debian's, driven by playwright) renders every operation with every
request that leaves the machine refused."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from capgraph.app import Services
from tests.api.live import serving
from tests.neo4j.support import _in_ci

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]


def _missing(reason: str) -> None:
    if _in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def test_swagger_ui_renders_every_operation_without_network(services: Services) -> None:
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed (pip install playwright; it uses the system Chromium)")
    if not Path(CHROMIUM).exists():
        _missing(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    refused: list[str] = []

    def offline(route: sync_api.Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort("internetdisconnected")

    with serving(services) as base, sync_api.sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
        operations = sum(len(item) for item in httpx.get(f"{base}/openapi.json").json()["paths"].values())
        ctx = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            ctx.route("**/*", offline)
            page = ctx.new_page()
            page.set_default_timeout(30_000)
            page.goto(f"{base}/docs")
            page.locator(".opblock").first.wait_for()
            assert page.locator(".opblock").count() == operations
            assert page.locator(".opblock-summary-path", has_text="/resolve").count() == 1
        finally:
            ctx.close()
    assert refused == [], f"the docs pages reached out to the network: {refused}"
