"""'context' names the context window only on its own or with window/length/size; before a task word
('Long-Context Recall') it is part of a benchmark's name."""

from __future__ import annotations

import pytest

from capgraph.ingest.parse import parse_text
from capgraph.ingest.vocab import canonical_attribute


@pytest.mark.parametrize("label", ["Context", "Context size", "Max context", "Context (tokens)", "Context limit"])
def test_window_labels(label: str) -> None:
    assert canonical_attribute(label) == "context_window"


@pytest.mark.parametrize("label", ["Long-Context Recall", "In-context learning", "Context handling"])
def test_task_labels(label: str) -> None:
    assert canonical_attribute(label) is None


def test_long_context_task_scores_are_read() -> None:
    page = """# Grading Phi-4 and Gemma 2 27B

Long-Context Recall - Winner: Phi-4 (narrow)

Both kept most facts from the long files we used.

Score: Phi-4 81/100 · Gemma 2 27B 77/100
"""
    scores = {(s.model_id, s.benchmark): s.value for s in parse_text(page).scores}
    assert scores == {("phi-4", "Long-Context Recall"): 81, ("gemma-2-27b", "Long-Context Recall"): 77}
