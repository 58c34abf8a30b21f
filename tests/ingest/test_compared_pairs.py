"""Which models a page puts side by side: comparative sentences (`parsers/prose_pairs.py`) and lists a page
says it compares (`parsers/listed_names.py`). Texts are our own; each compared case failed before."""

from __future__ import annotations

import pytest

from capgraph.graph.schema import Extraction
from capgraph.ingest.parse import parse_text


def pairs(extraction: Extraction) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in extraction.comparisons}


def pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


# Lines before the sentence, so the title rules (first lines) play no part.
OPENING = "Notes from the lab\n\nWeek 12.\n\nWe ran our own prompts.\n\nHere is what we saw.\n\nMore next week.\n\n"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Mixtral 8x7B outperforms Llama 2 70B on most tasks we ran.", {pair("mixtral-8x7b", "llama-2-70b")}),
        ("In our runs Claude Sonnet 4 at $3 per million tokens beat GPT-4.1 by a wide margin.",
         {pair("claude-sonnet-4", "gpt-4-1")}),
        ("Qwen 2.5 72B offers the longer window at 128K, compared with 32K for Mistral Small 3.1.",
         {pair("qwen-2-5-72b", "mistral-small-3-1")}),
        ("o3-mini is about 60% cheaper than o1 for the same prompts.", {pair("o3-mini", "o1")}),
        ("This week we set Phi-4 against the usual small models: Gemma 3 and Llama 3.2 3B.",
         {pair("phi-4", "gemma-3"), pair("phi-4", "llama-3-2-3b")}),
        ("Gemini 2.0 Flash and GPT-4o mini both trail DeepSeek-V3 on our math set.",
         {pair("gemini-2-0-flash", "deepseek-v3"), pair("gpt-4o-mini", "deepseek-v3")}),
        ("Compared to Llama 3.1 8B, Gemma 2 9B answered more of the trivia questions.",
         {pair("llama-3-1-8b", "gemma-2-9b")}),
        ("Grok 3 vs Claude 3.7 Sonnet?", {pair("grok-3", "claude-3-7-sonnet")}),
    ],
)  # fmt: skip
def test_a_comparative_sentence_pairs_its_sides(sentence: str, expected: set[frozenset[str]]) -> None:
    got = parse_text(OPENING + sentence + "\n")
    assert pairs(got) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # the sides are in different sentences
        "Llama 3.3 70B is our default. It is 40% cheaper than the API we used before, and GPT-4o stays for vision.",
        # a colon after a name starts a new clause: "vs" there names no pair with the model after it
        "Llama 3 vs others: GPT-4o is the one we kept for vision work.",
        # the object is far away from the cue
        "Phi-4 is better than what we expected from a model of that size when we first heard of it from GPT-4o.",
        # the subject sits in another clause
        "We liked Gemma 3; still the rest of our list is stronger than GPT-4o on latency.",
    ],
)
def test_no_pair_without_both_sides_around_the_cue(sentence: str) -> None:
    got = parse_text(OPENING + sentence + "\n")
    assert pairs(got) == set()


def test_a_dated_snapshot_table_does_not_take_the_pair_from_its_base() -> None:
    text = (
        "Scoring run\n\nWe compare o1-mini against two standard models: GPT-4o and GPT-4o mini.\n\n"
        "| Model ID | Score |\n|---|---|\n| o1-mini-2024-09-12 | 4.8 |\n| gpt-4o-2024-08-06 | 3.9 |\n"
    )
    got = pairs(parse_text(text))
    assert {pair("o1-mini", "gpt-4o"), pair("o1-mini", "gpt-4o-mini")} <= got


def test_a_list_after_a_comparison_word_is_compared() -> None:
    text = (
        "Team notes\n\nThis is a comparison of three hosted models we tried in spring 2026: Gemini 2.5 Flash "
        "(Google), Claude Sonnet 4 (Anthropic), and GPT-4.1 (OpenAI).\nEach has its place.\n"
    )
    got = parse_text(text)
    assert {m.id for m in got.models} == {"gemini-2-5-flash", "claude-sonnet-4", "gpt-4-1"}  # no "Gemini 2"
    assert pairs(got) == {
        pair("gemini-2-5-flash", "claude-sonnet-4"),
        pair("gemini-2-5-flash", "gpt-4-1"),
        pair("claude-sonnet-4", "gpt-4-1"),
    }


def test_a_title_list_ending_in_compared_is_compared() -> None:
    text = "Local models in 2026: Phi-4, Qwen-2.5-7B, Llama 3.3-8B Compared\n\nShort notes follow.\n"
    got = parse_text(text)
    assert {m.id for m in got.models} == {"phi-4", "qwen-2-5-7b", "llama-3-3-8b"}  # no "Qwen-2" or "Compared"
    assert len(pairs(got)) == 3


def test_a_list_without_a_comparison_word_is_not_compared() -> None:
    text = "Team notes\n\nModels we host today: Gemini 2.5 Flash, Claude Sonnet 4 and GPT-4.1.\nMore soon.\n"
    got = parse_text(text)
    assert {m.id for m in got.models} == {"gemini-2-5-flash", "claude-sonnet-4", "gpt-4-1"}
    assert pairs(got) == set()


def test_a_list_after_comparing_in_a_sentence_is_compared() -> None:
    text = OPENING + (
        "This post is comparing the accuracy of Mistral Small 3.1, Gemma 3 & Phi-4, and Qwen 2.5 14B on our "
        "support tickets.\n"
    )
    got = pairs(parse_text(text))
    assert got == {
        pair(a, b)
        for k, a in enumerate(["mistral-small-3-1", "gemma-3", "phi-4", "qwen-2-5-14b"])
        for b in ["mistral-small-3-1", "gemma-3", "phi-4", "qwen-2-5-14b"][k + 1 :]
    }


def test_a_linked_teaser_on_a_page_about_other_models_is_no_pair() -> None:
    text = (
        "Small models on a budget\n\n| Model | HellaSwag |\n|---|---|\n| Mistral 7B | 81.0 |\n| Gemma 2 | 86.0 |\n\n"
        + OPENING
        + "Read next: Compare Claude 3.5 Sonnet and GPT-4o for writing.\n"
    )
    got = parse_text(text)
    assert {m.id for m in got.models} == {"mistral-7b", "gemma-2"}
    assert pairs(got) == {pair("mistral-7b", "gemma-2")}


def _board(rows: list[tuple[str, str, str]]) -> str:
    lines = ["Our reasoning board", "", "| Model | GPQA | AIME |", "|---|---|---|"]
    lines += [f"| {name} | {gpqa} | {aime} |" for name, gpqa, aime in rows]
    return "\n".join(lines) + "\n"


BOARD = [
    ("GPT-4o", "51.0", "12.0"), ("Claude 3.5 Sonnet", "60.0", "15.0"), ("Gemini 1.5 Pro", "58.0", "-"),
    ("Llama 3.1 405B", "50.0", "-"), ("Mistral Large 2", "47.0", "-"), ("Qwen 2.5 72B", "49.0", "22.0"),
    ("DeepSeek-V3", "59.0", "38.0"), ("Grok 3", "70.0", "50.0"),
]  # fmt: skip


def test_a_board_of_more_than_six_models_pairs_none_of_them_even_on_a_sparse_column() -> None:
    got = parse_text(_board(BOARD))
    assert len({s.model_id for s in got.scores if s.benchmark == "AIME"}) == 5  # a column of five: was paired
    assert pairs(got) == set()


def test_a_small_table_still_pairs_every_scored_model() -> None:
    got = parse_text(_board(BOARD[:4]))
    assert len(pairs(got)) == 6
