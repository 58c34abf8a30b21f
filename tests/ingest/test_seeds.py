"""The exact expectations on the five shared seed texts."""

from __future__ import annotations

from collections import Counter

import pytest

from capgraph.graph.schema import Extraction
from capgraph.ingest import parse_text


@pytest.fixture(scope="module")
def parsed(seeds: dict[str, str]) -> dict[str, Extraction]:
    return {prefix: parse_text(text) for prefix, text in seeds.items()}


def _model(extraction: Extraction, model_id: str):  # type: ignore[no-untyped-def]
    found = [m for m in extraction.models if m.id == model_id]
    assert found, f"{model_id} not in {[m.id for m in extraction.models]}"
    return found[0]


def _claims(extraction: Extraction, model_id: str) -> dict[str, list[float | None]]:
    out: dict[str, list[float | None]] = {}
    for claim in extraction.claims:
        if claim.model_id == model_id:
            out.setdefault(claim.attribute, []).append(claim.number)
    return out


def _counts(extraction: Extraction) -> Counter[str]:
    return Counter(c.model_id for c in extraction.capabilities)


def _assert_blocks_complete(extraction: Extraction) -> None:
    for cap in extraction.capabilities:
        assert cap.description and cap.unique and cap.vs_alternatives, cap.id
        assert 1 <= len(cap.name.split()) <= 8, cap.name


def test_formats(parsed: dict[str, Extraction]) -> None:
    assert {k: e.source.format for k, e in parsed.items()} == {
        "000": "comparison",
        "001": "comparison",
        "002": "blog",
        "003": "specs",
        "004": "comparison",
    }


def test_000_o4_mini_vs_llama_4(parsed: dict[str, Extraction]) -> None:
    e = parsed["000"]
    assert _model(e, "o4-mini").kind == "Model"
    assert _model(e, "llama-4").kind == "Model"
    assert _claims(e, "o4-mini")["unfragile_rank"] == [55]
    assert _claims(e, "llama-4")["unfragile_rank"] == [64]
    assert _counts(e) == {"o4-mini": 8, "llama-4": 4}
    assert e.declared_capability_counts == {"o4-mini": 13, "llama-4": 4}
    _assert_blocks_complete(e)
    assert [(c.a, c.b) for c in e.comparisons] == [("o4-mini", "llama-4")]
    assert not e.warnings


def test_000_units(parsed: dict[str, Extraction]) -> None:
    by_attr = {(c.model_id, c.attribute): c for c in parsed["000"].claims}
    rank = by_attr[("o4-mini", "unfragile_rank")]
    assert (rank.value, rank.number, rank.unit) == ("55/100", 55, "/100")
    caps = by_attr[("o4-mini", "capabilities")]
    assert (caps.number, caps.unit) == (13, "capabilities")
    assert by_attr[("llama-4", "pricing")].number is None
    assert by_attr[("o4-mini", "type")].value == "Model"


def test_000_contrasts(parsed: dict[str, Extraction]) -> None:
    e = parsed["000"]
    contrasted = {c.model_id for c in e.contrasts}
    assert {"gpt-4o", "claude-3-5-sonnet", "o1", "o3"} <= contrasted
    assert "o4-mini" not in contrasted
    model_ids = {m.id for m in e.models}
    assert contrasted <= model_ids
    # "o1/o3" in one capability gives two contrasts
    stem = next(c for c in e.capabilities if c.vs_alternatives and "o1/o3" in c.vs_alternatives)
    assert {"o1", "o3"} <= {c.model_id for c in e.contrasts if c.capability_id == stem.id}


def test_001_split_rows_and_missing_headings(parsed: dict[str, Extraction]) -> None:
    e = parsed["001"]
    assert _model(e, "o4-mini").kind == "Model"
    assert _model(e, "stable-diffusion").kind == "Repository"
    assert _claims(e, "o4-mini")["unfragile_rank"] == [44]
    assert _claims(e, "stable-diffusion")["unfragile_rank"] == [55]
    assert _claims(e, "o4-mini")["quality"] == [0]
    assert _claims(e, "stable-diffusion")["quality"] == [1]
    assert _claims(e, "o4-mini")["ecosystem"] == [0]
    assert _claims(e, "stable-diffusion")["ecosystem"] == [1]
    assert _counts(e) == {"o4-mini": 8, "stable-diffusion": 8}
    assert e.declared_capability_counts == {"o4-mini": 12, "stable-diffusion": 13}
    _assert_blocks_complete(e)


def test_001_no_chrome_inside_blocks(parsed: dict[str, Extraction]) -> None:
    for cap in parsed["001"].capabilities:
        for text in (cap.description, cap.unique or "", cap.vs_alternatives or ""):
            for chrome in ("Verdict", "scores higher", "Need something different", "match graph", "©"):
                assert chrome not in text, (cap.id, chrome)


def test_004_llama_3_2_1b_vs_gpt_4o(parsed: dict[str, Extraction]) -> None:
    e = parsed["004"]
    assert _claims(e, "llama-3-2-1b")["unfragile_rank"] == [56]
    assert _claims(e, "gpt-4o")["unfragile_rank"] == [81]
    assert _counts(e) == {"llama-3-2-1b": 8, "gpt-4o": 8}
    assert e.declared_capability_counts == {"llama-3-2-1b": 10, "gpt-4o": 15}
    _assert_blocks_complete(e)
    contrasted = {c.model_id for c in e.contrasts}
    assert {"llama-2-7b", "tinyllama-1-1b", "claude-3-5-sonnet", "gpt-4-turbo"} <= contrasted
    assert not contrasted & {"copilot", "hugging-face-transformers", "runpod"}


