"""API fixtures: the real app over the session's model and seeded store (both from tests/conftest.py).

Tests that write get their own copy of the seeded store (a folder copy, so nothing is re-encoded).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from capgraph.api.app import create_app
from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder

API_KEY = "test-key-0123456789"
BASE_URL = "http://127.0.0.1"
"""TestClient's default host, `testserver`, is not a loopback name: the API would refuse it."""


def page_models(tag: str) -> list[str]:
    """The ids of the two models `small_page(tag)` names (tag: lowercase letters)."""
    return [f"quasar{tag}-3b", f"zephyr{tag}-7b"]


def small_page(tag: str) -> str:
    """A tiny comparison page naming two models no seed names, with one capability each."""
    assert tag.isalpha() and tag.islower(), "letters only: digits would split the model name"
    return f"""Zephyr{tag} 7B vs Quasar{tag} 3B
Quasar{tag} 3B ranks higher at 70/100 vs Zephyr{tag} 7B at 60/100.
| Feature | Zephyr{tag} 7B | Quasar{tag} 3B |
|---|---|---|
| Type | Model | Model |
| UnfragileRank | 60/100 | 70/100 |
Zephyr{tag} 7B Capabilities
Translates technical documents between many languages while preserving code blocks and formatting.
Unique: keeps markdown intact.
vs alternatives: more languages than Quasar{tag} 3B.
Quasar{tag} 3B Capabilities
Summarizes long meeting transcripts into action items with owners and deadlines.
Unique: speaker attribution.
vs alternatives: faster than Zephyr{tag} 7B.
"""


def keyed(folder: Path | str) -> Settings:
    """Settings for a store whose writes need `API_KEY` (so no key file is generated in the folder); answers
    are not counted, so the shared seeded folder stays as it was ingested."""
    return Settings(store=str(folder), api_key=SecretStr(API_KEY), count_matches=False)


@pytest.fixture(scope="session")
def services(seeded_folder: Path, encoder: Encoder) -> Iterator[Services]:
    """Shared by the read-only tests; nothing may write to it."""
    svc = Services(keyed(seeded_folder), encoder=encoder)
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services), base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def fresh_services(seeded_folder: Path, encoder: Encoder, tmp_path: Path) -> Iterator[Services]:
    """A private copy of the seeded store, for tests that write."""
    folder = tmp_path / "store"
    shutil.copytree(seeded_folder, folder)
    svc = Services(Settings(store=str(folder)), encoder=encoder)
    yield svc
    svc.close()


@pytest.fixture
def writer(fresh_services: Services) -> Iterator[TestClient]:
    """A client on a private seeded store whose operator opened writes (CAPGRAPH_OPEN_WRITES=true)."""
    settings = fresh_services.settings.model_copy(update={"open_writes": True})
    with TestClient(create_app(settings, services=fresh_services), base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def locked(fresh_services: Services) -> Iterator[TestClient]:
    """A client on a private seeded store whose writes need X-API-Key."""
    settings = fresh_services.settings.model_copy(update={"api_key": SecretStr(API_KEY)})
    with TestClient(create_app(settings, services=fresh_services), base_url=BASE_URL) as c:
        yield c
