"""POST and DELETE /sources: ingest, idempotence, removal, write auth, body limits, failed ingests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from capgraph.api.app import create_app
from capgraph.app import Services
from tests.api.conftest import API_KEY, BASE_URL, page_models, small_page
from tests.conftest import seed_paths


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_post_plain_text_then_again(writer: TestClient) -> None:
    before = writer.get("/stats").json()
    r = writer.post(
        "/sources",
        content=small_page("a").encode(),
        headers={"Content-Type": "text/plain"},
        params={"title": "Zephyr vs Quasar", "url": "https://example.org/zq"},
    )
    assert r.status_code == 201
    body = r.json()
    assert body["created"] is True and r.headers["location"] == f"/sources/{body['source_id']}"
    assert body["source"]["title"] == "Zephyr vs Quasar" and body["source"]["url"] == "https://example.org/zq"
    assert body["extracted"]["models"] == 2 and body["extracted"]["capabilities"] == 2
    assert body["encoded"] <= 2 and body["source"]["format"] == "comparison"  # 0 if the encoder cached them
    after = writer.get("/stats").json()
    assert after["sources"] == before["sources"] + 1 and after["models"] == before["models"] + 2
    again = writer.post("/sources", content=small_page("a").encode(), headers={"Content-Type": "text/plain"})
    assert again.status_code == 200
    assert again.json()["created"] is False and again.json()["source_id"] == body["source_id"]
    assert again.json()["encoded"] == 0
    assert writer.get("/stats").json() == after
    assert writer.get("/models/Zephyra 7B").json()["model"]["id"] == "zephyra-7b"


def test_post_json(writer: TestClient) -> None:
    r = writer.post("/sources", json={"text": small_page("b"), "title": "JSON page"})
    assert r.status_code == 201 and r.json()["source"]["title"] == "JSON page"
    detail = writer.get(f"/sources/{r.json()['source_id']}").json()
    assert {m["id"] for m in detail["models"]} == set(page_models("b"))
    assert all(m["capabilities"] == 1 for m in detail["models"])


def test_post_seed_already_known_is_200(writer: TestClient) -> None:
    r = writer.post("/sources", content=seed_paths()[0].read_bytes())
    assert r.status_code == 200 and r.json()["created"] is False
    assert r.json()["extracted"]["capabilities"] > 0


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"\x00\x01\x02 binary \xff\x00", "application/octet-stream", "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text/plain", "binary"),
        (b"", "text/plain", "empty"),
        (b"   \n\t  \n", "text/plain", "empty"),
        (b'{"text": ""}', "application/json", "empty"),
    ],
)
def test_unreadable_text_is_422_with_reason_and_changes_nothing(
    writer: TestClient, fresh_services: Services, body: bytes, content_type: str, reason: str
) -> None:
    folder = Path(fresh_services.settings.store)
    before = _files(folder)
    r = writer.post("/sources", content=body, headers={"Content-Type": content_type})
    assert r.status_code == 422
    assert r.json()["error"] == "IngestError" and reason in r.json()["detail"]
    assert _files(folder) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"title": "no text"}', ["body", "text"]),
        (b'{"text": 42}', ["body", "text"]),
        (b'{"text": "x", "title": ' + b'"' + b"t" * 501 + b'"}', ["body", "title"]),
        (b'{"text": ', ["body"]),
        (b"[1, 2]", ["body"]),
    ],
)
def test_invalid_json_body_is_422_with_the_field(writer: TestClient, body: bytes, field: list[object]) -> None:
    r = writer.post("/sources", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"] == "InvalidRequest" and r.json()["fields"][0]["loc"] == field


def test_failed_ingest_leaves_store_unchanged(
    writer: TestClient, fresh_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after parsing and encoding (here: in the store's write) leaves files and graph as they were."""
    folder = Path(fresh_services.settings.store)
    before_files, before_stats = _files(folder), writer.get("/stats").json()
    store = fresh_services.store

    def broken_commit(vectors_changed: bool) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store, "_commit", broken_commit)
    with TestClient(writer.app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        r = c.post("/sources", content=small_page("f").encode())
    assert r.status_code == 500 and "disk full" not in r.text
    monkeypatch.undo()
    assert writer.get("/stats").json() == before_stats
    assert writer.get("/models/zephyrf-7b").status_code == 404
    assert _files(folder) == before_files


def test_delete_removes_what_only_the_source_supported(writer: TestClient) -> None:
    created = writer.post("/sources", content=small_page("d").encode()).json()
    before = writer.get("/stats").json()
    r = writer.delete(f"/sources/{created['source_id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["source_id"] == created["source_id"]
    assert body["removed_models"] == page_models("d")
    assert len(body["removed_capabilities"]) == 2
    after = writer.get("/stats").json()
    assert after["sources"] == before["sources"] - 1 and after["models"] == before["models"] - 2
    assert writer.get(f"/sources/{created['source_id']}").status_code == 404
    again = writer.delete(f"/sources/{created['source_id']}")
    assert again.status_code == 404 and again.json()["error"] == "NotFound"


def test_delete_a_seed_keeps_shared_models(writer: TestClient) -> None:
    source = next(s for s in writer.get("/sources").json()["sources"] if s["title"] == "o4-mini vs Llama 4")
    r = writer.delete(f"/sources/{source['id']}")
    assert r.status_code == 200
    assert "o4-mini" not in r.json()["removed_models"]  # another seed still states it
    assert writer.get("/models/o4-mini").status_code == 200
    assert writer.get("/stats").json()["sources"] == 4


# ------------------------------------------------------------------------------------------ auth
def test_writes_open_without_a_configured_key(writer: TestClient) -> None:
    assert writer.post("/sources", content=small_page("o").encode()).status_code == 201


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}, {"X-API-Key": API_KEY + "x"}, {"X-API-Key": API_KEY[:-1]}],
)
def test_writes_need_the_key(locked: TestClient, headers: dict[str, str]) -> None:
    before = locked.get("/stats").json()
    r = locked.post("/sources", content=small_page("k").encode(), headers=headers)
    assert r.status_code == 401 and r.json()["error"] == "Unauthorized"
    source_id = locked.get("/sources").json()["sources"][0]["id"]
    assert locked.delete(f"/sources/{source_id}", headers=headers).status_code == 401
    assert locked.get("/stats").json() == before


