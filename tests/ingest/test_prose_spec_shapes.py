"""Spec values in sentences and spec lines, in shapes and with names and numbers unlike any corpus page."""

from __future__ import annotations

from capgraph.graph.schema import Extraction
from capgraph.ingest.parse import parse_text


def claims(extraction: Extraction) -> dict[tuple[str, str], float | str]:
    return {(c.model_id, c.attribute): c.number if c.number is not None else c.value for c in extraction.claims}


def test_active_and_total_counts_go_in_order_to_the_models() -> None:
    text = (
        "Notes.\n\nQwen 2.5 72B and Mixtral 8x22B use MoE, activating 12 billion and 39 billion parameters "
        "respectively, with totals of 140 billion and 141 billion."
    )
    got = claims(parse_text(text))
    assert got[("qwen-2-5-72b", "active_parameters")] == 12e9
    assert got[("mixtral-8x22b", "active_parameters")] == 39e9
    assert got[("qwen-2-5-72b", "parameters")] == 140e9
    assert got[("mixtral-8x22b", "parameters")] == 141e9


def test_counts_for_a_coordinated_list_of_models_without_respectively() -> None:
    got = claims(parse_text("Notes.\n\nGemma 2 9B and Llama 3.1 8B come with 9 billion and 8 billion parameters."))
    assert got[("gemma-2-9b", "parameters")] == 9e9
    assert got[("llama-3-1-8b", "parameters")] == 8e9


def test_a_list_of_counts_that_is_not_parameters_adds_nothing() -> None:
    text = "Notes.\n\nGemma 2 9B and Llama 3.1 8B were trained on 8 billion and 15 billion tokens."
    got = claims(parse_text(text))
    assert ("gemma-2-9b", "parameters") not in got and ("llama-3-1-8b", "parameters") not in got


def test_spec_lines_of_a_single_model_page() -> None:
    text = "Mistral Medium 3 overview\n\nContext window: 200K\nInput price $2.00 / Output $8.00\nLicense: MIT\n"
    got = claims(parse_text(text))
    assert got[("mistral-medium-3", "context_window")] == 200_000
    assert got[("mistral-medium-3", "input_price")] == 2.0
    assert got[("mistral-medium-3", "output_price")] == 8.0


def test_second_price_takes_the_unit_of_the_first() -> None:
    got = claims(parse_text("Notes.\n\nClaude 3.5 Haiku costs $0.80/M input and $4 output."))
    assert got[("claude-3-5-haiku", "input_price")] == 0.8
    assert got[("claude-3-5-haiku", "output_price")] == 4.0


def test_a_subscription_price_is_no_token_price() -> None:
    got = claims(parse_text("Notes.\n\nGemini 2.0 Flash API pricing: input is free, output $20/month for teams."))
    assert ("gemini-2-0-flash", "output_price") not in got


def test_modalities_in_a_sentence() -> None:
    text = "Notes.\n\nGemini 2.0 Flash accepts text, audio, image and video, and returns text.\n"
    got = claims(parse_text(text))
    assert got[("gemini-2-0-flash", "modalities")] == "text,audio,image,video"


def test_one_modality_needs_the_word_input() -> None:
    got = claims(parse_text("Notes.\n\nPhi-3 Mini supports text input only. Mistral 7B supports code generation."))
    assert got[("phi-3-mini", "modalities")] == "text"
    assert ("mistral-7b", "modalities") not in got


def test_licences_as_adjectives_and_in_a_later_clause() -> None:
    text = (
        "Notes.\n\nClaude 3 Opus is proprietary, while Mistral 7B ships under an MIT license.\n"
        "Gemma 2 9B is released under the Gemma license.\n"
    )
    got = claims(parse_text(text))
    assert got[("claude-3-opus", "license")] == "Proprietary"
    assert got[("mistral-7b", "license")] == "MIT"
    assert str(got[("gemma-2-9b", "license")]).lower().startswith("gemma")


def test_numbers_that_belong_to_no_model_are_not_facts() -> None:
    text = (
        "Notes.\n\nClaude 3.5 Haiku gives 90% off cached input. Gemini 2.0 Flash streams 120 tok/s and holds a "
        "35% share of API traffic. In 2024, Llama 3.1 405B scored 88.6 on MMLU.\n"
    )
    extraction = parse_text(text)
    assert [(s.model_id, s.benchmark, s.value) for s in extraction.scores] == [("llama-3-1-405b", "MMLU", 88.6)]
    assert extraction.claims == []


