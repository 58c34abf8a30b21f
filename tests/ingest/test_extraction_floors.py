"""Regression floors on the hand-keyed corpus pages (bench/keys/extraction): recall and precision of
scores, claims and compared pairs must not fall below what the parser reached, minus a small margin."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
KEYS = ROOT / "bench" / "keys" / "extraction"

# (recall, precision) floors: the figures reached when these were set, minus about 0.03.
FLOORS = {
    "scores": (0.73, 0.92),
    "claims": (0.49, 0.84),
    "pairs": (0.55, 0.82),
}


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> tuple[dict[str, object], int]:
    if not CORPUS.is_dir() or not any(KEYS.glob("*.json")):
        pytest.skip("corpus or answer keys not present")
    bench = _bench()
    parsed, _texts, _seconds, crashes = bench.parse_pages()
    totals, _pages = bench.evaluate(parsed)
    return totals, crashes


def test_no_page_crashes(results: tuple[dict[str, object], int]) -> None:
    assert results[1] == 0


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_floors(results: tuple[dict[str, object], int], kind: str) -> None:
    tally = results[0][kind]
    recall, precision = FLOORS[kind]
    assert tally.recall() >= recall, (kind, tally)  # type: ignore[attr-defined]
    assert tally.precision() >= precision, (kind, tally)  # type: ignore[attr-defined]
