"""Fixtures for the ingest tests: the shared seed texts and the hand-written fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = (REPO / ".." / "shared" / "seeds").resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_text(prefix: str) -> str:
    """The seed file whose name starts with `prefix` ("000" ... "004")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.fail(f"seed {prefix} not found under {SEEDS}")
    return matches[0].read_text(encoding="utf-8")


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    return {prefix: seed_text(prefix) for prefix in ("000", "001", "002", "003", "004")}
