"""A title's sides are names: a trailing purpose ("for large teams", "in 2025") and further "vs" sides are
not part of the second name."""

from __future__ import annotations

import pytest

from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.common import strip_purpose, vs_title


@pytest.mark.parametrize(
    ("title", "sides"),
    [
        ("Tabnine vs Codeium for large teams", ("Tabnine", "Codeium")),
        ("Jasper vs Copy.ai in 2025", ("Jasper", "Copy.ai")),
        ("Tabnine vs Codeium vs Replit Ghostwriter", ("Tabnine", "Codeium")),
        ("Whisper large-v3 vs Deepgram Nova-3", ("Whisper large-v3", "Deepgram Nova-3")),
    ],
)
def test_vs_title_sides(title: str, sides: tuple[str, str]) -> None:
    assert vs_title(title) == sides


def test_purpose_words_only_in_lower_case() -> None:
    assert strip_purpose("Notion AI For Teams") == "Notion AI For Teams"  # capitalized: part of a name
    assert strip_purpose("Notion AI for note taking") == "Notion AI"


def test_title_only_page_has_no_purpose_model() -> None:
    extraction = parse_text("Tabnine vs Codeium for large teams\n\nWe tried both for a month.\n")
    assert {m.id for m in extraction.models} == {"tabnine", "codeium"}
    assert [frozenset((c.a, c.b)) for c in extraction.comparisons] == [frozenset(("tabnine", "codeium"))]
