"""Short labels: the Browser's node captions (graph/labels.py)."""

from __future__ import annotations

import pytest

from capgraph.graph.labels import LABEL_LIMIT, short_label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("GPT-4o", "GPT-4o"),
        ("Processes text and image inputs", "Text and image inputs"),
        ("Implements 128,000-token context window", "Context window"),
        ("Meta's flagship mixture-of-experts language model", "Meta's flagship"),
        ("  Function\n calling  ", "Function calling"),
        ("Supports long-context processing", "Supports long-context"),
        ("", ""),
        (None, ""),
    ],
)
def test_labels_cut_at_a_word_without_a_dangling_word(text: str | None, label: str) -> None:
    assert short_label(text) == label


def test_a_single_long_word_is_cut_hard_and_every_label_fits() -> None:
    assert short_label("x" * 10_000) == "x" * LABEL_LIMIT
    for text in ["a " * 50, "Provides optimized implementations and pre-built integrations", "(((( ))))" * 9]:
        assert 0 < len(short_label(text)) <= LABEL_LIMIT


def test_labels_of_capabilities_that_open_alike_stay_distinct() -> None:
    """Two names that open with the same verb and modifier are labelled by their nouns, not cut alike."""
    a = short_label("Includes built-in function calling")
    b = short_label("Includes built-in safety mechanisms")
    assert (a, b) == ("Function calling", "Safety mechanisms")
    assert short_label("Anthropic: Claude 3.7 Sonnet") == "Anthropic: Claude 3.7"  # names keep their head