def test_total_after_an_active_count_and_total_before_it() -> None:
    got = claims(parse_text("Notes.\n\nQwen 3 235B uses 22B active parameters from a total of 235B."))
    assert got[("qwen-3-235b", "active_parameters")] == 22e9
    assert got[("qwen-3-235b", "parameters")] == 235e9
    got = claims(parse_text("Notes.\n\nMixtral 8x22B: 141B total, 39B active per token."))
    assert got[("mixtral-8x22b", "parameters")] == 141e9
    assert got[("mixtral-8x22b", "active_parameters")] == 39e9


def test_capacities_stated_with_verbs_and_knowledge_cutoffs() -> None:
    text = (
        "Notes.\n\nGemma 2 27B handles up to 96,000 tokens and generates up to 4K tokens. "
        "Phi-3 Mini has a knowledge cutoff of October 2023.\n"
    )
    got = claims(parse_text(text))
    assert got[("gemma-2-27b", "context_window")] == 96_000
    assert got[("gemma-2-27b", "max_output_tokens")] == 4000
    assert got[("phi-3-mini", "knowledge_cutoff")] == "2023-10"


def test_training_tokens_and_output_capacity_are_no_context_window() -> None:
    text = "Notes.\n\nGemma 2 27B was trained on 9 trillion tokens and supports up to 4K tokens of output."
    assert ("gemma-2-27b", "context_window") not in claims(parse_text(text))


def test_sentences_about_another_referent_give_the_page_model_nothing() -> None:
    text = (
        "Gemma 2 27B review\n\nGemma 2 27B is a solid model. Its predecessor had an 8K context window.\n"
        "The previous generation was released in February 2024.\nMost competitors charge $5 per million input "
        "tokens.\nThe industry average on MMLU is 70.2%.\nThe team put the training code under the MIT license.\n"
    )
    extraction = parse_text(text)
    assert extraction.claims == [] and extraction.scores == []


def test_a_single_model_page_keeps_its_bullets_and_pronoun_sentences() -> None:
    text = "Gemma 2 27B review\n\n- Context: 8K tokens\nIt is released under the Gemma license and costs nothing.\n"
    got = claims(parse_text(text))
    assert got[("gemma-2-27b", "context_window")] == 8000
    assert str(got[("gemma-2-27b", "license")]).lower().startswith("gemma")


def test_self_hosting_for_both_subjects_and_its_negation() -> None:
    got = claims(parse_text("Notes.\n\nMistral 7B and Gemma 2 9B both run fine locally on a laptop."))
    assert got[("mistral-7b", "self_hostable")] == "true"
    assert got[("gemma-2-9b", "self_hostable")] == "true"
    got = claims(parse_text("Notes.\n\nClaude 3 Opus cannot be self-hosted."))
    assert got[("claude-3-opus", "self_hostable")] == "false"


def test_open_source_model_is_open_weights_but_open_source_rivals_are_not_the_subject() -> None:
    got = claims(parse_text("Notes.\n\nPhi-3 Mini is an open-source model from a large lab."))
    assert got[("phi-3-mini", "open_weights")] == "true"
    got = claims(parse_text("Notes.\n\nGPT-4o lags behind open-source models on price."))
    assert ("gpt-4o", "open_weights") not in got


def test_a_lead_in_value_and_a_page_model_called_by_its_bare_name() -> None:
    text = (
        "Mistral vs Gemma\n\n| Feature | Mistral | Gemma |\n|---|---|---|\n| Vendor | Mistral AI | Google |\n\n"
        "With a 96K context window, Mistral handles long files.\n"
    )
    got = claims(parse_text(text))
    assert got[("mistral", "context_window")] == 96_000


def test_per_mtok_prices() -> None:
    got = claims(parse_text("Notes.\n\nClaude 3 Haiku costs $0.25 / input MTok and $1.25 / output MTok."))
    assert got[("claude-3-haiku", "input_price")] == 0.25
    assert got[("claude-3-haiku", "output_price")] == 1.25


def test_a_family_sentence_gives_each_family_model_on_the_page_its_values() -> None:
    text = (
        "Gemma lineup\n\n| Feature | Gemma 2 9B | Gemma 2 27B | Phi-3 Mini |\n|---|---|---|---|\n"
        "| Vendor | Google | Google | Microsoft |\n\nAll current Gemma models support text and image input.\n"
    )
    got = claims(parse_text(text))
    assert got[("gemma-2-9b", "modalities")] == "text,image"
    assert got[("gemma-2-27b", "modalities")] == "text,image"
    assert ("phi-3-mini", "modalities") not in got


