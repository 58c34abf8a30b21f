"""Parallel ingests and queries through the app: every write lands once, every read sees a whole state."""

from __future__ import annotations

import string
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from capgraph.app import Services
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.schema import StoreStats
from tests.api.conftest import page_models, small_page

TAGS = [a + b for a in "pqrs" for b in string.ascii_lowercase[:5]]  # 20 distinct pages


def test_parallel_ingests_and_queries(writer: TestClient, fresh_services: Services) -> None:
    before = writer.get("/stats").json()
    seed_models = {m["id"] for m in writer.get("/models", params={"limit": 500}).json()["models"]}

    def ingest(tag: str) -> int:
        return writer.post("/sources", content=small_page(tag).encode()).status_code

    def query(i: int) -> tuple[int, int, int]:
        # one read of each kind; stats must always be a whole number of pages past the seeds
        stats = writer.get("/stats").json()
        extra = stats["sources"] - before["sources"]
        consistent = (
            stats["models"] == before["models"] + 2 * extra
            and stats["capabilities"] == before["capabilities"] + 2 * extra
        )
        codes = {
            writer.get("/search", params={"q": "summarize meeting transcripts", "k": 3}).status_code,
            writer.get("/models/o4-mini/alternatives").status_code,
            writer.get("/overlap", params={"a": "o4-mini", "b": "gpt-4o"}).status_code,
        }
        return int(consistent), len(codes), next(iter(codes))

    with ThreadPoolExecutor(max_workers=8) as pool:
        writes = [pool.submit(ingest, tag) for tag in TAGS]
        # the same page twice at once: exactly one 201
        dupes = [pool.submit(ingest, "zz") for _ in range(4)]
        reads = [pool.submit(query, i) for i in range(24)]
        write_codes = [f.result() for f in writes]
        dupe_codes = sorted(f.result() for f in dupes)
        read_results = [f.result() for f in reads]

    assert write_codes == [201] * len(TAGS)
    assert dupe_codes == [200, 200, 200, 201]
    assert all(r == (1, 1, 200) for r in read_results), read_results

    after = writer.get("/stats").json()
    n = len(TAGS) + 1
    assert after["sources"] == before["sources"] + n
    assert after["models"] == before["models"] + 2 * n
    assert after["capabilities"] == before["capabilities"] + 2 * n
    assert after["relationships"]["HAS_CAPABILITY"] == after["capabilities"]
    assert len(writer.get("/sources").json()["sources"]) == before["sources"] + n
    models = {m["id"] for m in writer.get("/models", params={"limit": 500}).json()["models"]}
    assert models - seed_models == {m for tag in [*TAGS, "zz"] for m in page_models(tag)}
    # and it all survived on disk: a store opened afresh on the same folder sees the same graph
    reopened = NetworkxStore(Path(fresh_services.settings.store))
    try:
        assert reopened.stats() == StoreStats.model_validate(after)
        assert {m.id for m in reopened.list_models(limit=500)[0]} == models
    finally:
        reopened.close()
