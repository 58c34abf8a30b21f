"""Hand-written pages that exercise each repair rule (not copies of the seeds)."""

from __future__ import annotations

from collections import Counter

from capgraph.graph.schema import Extraction
from capgraph.ingest import parse_text

from .conftest import fixture_text


def _claim(e: Extraction, model_id: str, attribute: str) -> tuple[str, float | None, str | None] | None:
    for c in e.claims:
        if c.model_id == model_id and c.attribute == attribute:
            return c.value, c.number, c.unit
    return None


def test_split_rows_starting_price_and_inferred_boundary() -> None:
    e = parse_text(fixture_text("split_rows_no_headings.txt"))
    assert e.source.format == "comparison"
    assert _claim(e, "gemma-3", "quality") == ("1", 1, None)
    assert _claim(e, "qwen-2-5", "quality") == ("0", 0, None)
    assert _claim(e, "gemma-3", "ecosystem") == ("1", 1, None)
    assert _claim(e, "qwen-2-5", "ecosystem") == ("0", 0, None)
    assert _claim(e, "gemma-3", "starting_price") == ("$1.25e-7 per prompt token", 1.25e-7, "USD/prompt token")
    assert _claim(e, "qwen-2-5", "starting_price") is None
    # no heading, no "+N more": split by the declared counts 3 and 2, across the glued footer
    assert Counter(c.model_id for c in e.capabilities) == {"gemma-3": 3, "qwen-2-5": 2}
    assert any("inferred" in w for w in e.warnings)
    for cap in e.capabilities:
        assert "©" not in cap.description and "Verdict" not in cap.description


def test_contrasts_are_conservative() -> None:
    e = parse_text(fixture_text("split_rows_no_headings.txt"))
    contrasted = {c.model_id for c in e.contrasts}
    assert contrasted == {"llama-3-2-11b", "claude-3-5-sonnet", "mistral-large-2", "phi-4", "gpt-4o-mini",
                          "deepseek-v3"}  # fmt: skip
    assert "copilot" not in {m.id for m in e.models}


def test_truncated_page_keeps_complete_parts_and_warns() -> None:
    e = parse_text(fixture_text("truncated_page.txt"))
    assert any("truncated" in w for w in e.warnings)
    caps = {c.model_id: c for c in e.capabilities}
    assert set(caps) == {"mixtral-8x7b", "claude-3-haiku"}
    assert caps["claude-3-haiku"].unique is not None
    assert caps["claude-3-haiku"].vs_alternatives is None
    assert caps["mixtral-8x7b"].vs_alternatives is not None


def test_truncated_inside_table() -> None:
    text = "A1 Model 2 vs Llama 3\n| Feature | A1 Model 2 | Llama 3 |\n|---|---|---|\n| Type | Model | Model |\n| Pri"
    e = parse_text(text)
    assert e.source.format == "comparison"
    assert any("truncated" in w for w in e.warnings)
    assert {c.attribute for c in e.claims} == {"type"}


def test_noise_lines_inside_a_list_are_ignored() -> None:
    e = parse_text(fixture_text("noise_in_list.txt"))
    assert Counter(c.model_id for c in e.capabilities) == {"grok-3": 2, "gemini-2-5-pro": 1}
    for cap in e.capabilities:
        assert not cap.description.startswith(("Advertisement", "Loading", "Share"))
    assert {c.model_id for c in e.contrasts} == {"gpt-4o", "o3-mini", "claude-3-7-sonnet"}


def test_blog_table_without_leading_pipes_ragged_rows_and_no_value() -> None:
    e = parse_text(fixture_text("blog_no_leading_pipes.txt"))
    assert e.source.format == "blog"
    assert {m.id for m in e.models} == {"mistral-7b", "gemma-2"}
    assert _claim(e, "mistral-7b", "parameters") == ("7.3B", 7.3e9, "parameters")
    assert _claim(e, "gemma-2", "context_window") == ("8K tokens", 8000, "tokens")
    assert _claim(e, "gemma-2", "licence") is None  # "Not disclosed"
    assert _claim(e, "mistral-7b", "training_data") is None  # "Not specified"
    assert _claim(e, "gemma-2", "training_data") is None  # "N/A"
    assert _claim(e, "mistral-7b", "release") is None  # "—"
    assert _claim(e, "mistral-7b", "attention") == ("Sliding window", None, None)
    assert len(e.warnings) == 2  # the 4-cell and the 2-cell row
    scores = {(s.model_id, s.benchmark): (s.value, s.unit) for s in e.scores}
    assert scores == {
        ("mistral-7b", "HellaSwag"): (81.3, None),
        ("mistral-7b", "ARC"): (55.5, None),
        ("gemma-2", "HellaSwag"): (86.4, "%"),
    }
    vendors = {m.id: m.vendor for m in e.models}
    assert vendors == {"mistral-7b": "Mistral AI", "gemma-2": "Google"}


def test_page_with_only_a_title() -> None:
    e = parse_text(fixture_text("title_only.txt"))
    assert e.source.format == "comparison"
    assert {m.id for m in e.models} == {"llama-3-1-8b", "phi-3-mini"}
    assert [(c.a, c.b) for c in e.comparisons] == [("llama-3-1-8b", "phi-3-mini")]
    assert "no capability blocks found" in e.warnings


