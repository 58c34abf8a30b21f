"""The real local Neo4j for the test session: found or started with neo4j-server/server.sh, stopped at the end.

The fixtures are registered in tests/conftest.py so the store contract suite (tests/graph) and the
Neo4j tests share one server. `neo4j_server` yields the Bolt URI of a server on
127.0.0.1:$NEO4J_BOLT_PORT (default 7687). It reuses a server that already answers; otherwise it
runs `neo4j-server/server.sh start` + `wait` and stops that server at the end of the session. When no
server can be had, the tests fail under CI=true and are skipped (with the reason) elsewhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER_SH = ROOT / "neo4j-server" / "server.sh"
START_TIMEOUT_S = 900  # a first `start` also fetches ~140 MB of jars
WAIT_TIMEOUT_S = 360


if TYPE_CHECKING:
    from capgraph.graph.neo4j_store import Neo4jStore


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> NoReturn:
    if _in_ci():
        pytest.fail(f"Neo4j is required in CI: {reason}", pytrace=False)
    pytest.skip(f"Neo4j not available: {reason}")


def bolt_port() -> int:
    return int(os.environ.get("NEO4J_BOLT_PORT", "7687"))


def password_file() -> Path:
    """Where neo4j-server/server.sh keeps the password it generated (when NEO4J_PASSWORD is unset)."""
    return Path(os.environ.get("NEO4J_DIR", str(ROOT / ".neo4j"))) / "password"


def neo4j_auth() -> tuple[str, str] | None:
    password = os.environ.get("NEO4J_PASSWORD")
    if not password and password_file().is_file():
        password = password_file().read_text(encoding="utf-8").strip()
    return ("neo4j", password) if password else None


def _driver_module() -> Any:
    try:
        from neo4j import GraphDatabase
    except ImportError as exc:
        _unavailable(f"the `neo4j` Python driver is not installed ({exc})")
    return GraphDatabase


def _answers(uri: str) -> bool:
    graph_database = _driver_module()
    try:
        with graph_database.driver(uri, auth=neo4j_auth(), connection_timeout=3) as driver:
            driver.execute_query("RETURN 1")
    except Exception:
        return False
    return True


def _script(command: str, timeout: int) -> None:
    env = {**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)}
    subprocess.run([str(SERVER_SH), command], check=True, timeout=timeout, env=env)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[str]:
    uri = f"bolt://127.0.0.1:{bolt_port()}"
    if _answers(uri):
        yield uri
        return
    try:
        _script("start", START_TIMEOUT_S)
    except (OSError, subprocess.SubprocessError) as exc:
        _unavailable(f"`neo4j-server/server.sh start` failed ({exc}); see its output above")
    try:
        try:
            _script("wait", WAIT_TIMEOUT_S)
        except (OSError, subprocess.SubprocessError) as exc:
            _unavailable(f"no Bolt answer on {uri} ({exc}); see the server log above")
        yield uri
    finally:
        _script("stop", 120)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_server: str) -> Iterator[Any]:
    graph_database = _driver_module()
    with graph_database.driver(neo4j_server, auth=neo4j_auth(), notifications_min_severity="OFF") as driver:
        yield driver


def wipe_neo4j(uri: str) -> None:
    """An empty database for the next test. Indexes stay: the store recreates the vector index when a test
    uses another dimension, and keeping it saves the seconds its creation takes on each test."""
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=neo4j_auth(), notifications_min_severity="OFF") as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")


def fresh_neo4j_store(uri: str) -> Neo4jStore:
    """A `Neo4jStore` on a wiped database (the store, the API and the contract tests all start from this)."""
    from capgraph.graph.neo4j_store import Neo4jStore

    wipe_neo4j(uri)
    auth = neo4j_auth()
    return Neo4jStore(uri, password=auth[1] if auth else None)
