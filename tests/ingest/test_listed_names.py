"""Products named only by page structure (enumerations, headings, bullets, "A vs B vs C"), with invented names
so nothing here is known to the alias tables."""

from __future__ import annotations

import pytest

from capgraph.errors import IngestError
from capgraph.graph.schema import Extraction
from capgraph.ingest import Resolver
from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.listed_names import name_shape


def names(extraction: Extraction) -> set[str]:
    return {m.name for m in extraction.models}


def compared(extraction: Extraction) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in extraction.comparisons}


def test_counted_enumeration_names_and_compares_every_item() -> None:
    text = (
        "Editor shootout\n\n"
        "Four AI code editors tested: Quillmate, Zephyr Code, the official nimbus-dev and BrightPad.\n"
        "Quillmate felt fastest overall."
    )
    got = parse_text(text)
    assert names(got) == {"Quillmate", "Zephyr Code", "nimbus-dev", "BrightPad"}
    assert frozenset(("quillmate", "brightpad")) in compared(got)
    assert len(got.comparisons) == 6
    assert {m.kind for m in got.models} == {"Product"}  # "editors" says what they are


def test_enumeration_of_bold_names_with_a_second_name_in_parentheses() -> None:
    text = (
        "# Report\n\nWe evaluate three agent frameworks — **TaskLoom**, **Microsoft Relay (AR2)**, and **FlowKnit** — "
        "against our checklist."
    )
    got = parse_text(text)
    assert names(got) == {"TaskLoom", "Relay", "FlowKnit"}
    relay = next(m for m in got.models if m.name == "Relay")
    assert relay.vendor == "Microsoft" and {"AR2", "Microsoft Relay"} <= set(relay.aliases)
    assert {m.kind for m in got.models} == {"Tool"}


def test_numbered_and_standalone_headings_need_the_name_repeated() -> None:
    text = (
        "Runtimes compared\n\n"
        "### 1. Glimmerd\n\nGlimmerd serves many users at once.\n\n"
        "### 2. Pricing\n\nPricing is per seat.\n\n"
        "Vortexa\n\n  • Setup: one binary\n  • Vortexa keeps memory low; Vortexa is simple.\n\n"
        "Configuration Requirements\n\n  • none\n"
    )
    got = parse_text(text)
    assert names(got) == {"Glimmerd", "Vortexa"}


def test_weak_heading_seen_once_is_not_a_product() -> None:
    with pytest.raises(IngestError):
        parse_text("Intro text here.\n\nHarbor\n\n- a section about harbors.\n")


def test_bullet_leads_take_strong_shapes_only() -> None:
    text = (
        "Scan results\n\n"
        "  • @acme/mcp-server-notes has 2 secrets found.\n"
        "  • Production Settings: enterprise plan required\n"
        "  • Failure Modes: many\n"
        "Overall, @acme/mcp-server-notes is risky."
    )
    got = parse_text(text)
    assert names(got) == {"@acme/mcp-server-notes"}


def test_vs_heading_with_three_sides() -> None:
    got = parse_text("Intro.\n\n## Loomgraph vs TaskLoom vs Pipewright: which to pick\n\nText follows here.")
    assert names(got) == {"Loomgraph", "TaskLoom", "Pipewright"}
    assert len(got.comparisons) == 3


def test_an_owners_named_mcp_server() -> None:
    got = parse_text("The ecosystem grew. Contoso's Lantern MCP became the default; it Follows MCP closely.")
    assert names(got) == {"Lantern MCP"}
    assert got.models[0].kind == "MCP Server"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quillmate", False),
        ("LangWeave", True),
        ("Zephyr Code", True),
        ("llama.zig", True),
        ("Pricing", None),
        ("Final Thoughts", None),
        ("The Setup", None),
        ("Get API Key", None),
        ("MMLU", None),
        ("OpenAI", None),
        ("Automatic9000's Web UI", None),
        ("install the package", None),
    ],
)
def test_name_shape(text: str, expected: bool | None) -> None:
    assert name_shape(text, ExtractionBuilder(Resolver())) is expected


# short forms on one page ----------------------------------------------------------------------------
def test_short_form_resolves_to_the_one_longer_name_on_the_page() -> None:
    text = "Gemini 7.3 Pro leads the board.\n\nIn our runs Gemini 7.3 answered fastest, at 91.2% on MMLU."
    got = parse_text(text)
    assert names(got) == {"Gemini 7.3 Pro"}
    assert {(s.model_id, s.value) for s in got.scores} == {("gemini-7-3-pro", 91.2)}


def test_short_form_stays_when_ambiguous_or_a_model_of_its_own() -> None:
    resolver = Resolver()
    assert resolver.page_aliases("Gemini 7.3 Pro and Gemini 7.3 Flash; Gemini 7.3 is fast.") == {}
    assert resolver.page_aliases("GPT-4o mini is cheaper than GPT-4o.") == {}
    assert resolver.page_aliases("Gemini 7 is old; Gemini 7.3 Pro is new.") == {}
    assert resolver.page_aliases("Gemini 7.3 Pro; Gemini 7.3 too.") == {"Gemini 7.3": "Gemini 7.3 Pro"}


def test_the_pick_of_a_verdict_bullet_is_a_product_when_the_page_repeats_it() -> None:
    text = (
        "Picking an editor helper\n\n"
        "- Best for quick fixes: Quill Assist (fast, cheap)\n"
        "- Top pick → Lantern Coder\n"
        "- Best value: Budget Plan (if you pay yearly)\n\n"
        "Quill Assist was the fastest. Lantern Coder needs a key. Quill Assist and Lantern Coder both run locally.\n"
    )
    assert names(parse_text(text)) == {"Quill Assist", "Lantern Coder"}  # "Budget Plan" is said once
