"""Unbounded input, bounded work (issue 12, item 9): a 10 kB model name is cut to the resolver's limit
(`ingest.resolve._MAX_NAME_CHARS`, 120 characters), is ingested in well under a second of graph work, and
grows the store by about the page's own size, not by a multiple of the name."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from capgraph.app import Services
from tests.api.conftest import API_KEY, small_page

NAME_LIMIT = 120  # ingest/resolve.py's _MAX_NAME_CHARS: a model name is at most this long


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_ten_kilobyte_model_name_is_cut_and_bounded(writer: TestClient, fresh_services: Services) -> None:
    folder = Path(fresh_services.settings.store)
    huge = "Zephyr" + "x" * 10_240
    page = small_page("huge").replace("Zephyrhuge", huge)
    assert len(page) > 10_240
    before = _folder_bytes(folder)
    started = time.perf_counter()
    r = writer.post("/sources", content=page.encode(), headers={"X-API-Key": API_KEY})
    elapsed = time.perf_counter() - started
    assert r.status_code == 201, r.text
    names = [m["name"] for m in writer.get("/models", params={"prefix": "zephyr", "limit": 500}).json()["models"]]
    assert names and max(len(n) for n in names) <= NAME_LIMIT
    assert elapsed < 30  # one small document (two capabilities encoded), not a hang
    # the raw text is kept (a few copies of the page at most: text, extraction, segment), not one per mention
    assert _folder_bytes(folder) - before < 8 * len(page.encode())
