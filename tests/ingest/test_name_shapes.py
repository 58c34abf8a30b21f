"""Model names as real pages damage or decorate them (`ingest.name_shapes`); each case failed before."""

from __future__ import annotations

import pytest

from capgraph.ingest import Resolver, parse_text


@pytest.fixture(scope="module")
def r() -> Resolver:
    return Resolver()


@pytest.mark.parametrize(
    ("cell", "model_id", "vendor"),
    [
        ("GPT-4oOpenAI", "gpt-4o", "OpenAI"),
        ("Claude 3 HaikuAnthropic", "claude-3-haiku", "Anthropic"),
        ("Llama 3.1 70BMeta", "llama-3-1-70b", "Meta"),
        ("Mistral Large 2Mistral", "mistral-large-2", "Mistral AI"),
        ("Gemini 1.5 FlashGoogle", "gemini-1-5-flash", "Google"),
    ],
)
def test_a_vendor_glued_to_the_end_of_a_cell_is_its_maker(r: Resolver, cell: str, model_id: str, vendor: str) -> None:
    resolved = r.canonical(cell)
    assert (resolved.id, resolved.vendor) == (model_id, vendor)


def test_glued_vendors_in_running_text_end_the_name(r: Resolver) -> None:
    text = "ranked: Claude 3 OpusAnthropic, then GPT-4oOpenAI and Llama 3.1 70BMeta"
    assert [m.resolved.id for m in r.find_mentions(text)] == ["claude-3-opus", "gpt-4o", "llama-3-1-70b"]


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("Meta-Llama 3.1 70B", "llama-3-1-70b"),
        ("Meta Llama 3.1 8B", "llama-3-1-8b"),
        ("meta-llama/Llama-3.2-3B", "llama-3-2-3b"),
        ("Google Gemini 2.0 Flash", "gemini-2-0-flash"),
        ("Anthropic Claude 4 Opus", "claude-opus-4"),
    ],
)
def test_a_vendor_before_the_name_is_the_same_model(r: Resolver, name: str, model_id: str) -> None:
    assert r.canonical(name).id == model_id


def test_a_vendor_word_that_is_also_a_family_keeps_its_model(r: Resolver) -> None:
    assert r.canonical("Mistral 7B").id == "mistral-7b"
    assert r.canonical("DeepSeek V3").id == "deepseek-v3"


def test_a_vendor_hyphenated_before_a_name_in_text_is_found(r: Resolver) -> None:
    found = [m.resolved.id for m in r.find_mentions("We ran Meta-Llama 3.1 70B against Qwen 2.5 72B.")]
    assert found == ["llama-3-1-70b", "qwen-2-5-72b"]


@pytest.mark.parametrize(
    ("name", "model_id", "base_id"),
    [
        ("Phi-3-mini (3.8B)", "phi-3-mini", None),  # a tier's size only describes it
        ("Llama 3 8B (8B)", "llama-3-8b", None),  # a size restated
        ("Gemma 2 (9B)", "gemma-2-9b", None),  # a bare version: the size is part of the name
    ],
)
def test_a_size_in_parentheses(r: Resolver, name: str, model_id: str, base_id: str | None) -> None:
    resolved = r.canonical(name)
    assert (resolved.id, resolved.base_id) == (model_id, base_id)


def test_a_release_tag_stays_in_the_name(r: Resolver) -> None:
    found = [m.resolved.id for m in r.find_mentions("Mixtral 8x22B v0.1 and Mistral 7B Instruct v0.2 tested")]
    assert found == ["mixtral-8x22b-v0-1", "mistral-7b-instruct-v0-2"]


def test_two_names_in_one_cell_are_no_one_name(r: Resolver) -> None:
    assert r.try_canonical("GPT-4.5 / GPT-4-turbo") is None
    assert r.try_canonical("Llama 3.2 11B/90B") is not None  # one name and a sibling size


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Gemma 2B and 7B fit on a laptop", ["gemma-2b", "gemma-7b"]),
        ("Llama 2 7B, 13B and 70B were released", ["llama-2-7b", "llama-2-13b", "llama-2-70b"]),
        ("Qwen 2.5 7B or 14B", ["qwen-2-5-7b", "qwen-2-5-14b"]),
        ("Mistral 7B and Llama 3 both", ["mistral-7b", "llama-3"]),
    ],
)
def test_sibling_sizes_listed_after_a_model(r: Resolver, text: str, ids: list[str]) -> None:
    assert [m.resolved.id for m in r.find_mentions(text)] == ids


def test_glued_board_rows_give_clean_models() -> None:
    page = (
        "Arena board (our snapshot)\n"
        "| # | Model | Score | Context |\n|---|---|---|---|\n"
        "| 1 | GPT-4oOpenAI | 1301 | 128k |\n| 2 | Claude 3 OpusAnthropic | 1262 | 200k |\n"
        "| 3 | Llama 3.1 70BMeta | 1240 | 128k |\n"
    )
    ids = {m.id for m in parse_text(page).models}
    assert ids == {"gpt-4o", "claude-3-opus", "llama-3-1-70b"}


def test_max_continues_a_name_only_when_capitalised_or_hyphenated(r: Resolver) -> None:
    found = [m.resolved.id for m in r.find_mentions("Qwen 2.5 Max and Qwen2.5-Max; GPT-4o max output is 16K")]
    assert found == ["qwen-2-5-max", "qwen-2-5-max", "gpt-4o"]


def test_chatgpt_with_a_version_is_the_gpt_model(r: Resolver) -> None:
    assert r.canonical("ChatGPT-4o").id == "gpt-4o"
    assert [m.resolved.id for m in r.find_mentions("we asked ChatGPT-4o twice")] == ["gpt-4o"]


def test_listed_models_keep_their_family_word_and_lose_their_maker() -> None:
    text = (
        "Three models stand out this year: Qwen 2.5 Max developed by Alibaba Cloud, DeepSeek R1 from DeepSeek AI, "
        "and Mistral Large 2 by Mistral.\n"
    )
    assert {m.id for m in parse_text(text).models} == {"qwen-2-5-max", "deepseek-r1", "mistral-large-2"}


def test_a_version_tag_listed_after_a_model_names_its_sibling(r: Resolver) -> None:
    found = [m.resolved.id for m in r.find_mentions("We ran DeepSeek V3 & V2.5, then DeepSeek V3 and Vicuna.")]
    assert found == ["deepseek-v3", "deepseek-v2-5", "deepseek-v3"]
