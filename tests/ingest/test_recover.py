"""Damaged layouts: glued cells, flattened tables, leaderboards, stacked lines, tiles; names; limits."""

from __future__ import annotations

import time

import pytest

from capgraph.errors import IngestError
from capgraph.graph.schema import Extraction
from capgraph.ingest.benchmarks import benchmark_key, display_name
from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers import builder as builder_module
from capgraph.ingest.resolve import default_resolver
from capgraph.ingest.vocab import canonical_attribute, iso_date, typed_value, usd_per_million


def _scores(e: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in e.scores}


def _claims(e: Extraction) -> dict[tuple[str, str], float | str | None]:
    return {(c.model_id, c.attribute): (c.number if c.number is not None else c.value) for c in e.claims}


def test_glued_header_and_rows() -> None:
    text = (
        "Orion 7B vs Vega 13B\n\nSpecs\nReleased2024-07-232023-12-11\nContext window128K32K\n"
        "Parameters70B8x7B\n\nBenchmarks\nBenchmarkOrion 7BVega 13B\nMATH-50096.4%97.3%\nHumanEval84.180.5\n"
    )
    e = parse_text(text)
    scores = _scores(e)
    assert scores[("orion-7b", "math-500")] == 96.4
    assert scores[("vega-13b", "math-500")] == 97.3
    assert scores[("vega-13b", "humaneval")] == 80.5
    claims = _claims(e)
    assert claims[("orion-7b", "context_window")] == 128000
    assert claims[("vega-13b", "context_window")] == 32000
    assert claims[("orion-7b", "release_date")] == "2024-07-23"
    assert ("orion-7b", "vega-13b") in {(c.a, c.b) for c in e.comparisons}


def test_flattened_table_with_a_winner_column() -> None:
    text = (
        "Orion 7B vs Vega 13B\n"
        "| Benchmark | Orion 7B | Vega 13B | Winner | |---|---|---|---| | MMLU (5-shot) | 68.8% | 71.3% | Vega 13B | "
        "| GPQA Diamond | 30.1% | N/A | Orion 7B |\n"
    )
    scores = _scores(parse_text(text))
    assert scores[("orion-7b", benchmark_key("MMLU"))] == 68.8
    assert scores[("vega-13b", "mmlu")] == 71.3
    assert scores[("orion-7b", "gpqa-diamond")] == 30.1
    assert ("vega-13b", "gpqa-diamond") not in scores


def test_leaderboard_on_alternating_lines() -> None:
    rows = "\n".join(f"#{i}Orion {i}B\n{90 - i}" for i in range(1, 6))
    e = parse_text(f"HumanEval leaderboard\n\n{rows}\n")
    scores = _scores(e)
    assert scores[("orion-1b", "humaneval")] == 89
    assert len(scores) == 5


def test_stacked_scores_follow_title_order() -> None:
    e = parse_text("Orion 7B vs Vega 13B\n\nKnowledge\n86\nMMLU\n87.5\n90\nAIME 2024\n-\n")
    scores = _scores(e)
    assert scores[("orion-7b", "mmlu")] == 86
    assert scores[("vega-13b", "mmlu")] == 87.5
    assert scores[("orion-7b", benchmark_key("AIME 2024"))] == 90
    assert ("vega-13b", benchmark_key("AIME 2024")) not in scores


def test_model_score_lines_under_a_heading() -> None:
    text = "Orion 7B vs Vega 13B\n\nHumanEval (Coding)\n- Orion 7B: approximately 92.0% pass@1\n- Vega 13B: 90.2%\n"
    scores = _scores(parse_text(text))
    assert scores[("orion-7b", "humaneval")] == 92.0
    assert scores[("vega-13b", "humaneval")] == 90.2


def test_spec_bullets_and_tiles_for_one_model() -> None:
    text = "Phi-3 Mini model card\n\n- Context Window: Up to 128K\n- License: Apache 2.0\nParameters\n3.8B\n"
    claims = _claims(parse_text(text))
    assert claims[("phi-3-mini", "context_window")] == 128000
    assert claims[("phi-3-mini", "license")] == "Apache 2.0"
    assert claims[("phi-3-mini", "parameters")] == 3.8e9


def test_vocabulary() -> None:
    assert canonical_attribute("Context length") == "context_window"
    assert canonical_attribute("Max output tokens") == "max_output_tokens"
    assert canonical_attribute("Input price (per 1M)") == "input_price"
    assert canonical_attribute("Knowledge cutoff") == "knowledge_cutoff"
    assert canonical_attribute("Response speed") is None
    assert usd_per_million("$3.00e-6 per prompt token") == pytest.approx(3.0)
    assert usd_per_million("$0.55 / 1M tokens") == 0.55
    assert iso_date("July 23rd, 2024") == "2024-07-23"
    assert iso_date("Dec 2023") == "2023-12"
    typed = typed_value("self_hostable", "✅ Weights released")
    assert typed is not None and typed.text == "true"


