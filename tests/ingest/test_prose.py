"""Facts in sentences and bullet lists: scores, spec claims, attribution and the numbers that are not facts."""

from __future__ import annotations

import time

import pytest

from capgraph.graph.schema import Extraction
from capgraph.ingest import Resolver
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text


def scores(extraction: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in extraction.scores}


def claims(extraction: Extraction) -> dict[tuple[str, str], float | str]:
    out: dict[tuple[str, str], float | str] = {}
    for c in extraction.claims:
        out[(c.model_id, c.attribute)] = c.number if c.number is not None else c.value
    return out


# scores in sentences -----------------------------------------------------------------------------------
def test_benchmark_first_then_model_and_percent() -> None:
    got = scores(parse_text("Notes on two models.\n\nOn GPQA, Mistral Large 2 reaches 61.4% in our runs."))
    assert got[("mistral-large-2", "gpqa")] == 61.4


def test_score_then_on_benchmark() -> None:
    got = scores(parse_text("A short note.\n\nGemini 2.0 Flash scored 77.7% on MMLU-Pro last month."))
    assert got[("gemini-2-0-flash", "mmlu-pro")] == 77.7


def test_possessive_second_model_and_leading_model() -> None:
    text = "Two models.\n\nOn MMLU, Llama 3.1 70B leads with 83.6, a bit above Gemma 2 27B's 75.2."
    got = scores(parse_text(text))
    assert got[("llama-3-1-70b", "mmlu")] == 83.6
    assert got[("gemma-2-27b", "mmlu")] == 75.2


def test_benchmark_carried_to_following_sentences_of_the_paragraph() -> None:
    text = "Results.\n\nWe ran HumanEval on all of them. Qwen 2.5 72B lands at 86.6%. Llama 3.1 8B follows at 72.6%."
    got = scores(parse_text(text))
    assert got[("qwen-2-5-72b", "humaneval")] == 86.6
    assert got[("llama-3-1-8b", "humaneval")] == 72.6


def test_respectively_maps_numbers_onto_benchmarks_in_order() -> None:
    text = "Results.\n\nOn MMLU and GPQA, Phi-3 Mini posts 68.8 and 30.2 respectively."
    got = scores(parse_text(text))
    assert got[("phi-3-mini", "mmlu")] == 68.8
    assert got[("phi-3-mini", "gpqa")] == 30.2


def test_vs_pair_maps_onto_two_models_in_order() -> None:
    text = "Results.\n\nGemma 2 9B edges Phi-3 Mini on grade-school math (76.7 vs 75.6 on GSM8K)."
    got = scores(parse_text(text))
    assert got[("gemma-2-9b", "gsm8k")] == 76.7
    assert got[("phi-3-mini", "gsm8k")] == 75.6


# bullets ----------------------------------------------------------------------------------------------
def test_bullets_under_a_benchmark_heading() -> None:
    text = (
        "Mistral Large 2 vs Llama 3.1 70B\n\nHellaSwag (Commonsense)\nA test of sentence completion.\n"
        "- Mistral Large 2: ~87.1%\n- Llama 3.1 70B: approximately 86.0\n"
    )
    got = scores(parse_text(text))
    assert got[("mistral-large-2", "hellaswag")] == 87.1
    assert got[("llama-3-1-70b", "hellaswag")] == 86.0


def test_bullets_under_a_model_heading() -> None:
    text = "Phi-3 Mini vs Gemma 2 9B\n\nGemma 2 9B Highlights\n- MMLU: 71.3%\n- ARC-Challenge: 68.4%\n"
    got = scores(parse_text(text))
    assert got[("gemma-2-9b", "mmlu")] == 71.3
    assert got[("gemma-2-9b", "arc-challenge")] == 68.4


# numbers that are not scores --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "On MMLU, Phi-3 Mini scores over 68%.",
        "On MMLU, Phi-3 Mini scores above 68.5%.",
        "On MMLU, Phi-3 Mini scores 68%+ in most runs.",
        "On MMLU, Phi-3 Mini improved by 4.5% this year.",
        "On MMLU, Phi-3 Mini is 40% cheaper than last year.",
        "Phi-3 Mini ranked #1 on MMLU in 2024.",
        "Phi-3 Mini supports 12 languages on MMLU tasks.",
        "On MMLU, Phi-3 Mini beats Gemma 2 9B with 69.1%.",
        "On MMLU, Phi-3 Mini and Gemma 2 9B score 69.1%.",
        "Phi-3 Mini reaches 69.1% of its target.",
    ],
)
def test_bounds_changes_ranks_counts_and_ambiguity_are_skipped(sentence: str) -> None:
    got = scores(parse_text("Notes.\n\n" + sentence))
    assert ("phi-3-mini", "mmlu") not in got
    assert ("gemma-2-9b", "mmlu") not in got


