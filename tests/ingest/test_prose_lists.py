"""Score runs in sentences mapped in order onto lists of names, with names and numbers unlike any corpus page."""

from __future__ import annotations

from capgraph.graph.schema import Extraction
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text


def scores(extraction: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in extraction.scores}


def test_two_models_and_two_scores_without_respectively() -> None:
    got = scores(parse_text("Notes.\n\nOn GPQA, Gemma 2 27B and Llama 3.1 70B scored 42.3 and 46.7 in our run."))
    assert got[("gemma-2-27b", "gpqa")] == 42.3
    assert got[("llama-3-1-70b", "gpqa")] == 46.7


def test_three_models_three_scores_in_order() -> None:
    text = "Notes.\n\nIn HellaSwag, Qwen 2.5 7B, Mistral 7B and Phi-3 Mini reach 80.2%, 81.3% and 76.7%."
    got = scores(parse_text(text))
    assert got[("qwen-2-5-7b", "hellaswag")] == 80.2
    assert got[("mistral-7b", "hellaswag")] == 81.3
    assert got[("phi-3-mini", "hellaswag")] == 76.7


def test_one_model_scores_on_benchmarks_named_after_with_a_long_name() -> None:
    got = scores(parse_text("Notes.\n\nGemma 2 27B scored 42.3 and 61.2 on GPQA and MMLU-Pro respectively."))
    assert got == {("gemma-2-27b", "gpqa"): 42.3, ("gemma-2-27b", "mmlu-pro"): 61.2}


def test_one_model_scores_on_coordinated_benchmarks_without_respectively() -> None:
    got = scores(parse_text("Notes.\n\nMistral Large 2 posts 84.0 and 92.1 on MMLU and HumanEval."))
    assert got == {("mistral-large-2", "mmlu"): 84.0, ("mistral-large-2", "humaneval"): 92.1}


def test_counts_that_do_not_match_add_nothing_in_order() -> None:
    text = "Notes.\n\nOn GPQA, Gemma 2 27B, Llama 3.1 70B and Qwen 2.5 72B scored 42.3 and 46.7."
    got = scores(parse_text(text))
    assert ("qwen-2-5-72b", "gpqa") not in got or got[("qwen-2-5-72b", "gpqa")] != 42.3
    assert got.get(("gemma-2-27b", "gpqa")) != 46.7