def test_specs_with_variant_list_and_two_headings() -> None:
    e = parse_text(fixture_text("specs_two_models.txt"))
    assert e.source.format == "specs"
    assert _claim(e, "qwen-2-5-72b", "total_parameters") == ("72.7 billion", 72.7e9, "parameters")
    assert _claim(e, "mistral-small-3-1", "context_length") == ("128,000 tokens", 128000, "tokens")
    assert {(v.variant_id, v.base_id) for v in e.variants} == {
        ("qwen-2-5-72b", "qwen-2-5"),
        ("qwen-2-5-7b", "qwen-2-5"),
    }
    assert [(c.a, c.b) for c in e.comparisons] == [("qwen-2-5", "mistral-small-3-1")]


def test_unknown_format_names_models_and_warns() -> None:
    e = parse_text("Notes from the meetup\nSomeone said GPT-4o and Claude 3.5 Sonnet were fine.\nCopilot too.")
    assert e.source.format == "unknown"
    assert {m.id for m in e.models} == {"gpt-4o", "claude-3-5-sonnet"}
    assert e.warnings


def test_missing_second_heading_and_more_line_use_counts() -> None:
    blocks = "\n".join(
        f"Performs task number {k} with a long enough description to count.\nUnique: u{k}.\nvs alternatives: v{k}."
        for k in range(7)
    )
    text = (
        "Alpha 1 vs Beta 2\n| Feature | Alpha 1 | Beta 2 |\n|---|---|---|\n"
        "| Capabilities | 13 decomposed | 3 decomposed |\n"
        f"Alpha 1 Capabilities\n{blocks}\nVerdict\nBeta 2 wins.\n"
    )
    e = parse_text(text)
    assert Counter(c.model_id for c in e.capabilities) == {"alpha-1": 4, "beta-2": 3}


def test_second_models_more_line_when_first_is_missing() -> None:
    blocks = "\n".join(
        f"Performs task number {k} with a long enough description to count.\nUnique: u{k}.\nvs alternatives: v{k}."
        for k in range(6)
    )
    text = (
        "Alpha 1 vs Beta 2\n| Feature | Alpha 1 | Beta 2 |\n|---|---|---|\n"
        "| Capabilities | 10 decomposed | 5 decomposed |\n"
        f"{blocks}\n+3 more capabilities\n"
    )
    e = parse_text(text)
    assert Counter(c.model_id for c in e.capabilities) == {"alpha-1": 4, "beta-2": 2}


def test_title_subtitle_and_verdict_glued_to_a_line() -> None:
    text = (
        "GPT-4o vs Claude 3.5 Sonnet: which one to pick?\n"
        "| Feature | GPT-4o | Claude 3.5 Sonnet |\n|---|---|---|\n| Type | Model | Product |\n"
        "GPT-4o Capabilities\n"
        "Writes long answers with citations gathered from the open web.\n"
        "Unique: Browsing is built into the chat product.\n"
        "vs alternatives: Fresher sources than o3.Verdict\n"
        "GPT-4o scores higher at 70/100 vs Claude 3.5 Sonnet at 60/100.\n"
    )
    e = parse_text(text)
    assert {m.id: m.kind for m in e.models} == {"gpt-4o": "Model", "claude-3-5-sonnet": "Product", "o3": "Model"}
    [cap] = e.capabilities
    assert cap.vs_alternatives == "Fresher sources than o3."
    assert [c.model_id for c in e.contrasts] == ["o3"]


def test_vendor_phrases_need_a_name_right_before_by_or_a_verb() -> None:
    text = (
        "Feature | Gemma 3 | Qwen 2.5 | Phi-4\n---|---|---|---\nParameters | 27B | 72B | 14B\n"
        "Gemma 3 is an open model released by Google DeepMind for laptops.\n"
        "Qwen 2.5 was beaten by Llama 3 70B on one test, and Phi-4 by Acme on another.\n"
    )
    vendors = {m.id: m.vendor for m in parse_text(text).models}
    assert vendors == {"gemma-3": "Google", "qwen-2-5": "Alibaba", "phi-4": "Acme"}


def test_truncated_run_within_the_first_models_count_stays_with_it() -> None:
    """A crawler's cut before the first list ended: no block can be the second model's yet."""
    blocks = "\n".join(
        f"Handles request kind {k} with a description long enough to be a capability paragraph.\n"
        f"Unique: u{k}.\nvs alternatives: v{k}."
        for k in range(3)
    )
    head = "Gamma Server vs Delta Chat\n| Feature | Gamma Server | Delta Chat |\n|---|---|---|\n"
    counts = "| Capabilities | 8 decomposed | 15 decomposed |\n"
    cut = parse_text(f"{head}{counts}{blocks}\nvs alternatives: more declarative than writing it by")
    assert any("truncated" in w for w in cut.warnings)
    assert Counter(c.model_id for c in cut.capabilities) == {"gamma-server": 3}
    # the same run on a page that ends cleanly is still split by the declared counts
    whole = parse_text(f"{head}| Capabilities | 2 decomposed | 1 decomposed |\n{blocks}\n")
    assert Counter(c.model_id for c in whole.capabilities) == {"gamma-server": 2, "delta-chat": 1}
