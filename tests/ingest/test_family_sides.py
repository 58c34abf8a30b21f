"""A bare family word in a title stands for the family's models named on the page, not for a model."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text

FAMILIES_PAGE = """# Llama vs Qwen: which open family to pick in 2025

| Spec | Llama 3.1 8B | Qwen 2.5 7B |
|---|---|---|
| Context window | 128K | 128K |
| Parameters | 8B | 7.6B |
"""

LONE_FAMILY_PAGE = """# Claude vs GPT-4o for support chat

Claude answered 41 of our 50 tickets well; GPT-4o answered 37 of them well.
"""


def _pairs(text: str) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in parse_text(text).comparisons}


def test_family_words_give_no_pair_beside_versioned_models() -> None:
    extraction = parse_text(FAMILIES_PAGE)
    ids = {m.id for m in extraction.models}
    assert {"llama-3-1-8b", "qwen-2-5-7b"} <= ids
    assert "llama" not in ids and "qwen" not in ids
    assert _pairs(FAMILIES_PAGE) == {frozenset(("llama-3-1-8b", "qwen-2-5-7b"))}


def test_a_family_alone_on_its_page_is_still_compared() -> None:
    assert frozenset(("claude", "gpt-4o")) in _pairs(LONE_FAMILY_PAGE)