def test_benchmark_names() -> None:
    assert benchmark_key("MATH (500)") == benchmark_key("MATH-500") == benchmark_key("math 500")
    assert benchmark_key("SWE-bench Verified") == benchmark_key("SWE Bench verified")
    assert benchmark_key("GPQA Diamond") != benchmark_key("GPQA")
    assert benchmark_key("MMLU (5-shot)") == benchmark_key("MMLU")
    assert benchmark_key("GSM-8K") == benchmark_key("GSM8K")
    assert display_name("Graduate level reasoning (GPQA)") == "GPQA"
    assert display_name("MATH (500)") == "MATH-500"


def test_names() -> None:
    r = default_resolver()
    assert r.canonical("Claude 4 Sonnet").id == r.canonical("Claude Sonnet 4").id
    assert r.canonical("Claude 3.5 Sonnet").id == "claude-3-5-sonnet"
    assert len({r.canonical(n).id for n in ("o1-preview", "o1", "o1-mini")}) == 3
    assert r.canonical("DeepSeek R1").id != r.canonical("DeepSeek V3").id
    assert r.try_canonical("Claude Opus 489.4") is None
    assert r.try_canonical("Claude 73") is None


def test_no_model_is_refused_with_a_reason() -> None:
    with pytest.raises(IngestError, match="no model"):
        parse_text("Some notes about the weather.\nIt rained all day.")


def test_models_without_facts_warn() -> None:
    e = parse_text("Notes\nI tried GPT-4o yesterday.")
    assert any("no facts" in w for w in e.warnings)


def test_ten_thousand_capabilities_are_bounded() -> None:
    blocks = "\n".join(f"Feature number {i} does thing {i} well.\nUnique: it is {i}\n" for i in range(10_000))
    start = time.perf_counter()
    e = parse_text("o4-mini vs Llama 4\n" + blocks)
    assert time.perf_counter() - start < 60
    assert len(e.capabilities) <= builder_module.MAX_CAPABILITIES
    assert len(e.claims) <= builder_module.MAX_CLAIMS


def test_ten_kilobyte_model_name_is_bounded() -> None:
    name = "GPT-4o " + "X" * 10_000
    text = f"{name} vs Vega 13B\n| Feature | {name} | GPT-4o mini |\n|---|---|---|\n| Context | 8K | 4K |\n"
    start = time.perf_counter()
    e = parse_text(text)
    assert time.perf_counter() - start < 10
    assert e.models
    assert all(len(m.name) <= 200 and len(m.id) <= 200 for m in e.models)
    assert all(len(a) <= 200 for m in e.models for a in m.aliases)


def test_many_rows_stay_linear() -> None:
    rows = "\n".join(f"Bench{i}{i % 90}.5%{(i + 7) % 90}.5%" for i in range(20_000))
    text = "Orion 7B vs Vega 13B\nBenchmarkOrion 7BVega 13B\n" + rows
    start = time.perf_counter()
    e = parse_text(text)
    assert time.perf_counter() - start < 30
    assert len(e.scores) <= builder_module.MAX_SCORES


def test_models_as_rows_with_glued_cells_and_pairs() -> None:
    text = (
        "Speech systems compared\n\nModelLS cleanNoisy real-worldLanguages\n"
        "Orion 2\nOrionCorp\n2.1%7.9%19\nVega 3\nVegaSoft\n2.5%8.2%36\nLyra 4\nLyra Inc\n2.8%11.4%99\n"
    )
    e = parse_text(text)
    scores = _scores(e)
    assert scores[("orion-2", benchmark_key("LS clean"))] == 2.1
    assert scores[("lyra-4", benchmark_key("Noisy real-world"))] == 11.4
    assert not any(benchmark_key("Languages") == key for _, key in scores)
    pairs = {frozenset((c.a, c.b)) for c in e.comparisons}
    assert frozenset(("orion-2", "lyra-4")) in pairs


def test_capability_names_are_whole_phrases() -> None:
    from capgraph.ingest.parsers.naming import capability_name

    assert capability_name("Analyze screenshots of code, whiteboards, and diagrams.", ["GPT-4o"]) == (
        "Analyze screenshots of code"
    )
    name = capability_name("Claude Sonnet 4.6 implements hybrid reasoning.", ["Claude Sonnet 4", "Claude Sonnet 4.6"])
    assert not name.startswith(".")
    assert name.startswith("Implements")


def test_a_table_row_labelled_with_a_compound_name_is_not_a_header() -> None:
    """ "DeepSeek-R1 Qwen 7B | 53.3 | ...": a size stays on its number, and numeric cells make a row, so no
    "Qwen 7" or "Llama 8" is invented from it."""
    text = (
        "Distilled reasoners\n\nModel | AIME | MATH-500 |\n---|---|---|\no1-mini | 63.6 | 90.0 |\n"
        "DeepSeek-R1 Qwen 7B | 53.3 | 91.4 |\nDeepSeek-R1 Llama 8B | 43.3 | 86.9 |\n"
    )
    ids = {m.id for m in parse_text(text).models}
    assert {"deepseek-r1-qwen-7b", "deepseek-r1-llama-8b", "o1-mini"} <= ids
    assert not ids & {"qwen-7", "llama-8", "deepseek-r1"}