def test_002_blog(parsed: dict[str, Extraction]) -> None:
    e = parsed["002"]
    phi = _model(e, "phi-4-mini")
    o1_mini = _model(e, "o1-mini")
    assert phi.vendor == "Microsoft"
    assert o1_mini.vendor == "OpenAI"
    assert _claims(e, "phi-4-mini")["parameters"] == [3.8e9]
    assert _claims(e, "phi-4-mini")["context_window"] == [128000]
    assert "parameters" not in _claims(e, "o1-mini")
    assert len(e.scores) == 18
    scores = {(s.model_id, s.benchmark): s.value for s in e.scores}
    assert scores[("o1-mini", "AIME")] == 63.6
    assert scores[("deepseek-r1-qwen-7b", "MATH-500")] == 91.4
    assert scores[("llama-3-2-3b", "GPQA Diamond")] == 25.3
    assert len({s.model_id for s in e.scores}) == 6
    assert "llama-3-2-1b" not in {m.id for m in e.models}
    assert ("phi-4-mini", "o1-mini") in {(c.a, c.b) for c in e.comparisons}


def test_002_teasers_are_not_models(parsed: dict[str, Extraction]) -> None:
    ids = {m.id for m in parsed["002"].models}
    assert not ids & {"mistral-large-2", "claude-3-5-sonnet", "gpt-4-turbo", "llama-3"}


def test_002_reasoning_tuned_is_a_variant(parsed: dict[str, Extraction]) -> None:
    e = parsed["002"]
    assert ("phi-4-mini-reasoning-tuned", "phi-4-mini") in {(v.variant_id, v.base_id) for v in e.variants}


def test_003_specs(parsed: dict[str, Extraction]) -> None:
    e = parsed["003"]
    expected = {
        "llama-4-scout": {"active_parameters": 17e9, "number_of_experts": 16, "total_parameters": 109e9,
                          "context_length": 1e7},
        "llama-4-maverick": {"active_parameters": 17e9, "number_of_experts": 128, "total_parameters": 400e9,
                             "context_length": 1e6},
        "llama-4-behemoth": {"active_parameters": 288e9, "number_of_experts": 16, "total_parameters": 2e12},
    }  # fmt: skip
    for model_id, specs in expected.items():
        claims = _claims(e, model_id)
        for attribute, number in specs.items():
            assert claims[attribute] == [number], (model_id, attribute)
    assert "hardware_requirements" in _claims(e, "llama-4-scout")
    variants = {(v.variant_id, v.base_id) for v in e.variants}
    assert variants == {(f"llama-4-{name}", "llama-4") for name in ("scout", "maverick", "behemoth")}
    comparisons = {frozenset((c.a, c.b)) for c in e.comparisons}
    assert frozenset(("llama-4", "gpt-4o")) in comparisons
    assert frozenset(("llama-4", "gemini-2-0-flash")) in comparisons


def test_003_prose_with_colons_is_not_a_spec(parsed: dict[str, Extraction]) -> None:
    attributes = {c.attribute for c in parsed["003"].claims}
    assert "use_cases" not in attributes
    assert "database_transformers" not in attributes
    assert "gpt-4o" not in {c.model_id for c in parsed["003"].claims}


def test_one_id_per_model_across_seeds(parsed: dict[str, Extraction]) -> None:
    names = {m.name for e in parsed.values() for m in e.models if m.id in ("o4-mini", "gpt-4o", "llama-4")}
    assert names == {"o4-mini", "GPT-4o", "Llama 4"}
    for model_id in ("o4-mini", "gpt-4o", "llama-4"):
        variants = {
            m.id for e in parsed.values() for m in e.models if m.id.replace("-", "") == model_id.replace("-", "")
        }
        assert variants == {model_id}


def test_two_o4_mini_pages_give_two_rank_claims(parsed: dict[str, Extraction]) -> None:
    ranks = sorted(
        c.number or 0
        for e in parsed.values()
        for c in e.claims
        if c.model_id == "o4-mini" and c.attribute == "unfragile_rank"
    )
    assert ranks == [44, 55]


def test_same_capability_text_is_one_node_across_pages(parsed: dict[str, Extraction]) -> None:
    first = {c.id for c in parsed["000"].capabilities if c.model_id == "o4-mini"}
    second = {c.id for c in parsed["001"].capabilities if c.model_id == "o4-mini"}
    assert len(first & second) == 8


def test_reparse_gives_identical_ids(seeds: dict[str, str], parsed: dict[str, Extraction]) -> None:
    for prefix, text in seeds.items():
        again = parse_text(text.replace("\n", "\r\n") + "\n\n")
        assert again.model_dump() == parsed[prefix].model_dump()


def test_source_fields(seeds: dict[str, str], parsed: dict[str, Extraction]) -> None:
    ids = {e.source.id for e in parsed.values()}
    assert len(ids) == 5
    for e in parsed.values():
        assert len(e.source.id) == 64
        assert e.source.ingested_at is None
        assert e.source.chars > 1000
    assert parsed["000"].source.title == "o4-mini vs Llama 4"
