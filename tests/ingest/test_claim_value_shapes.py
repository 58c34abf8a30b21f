"""Spec cells whose value shape decides the claim: prices under token columns, discounted rates, total and
active counts in one cell, ranges, expert counts and worked cost examples. Own names and numbers."""

from __future__ import annotations

from capgraph.graph.schema import Extraction
from capgraph.ingest.parse import parse_text


def claims(extraction: Extraction) -> dict[tuple[str, str], set[float | str]]:
    """Every value stated per (model, attribute): a wrong second value shows beside the right one."""
    out: dict[tuple[str, str], set[float | str]] = {}
    for c in extraction.claims:
        out.setdefault((c.model_id, c.attribute), set()).add(c.number if c.number is not None else c.value)
    return out


def test_a_price_under_a_token_column_is_that_side_price_and_cached_rates_are_not() -> None:
    text = (
        "Rates\n\n"
        "| Model | Base Input Tokens | Cache Hits | Cached input price | Output Tokens |\n"
        "|---|---|---|---|---|\n"
        "| Claude Opus 4 | $14 / MTok | $1.40 / MTok | $1.40 / MTok | $70 / MTok |\n"
        "| Claude Haiku 3 | $0.20 / MTok | $0.02 / MTok | $0.02 / MTok | $1.10 / MTok |\n"
    )
    got = claims(parse_text(text))
    assert got[("claude-opus-4", "input_price")] == {14.0}
    assert got[("claude-opus-4", "output_price")] == {70.0}
    assert got[("claude-haiku-3", "input_price")] == {0.2}
    assert got[("claude-haiku-3", "output_price")] == {1.1}
    assert ("claude-opus-4", "max_output_tokens") not in got


def test_total_and_active_counts_in_one_cell() -> None:
    text = (
        "Sizes\n\n| Model | Parameters |\n|---|---|\n"
        "| Llama 4 Scout | 16B active / 108B total |\n"
        "| Mixtral 8x22B | 38B active parameters out of 140B |\n"
        "| Qwen 3 235B | 234B total (21B active MoE) |\n"
    )
    got = claims(parse_text(text))
    assert got[("llama-4-scout", "active_parameters")] == {16e9}
    assert got[("llama-4-scout", "parameters")] == {108e9}
    assert got[("mixtral-8x22b", "active_parameters")] == {38e9}
    assert got[("mixtral-8x22b", "parameters")] == {140e9}
    assert got[("qwen-3-235b", "parameters")] == {234e9}
    assert got[("qwen-3-235b", "active_parameters")] == {21e9}


def test_ranges_and_expert_counts_are_no_parameter_count() -> None:
    text = (
        "Sizes\n\n| Model | Parameters | Context Window |\n|---|---|---|\n"
        "| Llama 3 | 60-300 billion | 8K |\n"
        "| Mixtral 8x7B | 8x7B | 16-32,000 tokens |\n"
        "| Grok 1 | 11.5B x8 (MoE) | 8K |\n"
    )
    got = claims(parse_text(text))
    assert ("llama-3", "parameters") not in got
    assert ("mixtral-8x7b", "parameters") not in got
    assert ("mixtral-8x7b", "context_window") not in got
    assert ("grok-1", "parameters") not in got
    assert got[("llama-3", "context_window")] == {8000}


def test_a_worked_cost_example_gives_only_its_unit_price() -> None:
    text = (
        "Cost walk-through\n\nGPT-4o:\n\n"
        "  • Input: 6,000 tokens × $2.40/M = $0.0144\n"
        "  • Prompt (about 900 tokens/query): 300 queries × 900 tokens = 270K tokens = $0.65\n"
    )
    got = claims(parse_text(text))
    assert got[("gpt-4o", "input_price")] == {2.4}


def test_one_cell_speaks_for_several_models_named_beside_their_values() -> None:
    text = (
        "Family cards\n\n"
        "Gemma and Llama at a glance\n"
        "Context LengthLlama 3.1: 64K; Llama 4: 8M tokens (Scout), 2M (Maverick)\n"
        "ParametersLlama 3: 9B, 72B; Mixtral 8x7B (46B total, 12B active), Mixtral 8x22B (140B total, 38B active)\n"
        "- License: Apache 2.0 (Mistral 7B, Mixtral 8x7B); MIT (Phi-4)\n"
    )
    got = claims(parse_text(text))
    assert got[("llama-3-1", "context_window")] == {64_000}
    assert got[("llama-4-scout", "context_window")] == {8e6}
    assert got[("llama-4-maverick", "context_window")] == {2e6}
    assert got[("mixtral-8x7b", "parameters")] == {46e9}
    assert got[("mixtral-8x7b", "active_parameters")] == {12e9}
    assert got[("mixtral-8x22b", "active_parameters")] == {38e9}
    assert got[("mistral-7b", "license")] == {"Apache 2.0"}
    assert got[("mixtral-8x7b", "license")] == {"Apache 2.0"}
    assert got[("phi-4", "license")] == {"MIT"}
    assert ("llama-3", "parameters") not in got  # a family listing its sizes states no one count
    assert ("llama-4", "context_window") not in got


