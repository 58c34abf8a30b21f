"""Safe by default: writes need a key unless the operator opens them, the key is generated once and kept
0600, foreign Host headers are refused (DNS rebinding) and so are writes from another origin."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from capgraph.api.app import create_app
from capgraph.api.guard import host_name
from capgraph.app import Services
from capgraph.app.keys import load_or_create, write_key
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from tests.api.conftest import API_KEY, BASE_URL, small_page
from tests.api.test_cli import capgraph


def _client(services: Services, **update: object) -> TestClient:
    settings = services.settings.model_copy(update=update)
    return TestClient(create_app(settings, services=services), base_url=BASE_URL)


def _post(c: TestClient, tag: str, **headers: str) -> int:
    return c.post("/sources", content=small_page(tag).encode(), headers=headers).status_code


# ------------------------------------------------------------------------------------------ the key
def test_writes_need_a_generated_key_by_default(fresh_services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    folder = Path(fresh_services.settings.store)
    key_file = folder / "api-key"
    assert not key_file.exists()
    with _client(fresh_services) as c:
        assert _post(c, "g") == 401  # no key configured and writes not opened: still closed
        source_id = c.get("/sources").json()["sources"][0]["id"]
        assert c.delete(f"/sources/{source_id}").status_code == 401
        assert c.get("/models/o4-mini").status_code == 200  # reads stay open
        key = key_file.read_text(encoding="utf-8").strip()
        assert len(key) >= 40 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert _post(c, "g", **{"X-API-Key": key}) == 201
    printed = capsys.readouterr().err
    assert key in printed and str(key_file) in printed
    with _client(fresh_services) as c:  # the next start keeps the key and does not print it again
        assert _post(c, "h", **{"X-API-Key": key}) == 201
    assert key not in capsys.readouterr().err
    assert key_file.read_text(encoding="utf-8").strip() == key


def test_open_writes_is_an_explicit_choice(fresh_services: Services) -> None:
    with _client(fresh_services, open_writes=True) as c:
        assert _post(c, "o") == 201
    assert not (Path(fresh_services.settings.store) / "api-key").exists()


def test_a_configured_key_wins_and_no_file_is_written(fresh_services: Services) -> None:
    with _client(fresh_services, api_key=SecretStr(API_KEY), open_writes=True) as c:
        assert _post(c, "c") == 401
        assert _post(c, "c", **{"X-API-Key": API_KEY}) == 201
    assert not (Path(fresh_services.settings.store) / "api-key").exists()


def test_open_writes_and_hosts_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CAPGRAPH_OPEN_WRITES", "true")
    monkeypatch.setenv("CAPGRAPH_ALLOWED_HOSTS", "API.example.org, localhost")
    monkeypatch.setenv("CAPGRAPH_ALLOWED_ORIGINS", "https://ui.example.org/")
    settings = Settings(store=str(tmp_path))
    assert settings.open_writes is True and write_key(settings).key is None
    assert settings.allowed_hosts == ["api.example.org", "localhost"]
    assert settings.allowed_origins == ["https://ui.example.org"]
    assert Settings(store=str(tmp_path), open_writes=False).allowed_hosts == ["api.example.org", "localhost"]
    monkeypatch.delenv("CAPGRAPH_ALLOWED_HOSTS")
    assert Settings(store=str(tmp_path)).allowed_hosts == ["127.0.0.1", "localhost", "::1"]


def test_key_locations(tmp_path: Path) -> None:
    assert Settings(store=str(tmp_path / "data")).key_file == tmp_path / "data" / "api-key"
    neo = Settings(store="neo4j://127.0.0.1:7687", config_dir=tmp_path / "cfg")
    assert neo.key_file == tmp_path / "cfg" / "api-key"
    assert Settings(store="neo4j://h:1", api_key_file=tmp_path / "k").key_file == tmp_path / "k"


def test_default_config_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert Settings(store="neo4j://h:1").key_file == tmp_path / "capgraph" / "api-key"


def test_key_file_is_created_once_under_a_race(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "api-key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: load_or_create(path), range(16)))
    assert len({key for key, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["api-key"]  # no temporary file left


def test_a_readable_key_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "api-key"
    path.write_text("my-own-key\n", encoding="utf-8")
    os.chmod(path, 0o644)
    assert load_or_create(path) == ("my-own-key", False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_cli_prints_the_servers_key(fresh_services: Services) -> None:
    folder = Path(fresh_services.settings.store)
    printed = capgraph("key", store=folder)
    assert printed.returncode == 0, printed.stderr
    key = printed.stdout.strip()
    assert (folder / "api-key").read_text(encoding="utf-8").strip() == key
    assert capgraph("key", "--path", store=folder).stdout.strip() == str(folder / "api-key")
    with _client(fresh_services) as c:
        assert _post(c, "q", **{"X-API-Key": key}) == 201


# ------------------------------------------------------------------------------------------ Host and Origin
@pytest.fixture
def guarded(fresh_services: Services) -> Iterator[TestClient]:
    """Writes opened by the operator: what is left to stop a web page is the Host and Origin checks."""
    with _client(fresh_services, open_writes=True) as c:
        yield c


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:8000", "[::1]:8000", "127.0.0.1"])
def test_loopback_hosts_are_served(guarded: TestClient, host: str) -> None:
    assert guarded.get("/stats", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "", "[::2]:80"])
def test_foreign_hosts_are_refused(guarded: TestClient, host: str) -> None:
    before = guarded.get("/stats").json()
    for method, url in (("GET", "/stats"), ("GET", "/models/o4-mini"), ("POST", "/sources")):
        r = guarded.request(method, url, headers={"Host": host}, content=small_page("r").encode())
        assert r.status_code == 400, (method, url, r.text)
        assert r.json() == {
            "error": "HostNotAllowed",
            "detail": "The Host header names a host this server does not serve.",
        }
    assert guarded.get("/stats").json() == before


def test_configured_hosts(fresh_services: Services) -> None:
    with _client(fresh_services, allowed_hosts=["capgraph.internal"]) as c:
        assert c.get("/stats", headers={"Host": "capgraph.internal:8000"}).status_code == 200
        assert c.get("/stats").status_code == 400  # 127.0.0.1 is no longer listed
    with _client(fresh_services, allowed_hosts=["*"]) as c:
        assert c.get("/stats", headers={"Host": "anything.example"}).status_code == 200


def test_host_name() -> None:
    assert host_name("[::1]:8000") == "::1" and host_name("Example.ORG:80") == "example.org"
    assert host_name("localhost") == "localhost" and host_name("[::1]") == "::1"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", "Content-Type": "text/plain"},  # the form-style POST a page can send
        {"Origin": "http://localhost:7474"},  # the Neo4j Browser may read, not write
        {"Origin": "http://127.0.0.1:9999"},  # another local port is another origin
        {"Origin": "null"},  # sandboxed frames and file:// pages
        {"Sec-Fetch-Site": "cross-site"},  # a browser that left Origin out
    ],
)
def test_writes_from_another_origin_are_refused(guarded: TestClient, headers: dict[str, str]) -> None:
    before = guarded.get("/stats").json()
    r = guarded.post("/sources", content=small_page("x").encode(), headers=headers)
    assert r.status_code == 403 and r.json()["error"] == "OriginNotAllowed"
    source_id = guarded.get("/sources").json()["sources"][0]["id"]
    assert guarded.delete(f"/sources/{source_id}", headers=headers).status_code == 403
    assert guarded.get("/stats").json() == before
    # reading from any origin stays possible (the browser, not the server, keeps the answer from the page)
    assert guarded.get("/stats", headers=headers).status_code == 200


def test_writes_from_the_same_origin_or_a_listed_one(fresh_services: Services) -> None:
    with _client(fresh_services, open_writes=True, allowed_origins=["https://ui.example.org"]) as c:
        assert _post(c, "s", Origin="http://127.0.0.1") == 201
        assert _post(c, "t", Origin="https://ui.example.org") == 201
        assert _post(c, "u", **{"Sec-Fetch-Site": "same-origin"}) == 201
        assert _post(c, "v", Origin="https://ui.example.org.evil") == 403


def test_a_key_does_not_let_a_foreign_origin_write(locked: TestClient) -> None:
    headers = {"X-API-Key": API_KEY, "Origin": "http://evil.example"}
    assert _post(locked, "w", **headers) == 403


@pytest.mark.parametrize("origin", ["http://localhost:7474", "http://evil.example"])
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_no_preflight_opens_a_write(guarded: TestClient, origin: str, method: str) -> None:
    r = guarded.options(
        "/sources", headers={"Origin": origin, "Access-Control-Request-Method": method, "Host": "127.0.0.1"}
    )
    assert r.status_code == 400 and r.json()["error"] == "CorsRefused"
    assert method not in r.headers.get("access-control-allow-methods", "")
    assert r.headers.get("access-control-allow-origin") in (None, "http://localhost:7474")


def test_state_of_default_settings_needs_a_key(tmp_path: Path, encoder: Encoder) -> None:
    """`Settings()` as `capgraph serve` builds it, on an empty folder: closed writes, loopback hosts only."""
    settings = Settings(store=str(tmp_path / "data"))
    assert settings.open_writes is False and settings.api_key is None
    with TestClient(create_app(services=Services(settings, encoder=encoder)), base_url=BASE_URL) as c:
        assert c.post("/sources", json={"text": small_page("d")}).status_code == 401
        assert c.get("/health", headers={"Host": "evil.example"}).status_code == 400


def test_an_empty_key_in_the_environment_is_no_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """docker compose passes `CAPGRAPH_API_KEY=` when the shell has none: writes stay closed, by a new key."""
    monkeypatch.setenv("CAPGRAPH_API_KEY", "")
    guard = write_key(Settings(store=str(tmp_path)))
    assert guard.key is not None and guard.created and guard.path == tmp_path / "api-key"
    assert guard.key.get_secret_value() == (tmp_path / "api-key").read_text(encoding="utf-8").strip()


def test_the_browser_origin_follows_the_settings(fresh_services: Services) -> None:
    """Neo4j on another HTTP port: the guide is readable from that origin once configured, not before."""
    origin = "http://127.0.0.1:7484"
    own = f"http://localhost:{fresh_services.settings.neo4j_http_port}"  # 7474 unless NEO4J_HTTP_PORT moves it
    assert own != origin
    with _client(fresh_services) as c:
        default = c.get("/browser/guide.html", headers={"Origin": origin})
        assert "access-control-allow-origin" not in default.headers
        assert c.get("/browser/guide.html", headers={"Origin": own}).headers.get("access-control-allow-origin") == own
    with _client(fresh_services, browser_origins=[origin]) as c:
        moved = c.get("/browser/guide.html", headers={"Origin": origin})
        assert moved.status_code == 200 and moved.headers["access-control-allow-origin"] == origin


def test_the_browser_origin_follows_the_neo4j_http_port(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """NEO4J_HTTP_PORT (what neo4j-server/server.sh listens on) moves the default origin with it: the guide
    works on any configured port without a second setting; an explicit CAPGRAPH_BROWSER_ORIGINS still wins."""
    monkeypatch.delenv("CAPGRAPH_BROWSER_ORIGINS", raising=False)
    monkeypatch.setenv("NEO4J_HTTP_PORT", "7617")
    settings = Settings(store=str(tmp_path))
    assert settings.browser_origins == ["http://127.0.0.1:7617", "http://localhost:7617"]
    assert Settings(store=str(tmp_path), neo4j_http_port=7000).browser_origins[0] == "http://127.0.0.1:7000"
    monkeypatch.setenv("CAPGRAPH_BROWSER_ORIGINS", "http://neo4j.local:80")
    assert Settings(store=str(tmp_path)).browser_origins == ["http://neo4j.local:80"]
    monkeypatch.delenv("NEO4J_HTTP_PORT")
    monkeypatch.delenv("CAPGRAPH_BROWSER_ORIGINS")
    assert Settings(store=str(tmp_path)).browser_origins == ["http://127.0.0.1:7474", "http://localhost:7474"]


def test_browser_origins_from_the_environment() -> None:
    settings = Settings.model_validate({"browser_origins": "http://127.0.0.1:7484/, http://Neo4j.local:7474"})
    assert settings.browser_origins == ["http://127.0.0.1:7484", "http://neo4j.local:7474"]