def test_version_inside_a_name_is_not_a_score() -> None:
    got = scores(parse_text("Notes.\n\nOn MMLU, GPT-4.1 mini was tested."))
    assert got == {}


# spec claims ------------------------------------------------------------------------------------------
def test_total_and_active_parameters_and_context_window() -> None:
    text = "Notes.\n\nDeepSeek V3 has 671B total parameters, 37B active, and a 128K context window."
    got = claims(parse_text(text))
    assert got[("deepseek-v3", "parameters")] == 671e9
    assert got[("deepseek-v3", "active_parameters")] == 37e9
    assert got[("deepseek-v3", "context_window")] == 128_000


def test_respectively_parameter_lists() -> None:
    text = (
        "Notes.\n\nDeepSeek V3 and DeepSeek V2 are MoE models activating 37 billion and 21 billion parameters "
        "respectively, with total parameter counts reaching 671 billion and 236 billion."
    )
    got = claims(parse_text(text))
    assert got[("deepseek-v3", "active_parameters")] == 37e9
    assert got[("deepseek-v2", "active_parameters")] == 21e9
    assert got[("deepseek-v3", "parameters")] == 671e9
    assert got[("deepseek-v2", "parameters")] == 236e9


def test_context_for_a_model_named_after_the_value() -> None:
    text = "Notes.\n\nGemma 2 9B offers a context window of 8,192 tokens, compared with 128K for Phi-3 Mini."
    got = claims(parse_text(text))
    assert got[("gemma-2-9b", "context_window")] == 8192
    assert got[("phi-3-mini", "context_window")] == 128_000


def test_prices_need_a_side_for_input_and_output() -> None:
    text = (
        "Notes.\n\nMistral Large 2 costs $2 per million input tokens and $6 per million output tokens. "
        "Gemma 2 9B runs at $0.20 / 1M tokens."
    )
    got = claims(parse_text(text))
    assert got[("mistral-large-2", "input_price")] == 2.0
    assert got[("mistral-large-2", "output_price")] == 6.0
    assert ("gemma-2-9b", "input_price") not in got
    assert ("gemma-2-9b", "output_price") not in got


def test_license_open_weights_and_release_date() -> None:
    text = "Notes.\n\nMistral 7B is an open-weight model released under the Apache 2.0 license on September 27, 2023."
    got = claims(parse_text(text))
    assert got[("mistral-7b", "license")] == "Apache 2.0"
    assert got[("mistral-7b", "open_weights")] == "true"
    assert got[("mistral-7b", "release_date")] == "2023-09-27"


def test_single_size_in_a_list_is_not_the_model_size() -> None:
    text = "Notes.\n\nQwen 2.5 72B belongs to a family with 7B, 14B, and 72B parameter sizes."
    got = claims(parse_text(text))
    assert ("qwen-2-5-72b", "parameters") not in got


def test_prose_does_not_override_a_table_value() -> None:
    text = (
        "| Spec | Gemma 2 9B | Phi-3 Mini |\n|---|---|---|\n| Context window | 8K | 128K |\n\n"
        "Gemma 2 9B now ships with a 32K context window."
    )
    got = claims(parse_text(text))
    assert got[("gemma-2-9b", "context_window")] == 8000


def test_long_hostile_line_stays_fast() -> None:
    text = "Notes.\n\n" + ("On MMLU, GPT-4o scores 88.7% and " * 400) + "\n" + ("9" * 50_000)
    started = time.perf_counter()
    parse_text(text)
    assert time.perf_counter() - started < 5.0


def test_benchmark_named_right_after_each_score() -> None:
    got = scores(parse_text("Notes.\n\nMistral Large 2: 84.0% MMLU, 35.1% GPQA."))
    assert got[("mistral-large-2", "mmlu")] == 84.0
    assert got[("mistral-large-2", "gpqa")] == 35.1


def test_elo_stated_before_the_number() -> None:
    got = scores(parse_text("Notes.\n\nGemini 1.5 Pro holds an Elo of 1260 on Chatbot Arena."))
    assert got[("gemini-1-5-pro", "chatbot-arena")] == 1260


