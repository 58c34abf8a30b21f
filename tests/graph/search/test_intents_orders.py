"""Named licences, hardware stated by a page, local runtimes, superlatives, kind words, image direction,
and labels stacked under a name: each rule on the hand-made catalog or on short texts of our own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from capgraph.embeddings.encoder import Encoder
from capgraph.graph.schema import Capability, Model
from capgraph.graph.search.constraints import (
    SINGLE_GPU_MAX_PARAMS,
    Constraint,
    check,
    parse_constraints,
    parse_order,
    stated_locally,
)
from capgraph.graph.search.hybrid import SearchIndex
from capgraph.graph.search.intents import intent_checks, parse_intent
from capgraph.graph.search.kinds import profile
from capgraph.graph.search.records import Catalog, ModelRecord, mention_sentences, page_sentences, page_subject
from tests.graph.search.conftest import build_catalog, claim


@pytest.mark.parametrize(
    ("query", "value"),
    [
        ("Apache 2.0 licensed", "apache"),
        ("an Apache 2.0 model", "apache"),
        ("MIT licensed language model", "mit"),
        ("GPL licensed web interface", "gpl"),
        ("released under the Gemma terms of use", "gemma"),
        ("proprietary closed model", "proprietary"),
        ("permissive license for a commercial product", "permissive"),
    ],
)
def test_a_named_licence_asks_for_that_licence(query: str, value: str) -> None:
    found, _ = parse_constraints(query)
    assert [(c.attribute, c.value) for c in found] == [("license", value)]


def test_licence_checks_by_name(catalog: Catalog) -> None:
    apache = Constraint("license", "==", "apache", "Apache 2.0")
    mit = Constraint("license", "==", "mit", "MIT licensed")
    assert check(apache, catalog.records["mistral-7b"]).status == "pass"
    assert check(mit, catalog.records["mistral-7b"]).status == "fail"  # Apache is permissive, but not MIT
    assert check(apache, catalog.records["stable-diffusion"]).status == "fail"
    assert check(apache, catalog.records["gpt-4o"]).status == "unknown"
    closed = check(Constraint("license", "==", "proprietary", "proprietary"), catalog.records["gpt-4o"])
    assert closed.status == "pass" and "general knowledge" in closed.sources[0]  # closed weights, no licence claim


def _record(mid: str, name: str, *claims: tuple[str, str, float | None]) -> ModelRecord:
    return ModelRecord(
        model=Model(id=mid, name=name, family=name.split()[0]),
        claims=tuple(claim(mid, a, v, n, "s9") for a, v, n in claims),
    )


def test_a_page_stating_the_hardware_answers_a_hardware_phrase() -> None:
    big = _record(
        "llama-9-mid",
        "Llama 9 Mid",
        ("parameters", "120B", 120e9),
        ("hardware_requirements", "One NVIDIA H100 GPU with 4-bit weights", None),
    )
    single = Constraint("runs_on", "<=", SINGLE_GPU_MAX_PARAMS, "single GPU")
    got = check(single, big)
    assert got.status == "pass" and "H100" in got.detail and got.sources == ["page s9"]
    # without the hardware claim, 120B parameters are too many for one GPU
    assert check(single, replace(big, claims=big.claims[:1])).status == "fail"
    # a claim naming other hardware does not answer "laptop"
    assert check(Constraint("runs_on", "<=", 14e9, "laptop"), big).status == "fail"


def test_a_local_runtime_runs_locally_whatever_its_weights() -> None:
    runtime = ModelRecord(model=Model(id="ollama", name="Ollama"))
    assert profile(runtime).job == "runtime"
    local = check(Constraint("runs_on", "<=", 0.0, "runs locally"), runtime)
    assert local.status == "pass" and "local runtime" in local.detail
    hosted = ModelRecord(model=Model(id="acme-api", name="Acme Chat API"))
    assert check(Constraint("runs_on", "<=", 0.0, "runs locally"), hosted).status == "unknown"


def test_superlatives_sort_and_other_price_units_are_no_token_price() -> None:
    cheapest = parse_order("cheapest model per 1M input tokens")
    assert cheapest is not None and (cheapest.attribute, cheapest.ascending) == ("input_price", True)
    largest = parse_order("the largest context window for legal documents")
    assert largest is not None and (largest.attribute, largest.ascending) == ("context_window", False)
    assert parse_order("speech API, cheapest per minute of audio") is None
    found, need = parse_constraints("cheapest speech API per minute of audio")
    assert found == [] and "minute" in need
    found, need = parse_constraints("cheap model per 1M input tokens for tagging")
    assert [c.attribute for c in found] == ["input_price"] and need == "model for tagging"


def test_kind_words_and_image_direction() -> None:
    intent, need = parse_intent("fast LLM for tagging support tickets")
    assert intent.job == "llm" and need == "fast for tagging support tickets"
    for tool_query in ("run LLMs on a Mac", "LLM runtime for GGUF files", "serve an LLM to many users"):
        assert parse_intent(tool_query)[0].job == "runtime", tool_query  # the tool that runs them, not an LLM
    reads = parse_intent("a model that understands photos of receipts")[0]
    assert reads.inputs == ("image",)
    assert parse_intent("generate images from a prompt")[0].inputs == ()
    painter = ModelRecord(
        model=Model(id="paint-xl", name="Stable Diffusion XL"),
        capabilities=(Capability(id="p:1", model_id="paint-xl", name="t2i", description="Generates images."),),
    )
    assert [c.status for c in intent_checks(reads, profile(painter))] == ["fail"]


@pytest.fixture(scope="module")
def priced_index(encoder: Encoder) -> SearchIndex:
    base = build_catalog()
    records = dict(base.records)
    for mid, name, price in (("qwen-9", "Qwen 9", 0.05), ("mistral-9", "Mistral 9", 0.6)):
        records[mid] = _record(mid, name, ("input_price", f"${price}", price))
    records["aaa-tiny-3b"] = ModelRecord(model=Model(id="aaa-tiny-3b", name="Aaa Tiny 3B", family="Llama"))
    return SearchIndex(replace(base, records=records), encoder)


def test_cheapest_sorts_fitting_models_by_price_and_says_so(priced_index: SearchIndex) -> None:
    answer = priced_index.search("cheapest model")
    assert [h.model.id for h in answer.hits] == ["qwen-9", "mistral-7b", "mistral-9"]
    assert "sorted by input price, lowest first" in answer.constraints
    assert answer.hits[0].why.startswith("input price $0.05")


def test_a_name_alone_on_its_line_takes_the_label_under_it() -> None:
    text = "Runtimes compared\nvLLM\nProduction serving\nOllama\nLocal-first wrapper\nScores follow below."
    models = [Model(id="vllm", name="vLLM"), Model(id="ollama", name="Ollama")]
    got = mention_sentences(text, models)
    assert ("vllm", "vLLM — Production serving") in got
    assert ("ollama", "Ollama — Local-first wrapper") in got


def test_tools_asked_for_by_what_they_do() -> None:
    for query in ("an LLM runner for my laptop", "serve an LLM to a team", "desktop app for running local LLMs"):
        assert parse_intent(query)[0].job == "runtime", query
    for query in ("web UI for Stable Diffusion", "Stable Diffusion interface with low VRAM", "node editor for SDXL"):
        assert parse_intent(query)[0].job == "image_tool", query
    assert parse_intent("generate images with Stable Diffusion")[0].job is None


def test_a_query_of_constraints_only_ranks_page_sourced_fits_first(priced_index: SearchIndex) -> None:
    """Every fitting model is ranked, not the first k in id order: a size read off a page beats one read off
    a name, whatever the ids ("aaa-tiny-3b" sorts first but its size comes from its name only)."""
    answer = priced_index.search("under 10B parameters", k=1)
    assert [h.model.id for h in answer.hits] == ["gemma-2-9b"]
    assert answer.hits[0].checks[0].sources == ["page s2"]


def test_a_page_about_one_model_gives_it_every_sentence() -> None:
    card = "URL: https://x.example\nOrbit-7B model card\nAll sizes use sliding window attention. Trained on 3T tokens."
    orbit, other = Model(id="orbit-7b", name="Orbit-7B"), Model(id="orbit-70b", name="Orbit-70B")
    assert page_subject(card, [orbit, other]) == "orbit-7b"
    assert "All sizes use sliding window attention." in page_sentences(card)
    assert page_subject("Orbit-7B vs Orbit-70B\nBoth are fast.", [orbit, other]) is None
    assert page_subject("Orbit-7B and Orbit-70B compared", [orbit, other]) is None


def test_output_price_named_before_the_limit() -> None:
    found, need = parse_constraints("output price under $2 per million tokens")
    assert [(c.attribute, c.op, c.value) for c in found] == [("output_price", "<=", 2.0)]
    assert need == ""


def test_runs_locally_read_off_the_models_own_sentences() -> None:
    local = Constraint("runs_on", "<=", 0.0, "local processing")
    got = stated_locally(local, [("Quill: pricing free, cloud calls none (local processing)", "Tools page")])
    assert got is not None and got.status == "pass" and got.sources == ["Tools page"] and "local" in got.detail
    assert stated_locally(local, [("Quill syncs every snippet to its cloud", "Tools page")]) is None
    assert stated_locally(Constraint("runs_on", "<=", 14e9, "laptop"), [("runs locally", "x")]) is None
