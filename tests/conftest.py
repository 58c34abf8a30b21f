"""Shared fixtures. `store` runs the contract suite on every store implementation."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.store import GraphStore
from tests.neo4j.support import fresh_neo4j_store
from tests.neo4j.support import neo4j_driver as neo4j_driver  # fixtures, registered here for every package
from tests.neo4j.support import neo4j_server as neo4j_server

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (ROOT / ".." / "shared" / "seeds").resolve()
if not SEEDS.is_dir():  # the copy shipped with the repo
    SEEDS = ROOT / "examples"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(params=["networkx", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Each store, empty. The Neo4j one uses the session's real server (`neo4j_server`), wiped first."""
    s: GraphStore
    if request.param == "networkx":
        s = NetworkxStore(tmp_path / "store")
    else:
        uri: str = request.getfixturevalue("neo4j_server")
        s = fresh_neo4j_store(uri)
    yield s
    s.close()


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The real all-MiniLM-L6-v2, loaded once per test session (every package's tests share it)."""
    enc = Encoder()
    enc.warm_up()
    return enc


@pytest.fixture(scope="session")
def seeded_folder(tmp_path_factory: pytest.TempPathFactory, encoder: Encoder) -> Path:
    """An embedded store holding the five seeds, ingested once; copy it before writing to it."""
    folder = tmp_path_factory.mktemp("seeded") / "store"
    services = Services(Settings(store=str(folder)), store=NetworkxStore(folder), encoder=encoder)
    report = services.ingest.paths(seed_paths())
    assert report.new == len(seed_paths()) and not report.failed
    return folder


@pytest.fixture
def seeded_copy(seeded_folder: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the seeded store."""
    target = tmp_path / "seeded"
    shutil.copytree(seeded_folder, target, ignore=shutil.ignore_patterns(".write.lock"))
    return target


@pytest.fixture
def seeded_services(seeded_copy: Path, encoder: Encoder) -> Services:
    return Services(Settings(store=str(seeded_copy)), store=NetworkxStore(seeded_copy), encoder=encoder)
