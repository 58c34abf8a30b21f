"""The pair convention: a table of at most MAX_PAIRED_MODELS models pairs every two of them; a wider one
is a ranking and pairs none, whatever reader found it (feature table, board, prose list)."""

from __future__ import annotations

from itertools import combinations

from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.builder import MAX_PAIRED_MODELS

NAMES = ["GPT-4o", "Claude 3 Opus", "Gemma 2 9B", "Qwen 2.5 7B", "Llama 3 8B", "DeepSeek V3", "Mistral Large 2"]


def _feature_table(names: list[str]) -> str:
    header = "| Attribute | " + " | ".join(names) + " |"
    rule = "|" + "---|" * (len(names) + 1)
    rows = [
        "| Context window | " + " | ".join(f"{32 * (k + 1)}K" for k in range(len(names))) + " |",
        "| Open weights | " + " | ".join("Yes" if k % 2 else "No" for k in range(len(names))) + " |",
    ]
    return "\n".join(["# Spec sheet for assorted assistants", "", header, rule, *rows, ""])


def _pairs(text: str) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in parse_text(text).comparisons}


def test_small_feature_table_pairs_every_two_columns() -> None:
    names = NAMES[:3]
    extraction = parse_text(_feature_table(names))
    ids = {m.id for m in extraction.models}
    assert len(ids) == 3
    assert _pairs(_feature_table(names)) == {frozenset(p) for p in combinations(sorted(ids), 2)}


def test_wide_feature_table_pairs_nothing_but_keeps_its_facts() -> None:
    assert len(NAMES) > MAX_PAIRED_MODELS
    text = _feature_table(NAMES)
    extraction = parse_text(text)
    assert len(extraction.models) == len(NAMES)
    assert extraction.comparisons == []
    assert sum(c.attribute == "context_window" for c in extraction.claims) == len(NAMES)


def test_wide_table_keeps_the_title_pair() -> None:
    text = _feature_table(NAMES).replace("# Spec sheet for assorted assistants", "# GPT-4o vs Claude 3 Opus")
    pairs = _pairs(text)
    assert len(pairs) == 1
    assert {"gpt-4o"} < next(iter(pairs))


def test_prose_list_of_many_models_pairs_nothing() -> None:
    few = "We put GPT-4o against Claude 3 Opus and Gemma 2 9B on our own tasks.\n"
    many = "We compared " + ", ".join(NAMES[:-1]) + " and " + NAMES[-1] + " on our own tasks.\n"
    assert len(_pairs("# Notes\n\n" + few)) in (2, 3)
    assert _pairs("# Notes\n\n" + many) == set()