def test_tiles_take_dates_prices_and_license_words_but_not_rows_or_sentences() -> None:
    text = (
        "GPT-4o\n\nContext\n128K tokens\nInput\n$2.5/1M tok\nOutput\n$10/1M tok\nLicense\nproprietary\n"
        "| Release Date |\nJuly 23, 2024 |\nKnowledge Cutoff\nDecember 2023\n"
        "Modalities\nThe model reads text and images and writes text for most tasks we tried.\n"
    )
    got = {(c.attribute, c.value): c.number for c in parse_text(text).claims if c.model_id == "gpt-4o"}
    assert got[("input_price", "$2.5/1M tok")] == 2.5
    assert got[("output_price", "$10/1M tok")] == 10.0
    assert ("license", "proprietary") in got
    assert ("release_date", "2024-07-23") in got
    assert ("knowledge_cutoff", "2023-12") in got
    assert not any(attribute == "modalities" for attribute, _ in got)  # a sentence is no tile value


def test_implausible_counts_are_not_vocabulary_claims() -> None:
    assert typed_value("max_output_tokens", "3 input/output ratio") is None
    assert typed_value("parameters", "8K") is None
    assert typed_value("context_window", "128K tokens") is not None


def test_models_as_rows_with_each_row_run_together() -> None:
    """Header and rows glued: the name ends where the rest splits into one value per column."""
    text = (
        "Pricing Comparison\n\nModelContextPrompt $/MCompletion $/MCache Hit $/MNotes\n"
        "GPT-4o128K$2.50$10.00$1.25Multimodal, vision\nGPT-4.11.05M$2.00$8.00$1.00Long context, reasoning\n"
        "Claude Sonnet 4.61M$3.00$15.00$1.50Best at coding\n\nData: tracked in March.\n"
    )
    e = parse_text(text)
    got = {(c.model_id, c.attribute): c.number for c in e.claims}
    assert got[("gpt-4o", "context_window")] == 128_000
    assert got[("gpt-4-1", "context_window")] == 1_050_000
    assert got[("gpt-4-1", "input_price")] == 2.0
    assert got[("claude-sonnet-4-6", "output_price")] == 15.0
    assert not any(attribute == "input_price" and n == 1.25 for (_, attribute), n in got.items())  # cache column
    ids = {m.id for m in e.models}
    assert {"gpt-4o", "gpt-4-1", "claude-sonnet-4-6"} <= ids and not ids & {"gpt-4", "claude-sonnet-4"}
    assert frozenset({"gpt-4o", "gpt-4-1"}) in {frozenset((c.a, c.b)) for c in e.comparisons}


def test_a_crawler_url_line_is_the_address_and_its_vs_slug_names_what_is_compared() -> None:
    text = (
        "URL: https://example.com/post/choosing-a-framework-langchain-vs-crewai-vs-autogen\n\n"
        "The modern paradigm is shifting.\nThis post explores LangChain, CrewAI, and AutoGen in depth.\n"
        "Mistral and langchain users will find notes too.\n"
    )
    e = parse_text(text)
    assert e.source.url == "https://example.com/post/choosing-a-framework-langchain-vs-crewai-vs-autogen"
    assert e.source.title == "The modern paradigm is shifting."
    assert [m.name for m in e.models] == ["LangChain", "CrewAI", "AutoGen"]  # as the body spells them
    assert len(e.comparisons) == 3


def test_a_vs_slug_adds_nothing_the_body_does_not_spell_or_when_the_text_compares_already() -> None:
    unspelled = parse_text("URL: https://example.com/compare/foo-vs-bar\n\nGPT-4o is a model.\n")
    assert [m.id for m in unspelled.models] == ["gpt-4o"] and not unspelled.comparisons
    titled = parse_text(
        "URL: https://example.com/compare/gpt-4o-vs-o3\n\nGPT-4o vs Claude 3.5 Sonnet\n\nNotes on o3.\n"
    )
    assert {frozenset((c.a, c.b)) for c in titled.comparisons} == {frozenset({"gpt-4o", "claude-3-5-sonnet"})}


def test_a_column_of_names_is_no_model_and_digits_are_no_name() -> None:
    text = (
        "DeepSeek vs ChatGPT\n\n| Benchmark | DeepSeek-V3 | GPT-4o | Winner |\n|---|---|---|---|\n"
        "| MMLU | 88.5% | 87.2% | DeepSeek-V3 |\n| HumanEval | 82.6% | 90.2% | GPT-4o |\n"
    )
    e = parse_text(text)
    assert "winner" not in {m.id for m in e.models}
    assert default_resolver().try_canonical("13596") is None


def test_a_year_among_words_is_no_token_count() -> None:
    """A heading that followed a table ("What changed in 2025") is no context window of 2025 tokens."""
    assert typed_value("context_window", "What Changed Since Spring 2025") is None
    assert typed_value("parameters", "Released in 2024") is None
    bare = typed_value("context_window", "2048")
    with_unit = typed_value("context_window", "2048 tokens")
    assert bare is not None and bare.number == 2048
    assert with_unit is not None and with_unit.number == 2048
