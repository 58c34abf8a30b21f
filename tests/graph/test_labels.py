"""Short labels: the Browser's node captions (graph/labels.py)."""

from __future__ import annotations

import pytest

from capgraph.graph.labels import LABEL_LIMIT, short_label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("GPT-4o", "GPT-4o"),
        ("Processes text and image inputs", "Processes text"),
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
