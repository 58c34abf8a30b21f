from __future__ import annotations

import pytest

from capgraph.ingest.parsers.naming import capability_name


@pytest.mark.parametrize(
    ("description", "names", "label"),
    [
        ("Integrates extended chain-of-thought reasoning directly into the function-calling execution path.",
         ["o4-mini"], "Integrates extended chain-of-thought reasoning"),
        ("Llama 4 supports long-context generation by utilizing a context window.", ["Llama 4"],
         "Supports long-context generation"),
        ("Llama 4 allows users to fine-tune the model on specific datasets, enabling customization.", ["Llama 4"],
         "Fine-tune model on specific datasets"),
        ("Automatically adjusts reasoning depth based on problem complexity.", [], "Adjusts reasoning depth"),
        ("GPT-4o's JSON mode constrains the output to valid JSON.", ["GPT-4o"], "JSON mode constrains output"),
        ("Generates code across multiple files with reasoning about consistency.", [],
         "Generates code across multiple files"),
        ("A distilled reasoning model trained specifically for mathematics.", [], "Distilled reasoning model"),
    ],
)  # fmt: skip
def test_labels(description: str, names: list[str], label: str) -> None:
    assert capability_name(description, names) == label


def test_label_length_bounds() -> None:
    for text in ("Does x.", "One two three four five six seven eight nine ten eleven.", "ok"):
        words = capability_name(text, []).split()
        assert 1 <= len(words) <= 6
