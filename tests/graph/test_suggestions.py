"""Typo suggestions: a token-aware score puts the name holding every typed word first."""

from __future__ import annotations

import pytest

from capgraph.graph.merge import closest_names, lookup_key

NAMES = [
    "Claude 3.5 Sonnet", "Claude 3 Opus", "Claude 2", "Claude Instant", "GPT-3.5 Turbo", "DeepSeek-R1",
    "DeepSeek-V3", "DeepSeek-R1-Distill-Qwen-7B", "o1", "o4-mini", "Llama 3.2 1B", "GPT-4o",
]  # fmt: skip
CANDIDATES = {lookup_key(n): n for n in NAMES}


@pytest.mark.parametrize(
    ("typed", "first"),
    [("Claude 3.5", "Claude 3.5 Sonnet"), ("R1", "DeepSeek-R1"), ("o4-minni", "o4-mini"), ("gpt4o", "GPT-4o")],
)
def test_the_intended_name_comes_first(typed: str, first: str) -> None:
    assert closest_names(typed, CANDIDATES)[0] == first


def test_unrelated_names_are_not_suggested() -> None:
    assert "o1" not in closest_names("R1", CANDIDATES)
    assert "GPT-3.5 Turbo" not in closest_names("Claude 3.5", CANDIDATES)
    assert closest_names("bake a cake", CANDIDATES) == []
