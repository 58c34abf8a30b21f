"""Benchmark keys: spellings of one benchmark meet, neighbouring benchmarks stay apart."""

from __future__ import annotations

import pytest

from capgraph.graph.search.leaderboard import benchmark_key as board_key
from capgraph.ingest.benchmarks import benchmark_key, display_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("MBPP Base", "MBPP"),
        ("HumanEval (base)", "HumanEval"),
        ("HumanEval+", "HumanEval Plus"),
        ("AIME'25", "AIME 2025"),
        ("AIME24", "AIME-2024"),
        ("Reasoning avg", "Reasoning (average)"),
        ("Coding (mean)", "coding average"),
    ],
)
def test_same_benchmark_one_key(a: str, b: str) -> None:
    assert benchmark_key(display_name(a)) == benchmark_key(display_name(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HumanEval+", "HumanEval"),
        ("MBPP+", "MBPP"),
        ("GPQA Diamond", "GPQA"),
        ("AIME 2024", "AIME 2025"),
        ("Tokenizer base", "Tokenizer"),  # "base" only folds after a known benchmark
    ],
)
def test_other_benchmark_other_key(a: str, b: str) -> None:
    assert benchmark_key(display_name(a)) != benchmark_key(display_name(b))


def test_leaderboard_keeps_plus_sets_apart() -> None:
    assert board_key("HumanEval+") != board_key("HumanEval")
    assert board_key("HumanEval+ (pass@1)") == board_key("HumanEval+")