def test_a_model_heading_with_a_gloss_owns_the_lines_under_it() -> None:
    text = (
        "GPT-4o vs Gemini 2.5 Flash: costs and lineup\n\nGemini 2.5 Flash:\n\n  • Input: 4,000 × $0.30/M = $0.0012\n\n"
        "Lineup\n\nGPT-4o (latest, omni):\n\n  • Released: May 2024\n  • Context: 120K tokens\n"
    )
    got = claims(parse_text(text))
    assert got[("gpt-4o", "release_date")] == {"2024-05"}
    assert got[("gpt-4o", "context_window")] == {120_000}
    assert ("gemini-2-5-flash", "release_date") not in got
    assert ("gemini-2-5-flash", "context_window") not in got


def test_a_lower_case_trailer_goes_on_with_the_last_value_of_a_row() -> None:
    text = (
        "Llama 3.1 405B vs Mixtral 8x22B\n\nSpecification Llama 3.1 405B Mixtral 8x22B\n"
        "Context Window 128K tokens 64K tokens\n"
        "Number of parameters 405B 38B active parameters out of 140B\n"
    )
    got = claims(parse_text(text))
    assert got[("llama-3-1-405b", "parameters")] == {405e9}
    assert got[("mixtral-8x22b", "parameters")] == {140e9}
    assert got[("mixtral-8x22b", "active_parameters")] == {38e9}


def test_glued_spec_rows_split_by_value_shapes() -> None:
    text = (
        "Pricing by model\n\n"
        "ModelContextInput $/MOutput $/MThroughputMax Output\n"
        "Claude Opus 4.61M$4.00$22.0031 tok/s96K\n"
        "Claude Haiku 4.5200K$0.90$4.5047 tok/s48K\n"
        "Gemini 2.0 Flash1M+$0.075$0.3090 tok/s8K\n"
    )
    got = claims(parse_text(text))
    assert got[("claude-opus-4-6", "context_window")] == {1e6}
    assert got[("claude-opus-4-6", "output_price")] == {22.0}
    assert got[("claude-opus-4-6", "max_output_tokens")] == {96_000}
    assert got[("claude-haiku-4-5", "context_window")] == {200_000}
    assert got[("claude-haiku-4-5", "output_price")] == {4.5}
    assert got[("gemini-2-0-flash", "input_price")] == {0.075}
    assert got[("gemini-2-0-flash", "output_price")] == {0.3}


def test_a_row_of_provider_columns_with_models_named_in_each_cell() -> None:
    text = (
        "Three vendors\n\n"
        "| Dimension | OpenAI (GPT-4.1 / o3) | Google (Gemini 2.5 Pro) |\n|---|---|---|\n"
        "| Context Window | 900K tokens (GPT-4.1), 190K (o3) | 1M tokens |\n"
        "| Price (input/output) | $2.50 / $9 (GPT-4.1), $11 / $44 (o3) | $1.10 / $9.50 (Gemini 2.5 Pro) |\n"
    )
    got = claims(parse_text(text))
    assert got[("gpt-4-1", "context_window")] == {900_000}
    assert got[("o3", "context_window")] == {190_000}
    assert got[("gpt-4-1", "input_price")] == {2.5}
    assert got[("gpt-4-1", "output_price")] == {9.0}
    assert got[("o3", "output_price")] == {44.0}
    assert got[("gemini-2-5-pro", "output_price")] == {9.5}


def test_value_tiles_whose_labels_name_their_model_or_a_vendor() -> None:
    text = (
        "Mistral Large 2 vs Llama 4 Maverick\n\nUpdated May\n"
        "120B\nMistral Large 2 Parameters\n390B\nLlama 4 Maverick Params\n"
        "96K\nMistral Context Window\n"
    )
    got = claims(parse_text(text))
    assert got[("mistral-large-2", "parameters")] == {120e9}
    assert got[("llama-4-maverick", "parameters")] == {390e9}
    assert ("llama-4-maverick", "context_window") not in got  # "Mistral Context Window" is not its tile


def test_glued_rows_with_a_maker_column_and_a_sentence_that_is_no_row() -> None:
    text = (
        "Quick overview\n\n"
        "ModelProviderContext WindowInput (per 1M tokens)Output (per 1M tokens)\n"
        "GPT-4.1 miniOpenAI900K$0.35$1.50\n"
        "Claude Sonnet 4Anthropic190K$2.80$14.00\n"
        "Batching reduces input costs by up to 50% for repeated prompts and context.\n"
    )
    extraction = parse_text(text)
    got = claims(extraction)
    assert got[("gpt-4-1-mini", "context_window")] == {900_000}
    assert got[("gpt-4-1-mini", "output_price")] == {1.5}
    assert got[("claude-sonnet-4", "input_price")] == {2.8}
    assert not any(m.id.startswith("batching") for m in extraction.models)
