"""docker-compose.yml is checked statically: no Docker engine runs where the tests run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _env(service: dict[str, Any]) -> dict[str, Any]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return dict(env)


def test_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"neo4j", "api"}


def test_neo4j_image_is_pinned_5_26_community_matching_the_pom(compose: dict[str, Any]) -> None:
    image = compose["services"]["neo4j"]["image"]
    match = re.fullmatch(r"neo4j:(5\.26\.\d+)-community", image)
    assert match, image
    pom = (ROOT / "neo4j-server" / "pom.xml").read_text(encoding="utf-8")
    assert f"<neo4j.version>{match.group(1)}</neo4j.version>" in pom


def test_ports_bound_to_loopback(compose: dict[str, Any]) -> None:
    expected = {"neo4j": {"7474", "7687"}, "api": {"8000"}}
    for name, service in compose["services"].items():
        published = set()
        for port in service["ports"]:
            host_ip, host_port, container_port = str(port).split(":")
            assert host_ip == "127.0.0.1", port
            assert host_port == container_port
            published.add(container_port)
        assert published == expected[name]


def test_neo4j_healthcheck_runs_a_cypher_query(compose: dict[str, Any]) -> None:
    check = compose["services"]["neo4j"]["healthcheck"]
    test = " ".join(check["test"]) if isinstance(check["test"], list) else check["test"]
    assert "cypher-shell" in test
    assert "RETURN 1" in test
    assert check["retries"] >= 10


def test_neo4j_has_data_volume_and_browser_setup(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert any(str(v).endswith(":/data") for v in neo4j["volumes"])
    assert "neo4j_data" in compose["volumes"]
    env = _env(neo4j)
    assert env["NEO4J_AUTH"].startswith("neo4j/")
    assert "guide.html" in env["NEO4J_browser_post__connect__cmd"]
    assert "capgraph.grass" in env["NEO4J_browser_post__connect__cmd"]
    assert "localhost" in env["NEO4J_browser_remote__content__hostname__whitelist"]


def test_api_waits_for_healthy_neo4j(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["build"] == "."
    command = api["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert command == "capgraph serve --host 0.0.0.0"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"


def test_no_published_default_password() -> None:
    """Every use of NEO4J_PASSWORD fails the start when it is unset (`${VAR:?...}`), none falls back to a default."""
    text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    uses = re.findall(r"(?<!\$)\$\{NEO4J_PASSWORD([^}]*)\}", text)  # $${...} is the container shell's
    assert len(uses) >= 2
    assert all(use.startswith(":?") for use in uses), uses


def test_api_env(compose: dict[str, Any]) -> None:
    env = _env(compose["services"]["api"])
    assert env["CAPGRAPH_STORE"] == "neo4j://neo4j:7687"
    assert env["CAPGRAPH_NEO4J_USER"] == "neo4j"
    assert "NEO4J_PASSWORD" in env["CAPGRAPH_NEO4J_PASSWORD"]
    assert "CAPGRAPH_API_KEY" in env  # optional: passed through from the host when set


def test_dockerfile_installs_the_package() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert "pip install ." in text
