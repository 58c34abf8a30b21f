"""The class browser through HTTP and the CLI, on the seeds."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.test_cli import capgraph


def test_classes_largest_first_with_member_models(client: TestClient) -> None:
    body = client.get("/classes").json()
    sizes = [c["size"] for c in body["classes"]]
    assert body["total"] == len(sizes) and sizes == sorted(sizes, reverse=True) and sizes[0] >= 2
    shared = next(c for c in body["classes"] if c["name"] == "Conversation state")
    assert {m["model"] for m in shared["members"]} == {"GPT-4o", "o4-mini"}
    assert client.get("/classes", params={"min_size": 2}).json()["total"] < body["total"]
    one = client.get(f"/classes/{shared['id']}").json()
    assert one == shared
    assert client.get("/classes/conversation state").json()["id"] == shared["id"]  # by name too


def test_unknown_class_is_404_with_closest_names(client: TestClient) -> None:
    r = client.get("/classes/conversation stat")
    assert r.status_code == 200  # a name's part finds it
    r = client.get("/classes/conversatoin stale")
    assert r.status_code == 404 and "Conversation state" in r.json()["detail"]


def test_cli_classes_and_class(seeded_copy: Path) -> None:
    listed = json.loads(capgraph("classes", "--json", "--min-size", "2", store=seeded_copy).stdout)
    assert all(c["size"] >= 2 for c in listed["classes"]) and listed["classes"]
    table = capgraph("class", "conversation state", store=seeded_copy).stdout
    assert "Conversation state" in table and "o4-mini" in table and "GPT-4o" in table