def test_price_pair_and_tokens_of_context() -> None:
    text = "Notes.\n\nGemini 1.5 Pro costs $1.25/$5 per million tokens and reads up to 2 million tokens of context."
    got = claims(parse_text(text))
    assert got[("gemini-1-5-pro", "input_price")] == 1.25
    assert got[("gemini-1-5-pro", "output_price")] == 5.0
    assert got[("gemini-1-5-pro", "context_window")] == 2e6


def test_bare_integer_only_after_a_score_verb_or_hedge() -> None:
    got = scores(parse_text("Notes.\n\nOn MMLU, Gemma 2 9B sits at 71 while Phi-3 Mini has 12 layers of 69."))
    assert got[("gemma-2-9b", "mmlu")] == 71
    assert ("phi-3-mini", "mmlu") not in got


def test_ranges_are_not_values() -> None:
    got = scores(parse_text("Notes.\n\nOn MMLU, Gemma 2 9B scores approximately 70–72 in our runs."))
    assert ("gemma-2-9b", "mmlu") not in got


def test_single_model_page_sentences_without_a_name() -> None:
    text = (
        "Mistral 7B model card\n\nMistral 7B is a 7-billion parameter language model. It reads 32,768 tokens "
        "of context.\nReleased on September 27, 2023, its weights are downloadable from the hub."
    )
    got = claims(parse_text(text))
    assert got[("mistral-7b", "parameters")] == 7e9
    assert got[("mistral-7b", "context_window")] == 32768
    assert got[("mistral-7b", "release_date")] == "2023-09-27"
    assert got[("mistral-7b", "open_weights")] == "true"


def test_respectively_with_benchmarks_after_the_numbers() -> None:
    got = scores(parse_text("Notes.\n\nPhi-3 Mini scores 68.8 and 30.2 on MMLU and GPQA respectively."))
    assert got[("phi-3-mini", "mmlu")] == 68.8
    assert got[("phi-3-mini", "gpqa")] == 30.2


def test_single_model_page_does_not_take_another_products_facts() -> None:
    text = "Mistral 7B model card\n\nBy contrast, Claude offers a 200K context window."
    got = claims(parse_text(text))
    assert ("mistral-7b", "context_window") not in got


def test_a_date_between_two_models_does_not_settle_the_owner() -> None:
    got = scores(parse_text("Notes.\n\nOn MMLU, Phi-3 Mini (April 2024) beats Gemma 2 9B with 69.1%."))
    assert ("gemma-2-9b", "mmlu") not in got
    assert ("phi-3-mini", "mmlu") not in got


def test_a_heading_benchmark_does_not_reach_far_prose() -> None:
    filler = "We describe the setup of the evaluation in some detail here so that it can be repeated later on."
    far = "In our own coding test, unrelated to the benchmark above, Phi-3 Mini reached 61.2% in two days."
    text = f"Notes.\n\nMMLU\n{filler}\n{filler}\n{filler}\n{far}"
    got = scores(parse_text(text))
    assert ("phi-3-mini", "mmlu") not in got


def test_a_benchmark_label_owns_the_value_after_it_not_before() -> None:
    """A flattened row: the leading value belongs to a column we cannot see, "Label: value" pairs bind forward."""
    got = scores(parse_text("Results\n\nGPT-4.1 90.2% SWE-Bench: 54.6% GPQA: 66.3% Supported 1M tokens\n"))
    assert got[("gpt-4-1", "swe-bench")] == 54.6
    assert got[("gpt-4-1", "gpqa")] == 66.3
    assert 90.2 not in {v for (m, b), v in got.items() if b in {"swe-bench", "gpqa"}}


def test_model_token_lines_under_a_context_window_heading() -> None:
    text = (
        "Notes on limits.\n\nContext Window at a Glance\n\nNova 3 Pro 10M tokens\nLargest\nOrion 5.4 1M tokens\n"
        "Vega 4.6 (legacy) 200K tokens\n\nPricing Overview\n\nOrion 5.4 2M tokens per day\n"
    )
    got = claims(
        parse_text(
            text, resolver=Resolver({"Nova 3 Pro": "Nova 3 Pro", "Orion 5.4": "Orion 5.4", "Vega 4.6": "Vega 4.6"})
        )
    )
    assert got[("nova-3-pro", "context_window")] == 10_000_000
    assert got[("orion-5-4", "context_window")] == 1_000_000
    assert got[("vega-4-6", "context_window")] == 200_000
