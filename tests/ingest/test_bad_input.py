"""Inputs that must give a clear IngestError or an extraction with warnings, quickly."""

from __future__ import annotations

import time

import pytest

from capgraph.errors import IngestError
from capgraph.graph.schema import Extraction
from capgraph.ingest import decode_text, parse_text

from .conftest import seed_text


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\n\n"])
def test_empty(text: str) -> None:
    with pytest.raises(IngestError, match="empty"):
        parse_text(text)


def test_nul_characters() -> None:
    with pytest.raises(IngestError, match="binary"):
        parse_text("o4-mini vs Llama 4\x00\x00")


def test_not_a_string() -> None:
    with pytest.raises(IngestError):
        parse_text(b"o4-mini vs Llama 4")  # type: ignore[arg-type]


def test_non_utf8_round_trip() -> None:
    text, warnings = decode_text(seed_text("000").encode() + b"\xff\xfe trailing")
    assert warnings
    assert isinstance(parse_text(text), Extraction)


def test_ragged_table_only_is_refused_for_lack_of_models() -> None:
    with pytest.raises(IngestError, match="no model"):
        parse_text("| a | b | c |\n| 1 |\n| 2 | 3 | 4 | 5 | 6 |\n|||\n| | |")


def test_ragged_table_with_a_model() -> None:
    e = parse_text("GPT-4o notes\n| a | b | c |\n| 1 |\n| 2 | 3 | 4 | 5 | 6 |\n|||\n| | |")
    assert isinstance(e, Extraction)
    assert e.source.format == "unknown"


def test_pathological_lines_are_fast() -> None:
    nasty = "\n".join(
        [
            "1" * 100_000 + "x",
            "$" + "9" * 50_000,
            "|" * 100_000,
            "Unique: " + "a " * 50_000,
            "Llama " * 20_000,
            "GPT-4o " * 20_000,
            "a: " * 30_000,
            "(" * 50_000 + "GPT-4o" + ")" * 50_000,
        ]
    )
    start = time.perf_counter()
    try:
        assert isinstance(parse_text(nasty), Extraction)
    except IngestError as exc:  # no model recognised in the noise: refused, which is fine too
        assert "no model" in str(exc)
    assert time.perf_counter() - start < 10


@pytest.mark.slow
def test_fifty_megabytes_finishes() -> None:
    page = seed_text("001") + "\n" + seed_text("002") + "\n"
    text = page * (50 * 1024 * 1024 // len(page.encode()))
    decoded, _ = decode_text(text.encode())
    start = time.perf_counter()
    e = parse_text(decoded)
    elapsed = time.perf_counter() - start
    assert e.source.format == "comparison"
    assert elapsed < 120, elapsed


def test_five_megabytes_of_one_line() -> None:
    text = "GPT-4o " + "word " * 1_000_000
    start = time.perf_counter()
    e = parse_text(text)
    assert e.source.format == "unknown"
    assert time.perf_counter() - start < 20