def test_non_ascii_key_header_is_401_not_500(locked: TestClient) -> None:
    r = locked.post("/sources", content=b"text", headers={b"X-API-Key": "cl\u00e9".encode("latin-1")})
    assert r.status_code == 401


def test_writes_with_the_key_and_reads_without(locked: TestClient) -> None:
    r = locked.post("/sources", content=small_page("k").encode(), headers={"X-API-Key": API_KEY})
    assert r.status_code == 201
    assert locked.get(f"/sources/{r.json()['source_id']}").status_code == 200
    assert locked.get("/models/zephyrk-7b").status_code == 200
    assert locked.get("/search", params={"q": "meeting transcripts"}).status_code == 200
    d = locked.delete(f"/sources/{r.json()['source_id']}", headers={"X-API-Key": API_KEY})
    assert d.status_code == 200


def test_auth_is_checked_before_the_body_is_parsed(locked: TestClient) -> None:
    r = locked.post("/sources", content=b"\x00binary", headers={"Content-Type": "text/plain"})
    assert r.status_code == 401


# ------------------------------------------------------------------------------------------ body limit
@pytest.fixture
def limited(fresh_services: Services) -> Iterator[TestClient]:
    settings = fresh_services.settings.model_copy(update={"max_body_bytes": 2000, "open_writes": True})
    with TestClient(create_app(settings, services=fresh_services), base_url=BASE_URL) as c:
        yield c


def test_body_over_the_limit_by_content_length(limited: TestClient) -> None:
    r = limited.post("/sources", content=b"x" * 2001)
    assert r.status_code == 413 and r.json()["error"] == "BodyTooLarge" and "2000" in r.json()["detail"]
    assert limited.post("/sources", json={"text": "y" * 3000}).status_code == 413
    assert limited.get("/stats").json()["sources"] == 5


def test_body_at_the_limit_is_read(limited: TestClient) -> None:
    r = limited.post("/sources", content=b"\x00" * 2000)
    assert r.status_code == 422  # read in full, then refused as binary


def test_body_over_the_limit_chunked(limited: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"z" * 500

    r = limited.post("/sources", content=chunks())
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert r.status_code == 413 and r.json()["error"] == "BodyTooLarge"


def test_body_over_the_limit_with_a_lying_content_length(limited: TestClient) -> None:
    r = limited.post("/sources", content=b"w" * 5000, headers={"Content-Length": "10"})
    assert r.status_code == 413


def test_default_limit_is_five_megabytes(writer: TestClient) -> None:
    r = writer.post("/sources", content=b"a" * (5 * 1024 * 1024 + 1))
    assert r.status_code == 413
