"""Tokens for jargon, and typed constraints parsed from queries and checked against claims."""

from __future__ import annotations

import pytest

from capgraph.graph.search.constraints import (
    CONSUMER_GPU_MAX_PARAMS,
    SINGLE_GPU_MAX_PARAMS,
    Constraint,
    check,
    parse_constraints,
)
from capgraph.graph.search.records import Catalog
from capgraph.graph.search.text import concepts, expand_for_dense, tokens


def test_tokens_keep_compounds_parts_and_abbreviated_numbers() -> None:
    got = tokens("GPT-4o has a 128,000-token window and Llama-3.1-8B models")
    for t in ("gpt-4o", "gpt", "4o", "128000", "128k", "token", "window", "llama-3.1-8b", "8b", "model"):
        assert t in got, t
    assert "a" not in got and "has" not in got


def test_acronyms_and_long_forms_share_one_concept_token() -> None:
    assert "concept:lora" in tokens("training with low-rank adaptation")
    assert "concept:lora" in tokens("LoRA fine-tuning")
    assert sorted(concepts("a Mixture-of-Experts model with grouped query attention")) == ["gqa", "moe"]
    assert "retrieval-augmented generation" in expand_for_dense("RAG over PDFs")
    assert expand_for_dense("plain words") == "plain words"


@pytest.mark.parametrize(
    ("query", "attribute", "op", "value"),
    [
        ("open weights model under 10B parameters", "parameters", "<=", 10e9),
        ("at least 128K context", "context_window", ">=", 128e3),
        ("a 1M token context window", "context_window", ">=", 1e6),
        ("context window of at least 1 million tokens", "context_window", ">=", 1e6),
        ("below $1 per 1M input tokens", "input_price", "<=", 1.0),
        ("cheaper than $0.5 per 1M input tokens", "input_price", "<=", 0.5),
        ("lower than 32K tokens of context", "context_window", "<=", 32e3),
        ("Apache 2.0 licensed", "license", "==", "apache"),
        ("MIT licensed language model", "license", "==", "mit"),
        ("permissive license for a commercial product", "license", "==", "permissive"),
        ("fits on a single H100", "runs_on", "<=", SINGLE_GPU_MAX_PARAMS),
        ("runs on my laptop", "runs_on", "<=", CONSUMER_GPU_MAX_PARAMS),
        ("a model that runs locally", "runs_on", "<=", 0.0),
        ("code tool with local processing", "runs_on", "<=", 0.0),
        ("cheap model for bulk classification", "input_price", "<=", 1.0),
    ],
)
def test_parse_constraints(query: str, attribute: str, op: str, value: object) -> None:
    found, _ = parse_constraints(query)
    assert any(c.attribute == attribute and c.op == op and c.value == value for c in found), found


def test_parse_leaves_the_need_and_finds_nothing_in_plain_queries() -> None:
    found, need = parse_constraints("open weights model under 10B parameters for coding")
    assert {c.attribute for c in found} == {"parameters", "open_weights"}
    assert need == "model for coding"
    assert parse_constraints("LoRA fine-tuning for image generation") == ([], "LoRA fine-tuning for image generation")
    assert parse_constraints("at least 128K context window")[1] == ""
    assert parse_constraints("context window of at least 1 million tokens")[1] == ""


def test_checks_pass_fail_unknown_with_sources(catalog: Catalog) -> None:
    under_10b = Constraint("parameters", "<=", 10e9, "under 10B")
    gemma = check(under_10b, catalog.records["gemma-2-9b"])
    assert gemma.status == "pass" and "9B ≤ 10B" in gemma.detail and gemma.sources == ["page s2"]
    llama = check(under_10b, catalog.records["llama-3-1-8b"])
    assert llama.status == "pass" and llama.sources == ["the model's name"]
    assert check(under_10b, catalog.records["gpt-4o"]).status == "unknown"

    ctx = Constraint("context_window", ">=", 128e3, "at least 128K context")
    assert check(ctx, catalog.records["gpt-4o"]).status == "pass"
    assert check(ctx, catalog.records["gemma-2-9b"]).status == "fail"  # read through the context_length synonym
    assert check(ctx, catalog.records["mistral-7b"]).status == "unknown"

    permissive = Constraint("license", "==", "permissive", "Apache 2.0")
    assert check(permissive, catalog.records["mistral-7b"]).status == "pass"
    assert check(permissive, catalog.records["llama-3-1-8b"]).status == "fail"
    assert check(permissive, catalog.records["gpt-4o"]).status == "unknown"

    open_w = Constraint("open_weights", "==", True, "open weights")
    assert check(open_w, catalog.records["llama-3-1-8b"]).status == "pass"  # from its license claim
    closed = check(open_w, catalog.records["gpt-4o"])
    assert closed.status == "fail" and "general knowledge" in closed.sources[0]

    cheap = Constraint("input_price", "<=", 1.0, "cheap")
    assert check(cheap, catalog.records["mistral-7b"]).status == "pass"
    assert check(cheap, catalog.records["gpt-4o"]).status == "fail"

    single_gpu = Constraint("runs_on", "<=", SINGLE_GPU_MAX_PARAMS, "single H100")
    assert check(single_gpu, catalog.records["llama-3-1-8b"]).status == "pass"
    assert check(single_gpu, catalog.records["gpt-4o"]).status == "fail"


def test_local_data_is_not_local_running() -> None:
    """ "local files" says where the data is: the query asks for a tool that reads them, not one that runs offline."""
    found, need = parse_constraints("server that gives an assistant access to local files")
    assert found == [] and need == "server that gives an assistant access to local files"
