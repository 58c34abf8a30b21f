"""Who owns a score in a sentence: a model after its score, a lead-in phrase, the object of a comparison,
and clauses that are about speed or shares; names and numbers unlike any corpus page."""

from __future__ import annotations

from capgraph.graph.schema import Extraction
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text


def scores(extraction: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in extraction.scores}


def test_a_score_for_the_model_named_after_it() -> None:
    got = scores(parse_text("Notes.\n\nQwen 2.5 72B hits 71.1% on MMLU-Pro, versus 66.4% for Llama 3.1 70B."))
    assert got == {("qwen-2-5-72b", "mmlu-pro"): 71.1, ("llama-3-1-70b", "mmlu-pro"): 66.4}


def test_scores_in_a_lead_in_phrase_belong_to_the_subject() -> None:
    text = "Notes.\n\nWith 86.6% on HumanEval and 95.8% on GSM8K, Qwen 2.5 72B leads the open models."
    got = scores(parse_text(text))
    assert got == {("qwen-2-5-72b", "humaneval"): 86.6, ("qwen-2-5-72b", "gsm8k"): 95.8}


def test_a_speed_clause_does_not_hide_the_score_clause_and_the_object_owns_nothing() -> None:
    text = "Notes.\n\nIn our tests Qwen 2.5 72B was 12% faster than Llama 3.1 70B and scored 86.1 on MMLU."
    got = scores(parse_text(text))
    assert ("llama-3-1-70b", "mmlu") not in got
    assert ("qwen-2-5-72b", "mmlu") not in got or got[("qwen-2-5-72b", "mmlu")] == 86.1


def test_a_score_clause_beside_a_price_clause_is_read() -> None:
    text = "Notes.\n\nPricing for Gemma 2 27B is 40% lower this year, and Gemma 2 27B scores 75.2 on MMLU."
    got = scores(parse_text(text))
    assert got == {("gemma-2-27b", "mmlu"): 75.2}


def test_a_share_or_speed_percent_is_never_a_score() -> None:
    text = "Notes.\n\nOn MMLU runs, Gemma 2 27B held a 35% share of requests and ran 20% faster than Phi-3 Mini."
    assert parse_text(text).scores == []


def test_dash_separator_parenthesised_benchmarks_and_arena_elo() -> None:
    got = scores(parse_text("Notes.\n\nClaude 3.5 Sonnet — 88.7 MMLU, 59.4 GPQA."))
    assert got == {("claude-3-5-sonnet", "mmlu"): 88.7, ("claude-3-5-sonnet", "gpqa"): 59.4}
    got = scores(parse_text("Notes.\n\nQwen 2.5 72B gets 86.1 (MMLU) and 95.8 (GSM8K)."))
    assert got == {("qwen-2-5-72b", "mmlu"): 86.1, ("qwen-2-5-72b", "gsm8k"): 95.8}
    extraction = parse_text("Notes.\n\nClaude 3.5 Sonnet scored 1271 on Chatbot Arena.")
    assert [(s.value, s.unit) for s in extraction.scores] == [(1271.0, "elo")]


def test_ranges_and_minus_signs_are_still_no_scores() -> None:
    text = "Notes.\n\nOn MMLU, Gemma 2 27B lands at 74.5 – 76.0 depending on prompts, and Phi-3 Mini moved -2.5."
    assert parse_text(text).scores == []


def test_a_pair_whose_second_value_names_its_model_after_it() -> None:
    text = "Notes.\n\nIn MATH, Qwen 2.5 72B has the edge (83.1 vs 68.0 for Llama 3.1 70B)."
    got = scores(parse_text(text))
    assert got == {("qwen-2-5-72b", "math"): 83.1, ("llama-3-1-70b", "math"): 68.0}


def test_more_public_benchmarks_are_known_by_name() -> None:
    got = scores(
        parse_text("Notes.\n\nGemma 2 27B scores 57.5 on Arena-Hard and 71.4 on BFCL. On LiveBench, it gets 41.2.")
    )
    assert got == {
        ("gemma-2-27b", "arena-hard"): 57.5,
        ("gemma-2-27b", "bfcl"): 71.4,
        ("gemma-2-27b", "livebench"): 41.2,
    }


def test_a_labelled_benchmark_line_heads_the_bullets_under_it() -> None:
    text = "Results\n\nBenchmark: HumanEval\n- Qwen 2.5 72B — 86.6%\n- Llama 3.1 70B — 80.5%\n"
    got = scores(parse_text(text))
    assert got == {("qwen-2-5-72b", "humaneval"): 86.6, ("llama-3-1-70b", "humaneval"): 80.5}


def test_a_score_in_points_but_not_a_gap_in_points() -> None:
    got = scores(parse_text("Notes.\n\nGemma 2 27B scores 75.2 points on MMLU, ahead by 4.1 points."))
    assert got == {("gemma-2-27b", "mmlu"): 75.2}