def test_a_count_at_the_end_of_a_sentence_and_a_year_after_context() -> None:
    got = claims(parse_text("Notes.\n\nGemma 2 27B has a context window of 8192. Phi-3 Mini has a max output of 4096."))
    assert got[("gemma-2-27b", "context_window")] == 8192
    assert got[("phi-3-mini", "max_output_tokens")] == 4096
    assert parse_text("Notes.\n\nIn the context of 2024, Gemma 2 27B was a strong release.").claims == []


def test_a_price_unit_is_no_output_limit_and_in_out_abbreviations() -> None:
    got = claims(parse_text("Notes.\n\nGemma 2 27B pricing is $0.15/1M input tokens and $0.60/1M output tokens."))
    assert got[("gemma-2-27b", "output_price")] == 0.6
    assert ("gemma-2-27b", "max_output_tokens") not in got
    got = claims(parse_text("Notes.\n\nGemma 2 27B: 96K context, $0.10 in / $0.40 out per 1M."))
    assert got[("gemma-2-27b", "input_price")] == 0.1
    assert got[("gemma-2-27b", "output_price")] == 0.4


def test_text_only_is_one_modality() -> None:
    assert claims(parse_text("Notes.\n\nPhi-3 Mini is text-only."))[("phi-3-mini", "modalities")] == "text"


def test_lists_of_context_windows_prices_and_dates_go_in_order_to_the_models() -> None:
    text = (
        "Notes.\n\nGemma 2 27B and Phi-3 Mini offer context windows of 8K and 128K tokens respectively. "
        "Gemma 2 27B and Phi-3 Mini cost $0.30 and $0.10 per million input tokens, respectively. "
        "Gemma 2 27B and Phi-3 Mini were released in June 2024 and April 2024.\n"
    )
    got = claims(parse_text(text))
    assert got[("gemma-2-27b", "context_window")] == 8000 and got[("phi-3-mini", "context_window")] == 128_000
    assert got[("gemma-2-27b", "input_price")] == 0.3 and got[("phi-3-mini", "input_price")] == 0.1
    assert got[("gemma-2-27b", "release_date")] == "2024-06" and got[("phi-3-mini", "release_date")] == "2024-04"


def test_a_list_of_counts_of_something_else_adds_nothing() -> None:
    assert parse_text("Notes.\n\nGemma 2 27B and Phi-3 Mini were tuned on 8K and 128K examples.").claims == []


def test_a_price_sentence_opening_with_its_side_continues_the_sentence_before() -> None:
    text = (
        "Tiers\n\n"
        "Claude Haiku 4 is the quick tier for routing. Input costs run approximately $0.70 per million tokens; "
        "output costs about $3.50 per million tokens.\n\n"
        "Claude Opus 4 is the heavy tier. Pricing sits around $12 per million input tokens and $60 per million "
        "output tokens.\n"
    )
    got = claims(parse_text(text))
    assert got[("claude-haiku-4", "input_price")] == 0.7
    assert got[("claude-haiku-4", "output_price")] == 3.5
    assert got[("claude-opus-4", "input_price")] == 12.0
    assert got[("claude-opus-4", "output_price")] == 60.0


def test_token_counts_set_after_model_names_on_a_page_about_context_windows() -> None:
    body = (
        "How the big ones compare\n"
        "- GPT-4o family: 120,000 tokens — plenty for chats\n"
        "- Claude 3 (Anthropic): up to 190K tokens as standard\n"
        "- Llama 3 (Meta): trained on 14 trillion tokens\n"
        "As of May: GPT-4.1 = 1M. Gemini 2.5 Pro = 3M (Enterprise), 1M standard.\n"
    )
    got = claims(parse_text("Context windows, explained\n\n" + body))
    assert got[("gpt-4o", "context_window")] == 120_000
    assert got[("claude-3", "context_window")] == 190_000
    assert got[("gpt-4-1", "context_window")] == 1e6
    assert got[("gemini-2-5-pro", "context_window")] == 3e6
    assert ("llama-3", "context_window") not in got
    other = claims(parse_text("Team notes\n\n" + body))
    assert ("gpt-4o", "context_window") not in other and ("gpt-4-1", "context_window") not in other


def test_the_count_a_verb_of_activation_governs_is_the_active_one() -> None:
    text = (
        "Notes.\n\nDeepSeek V3 activates 36 billion parameters per token from a 670B total pool; "
        "Llama 4 Maverick activates 16B from 128 experts.\n"
    )
    got = claims(parse_text(text))
    assert got[("deepseek-v3", "active_parameters")] == 36e9
    assert got[("deepseek-v3", "parameters")] == 670e9
    assert got[("llama-4-maverick", "active_parameters")] == 16e9
