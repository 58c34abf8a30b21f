from __future__ import annotations

import pytest

from capgraph.graph.values import Quantity, is_missing, leading_int, parse_number, parse_quantity, snake_case


@pytest.mark.parametrize(
    ("raw", "attribute", "expected"),
    [
        ("55/100", None, Quantity(55, "/100")),
        ("3.8B", "parameters", Quantity(3.8e9, "parameters")),
        ("3.8B", None, Quantity(3.8e9)),
        ("17 billion", "active_parameters", Quantity(1.7e10, "parameters")),
        ("128K tokens", "context_window", Quantity(128000, "tokens")),
        ("10 million tokens", None, Quantity(1e7, "tokens")),
        ("Approximately 2 trillion", "total_parameters", Quantity(2e12, "parameters")),
        ("~400 billion", None, Quantity(4e11)),
        ("$2.50e-6 per prompt token", None, Quantity(2.5e-6, "USD/prompt token")),
        ("$0.15 / 1M tokens", None, Quantity(0.15, "USD/1M tokens")),
        ("$20", None, Quantity(20, "USD")),
        ("12 decomposed", "capabilities", Quantity(12, "capabilities")),
        ("90.4%", None, Quantity(90.4, "%")),
        ("63.6", None, Quantity(63.6)),
        ("1,417", None, Quantity(1417)),
        ("0", None, Quantity(0)),
        ("16", "number_of_experts", Quantity(16)),
        ("128,000 tokens", None, Quantity(128000, "tokens")),
        ("7B (dense)", None, Quantity(7e9)),
    ],
)
def test_quantities(raw: str, attribute: str | None, expected: Quantity) -> None:
    found = parse_quantity(raw, attribute)
    assert found is not None
    assert found.number == pytest.approx(expected.number)
    assert found.unit == expected.unit


@pytest.mark.parametrize(
    "raw",
    ["Free", "Model", "Single NVIDIA H100 GPU (with Int4 quantization)", "GPT-4o", "2024-08-06", "", "—", "x" * 500,
     "4o", "Not disclosed"],
)  # fmt: skip
def test_not_quantities(raw: str) -> None:
    assert parse_quantity(raw) is None


@pytest.mark.parametrize(
    "raw", ["Not disclosed", "Not specified", "Not detailed", "—", "–", "-", "N/A", "n/a", " ", ""]
)
def test_missing(raw: str) -> None:
    assert is_missing(raw)


@pytest.mark.parametrize("raw", ["Free", "0", "Standard transformer", "None of the above"])
def test_not_missing(raw: str) -> None:
    assert not is_missing(raw)


def test_parse_number_only_accepts_bare_or_percent() -> None:
    assert parse_number("63.6") == 63.6
    assert parse_number("50%") == 50
    assert parse_number("128K tokens") is None
    assert parse_number("—") is None


@pytest.mark.parametrize(
    ("label", "attribute"),
    [
        ("UnfragileRank", "unfragile_rank"),
        ("Times Matched", "times_matched"),
        ("Match Graph", "match_graph"),
        ("Starting Price", "starting_price"),
        ("Hardware requirements ", "hardware_requirements"),
        ("Number of experts", "number_of_experts"),
        ("Context Length", "context_length"),
        ("GPUCount", "gpu_count"),
    ],
)
def test_snake_case(label: str, attribute: str) -> None:
    assert snake_case(label) == attribute


def test_leading_int() -> None:
    assert leading_int("13 decomposed") == 13
    assert leading_int("none") is None
