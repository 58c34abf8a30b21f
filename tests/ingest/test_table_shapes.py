"""Damaged table shapes read by structure (issue 9): one cell per line, box drawing, space-aligned columns,
pairs only among the models that share a table, vendors and sites that are no models.

Names, benchmarks, numbers and column counts are invented so no rule can lean on a corpus page's words.
"""

from __future__ import annotations

import time

from capgraph.graph.schema import Extraction
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import Columns
from capgraph.ingest.parsers.recover import _glued_rows
from capgraph.ingest.resolve import default_resolver


def _scores(e: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in e.scores}


def _claims(e: Extraction) -> dict[tuple[str, str], float | str | None]:
    return {(c.model_id, c.attribute): (c.number if c.number is not None else c.value) for c in e.claims}


def _pairs(e: Extraction) -> set[frozenset[str]]:
    return {frozenset((c.a, c.b)) for c in e.comparisons}


VERTICAL = """Picking a hosted assistant this year

We put three assistants side by side.

Dimension
Nimbus 3
Corvid 2 Pro
Lumen 2.5 Flash
Context window
200K tokens
128K tokens
1M tokens
Input price
$0.80/M
$2.00/M
$0.10/M
ARC-AGI
61.2%
55.0%
48.5%
Open weights
No
Yes
No

That is all.
"""


def test_vertical_table_three_columns() -> None:
    e = parse_text(VERTICAL)
    scores = _scores(e)
    assert scores[("nimbus-3", "arc-agi")] == 61.2
    assert scores[("corvid-2-pro", "arc-agi")] == 55.0
    assert scores[("lumen-2-5-flash", "arc-agi")] == 48.5
    claims = _claims(e)
    assert claims[("nimbus-3", "context_window")] == 200_000
    assert claims[("lumen-2-5-flash", "context_window")] == 1_000_000
    assert claims[("corvid-2-pro", "input_price")] == 2.0
    assert claims[("corvid-2-pro", "open_weights")] == "true"
    assert claims[("nimbus-3", "open_weights")] == "false"
    # no cell of the table is read a second time as a tile of the last column's model
    assert sum(1 for c in e.claims if c.attribute == "context_window") == 3
    assert _pairs(e) == {
        frozenset(("nimbus-3", "corvid-2-pro")),
        frozenset(("nimbus-3", "lumen-2-5-flash")),
        frozenset(("corvid-2-pro", "lumen-2-5-flash")),
    }


def test_vertical_table_two_columns_with_hints_and_providers() -> None:
    """A provider column ("Microsoft") is no model; its parenthetical hints name the models its values are of."""
    text = (
        "How the two stacks differ\n\nBenchmark\nMicrosoft\nZephyr-9\nTauBench Retail\n71.4% (Phi-3.5 Mini)\n66.0%\n"
        "Output price\n$4.00/M (Phi-3.5 Mini)\n$1.50/M\nDROP F1\n83.1 (Phi-3.5 Mini)\n79.9\n\nClosing words.\n"
    )
    e = parse_text(text)
    assert "microsoft" not in {m.id for m in e.models}
    scores = _scores(e)
    assert scores[("zephyr-9", benchmark_key("TauBench Retail"))] == 66.0
    assert scores[("phi-3-5-mini", benchmark_key("TauBench Retail"))] == 71.4
    assert scores[("zephyr-9", benchmark_key("DROP F1"))] == 79.9
    assert scores[("phi-3-5-mini", benchmark_key("DROP F1"))] == 83.1
    claims = _claims(e)
    assert claims[("zephyr-9", "output_price")] == 1.5
    assert claims[("phi-3-5-mini", "output_price")] == 4.0
    assert _pairs(e) == {frozenset(("zephyr-9", "phi-3-5-mini"))}


def test_vertical_run_needs_value_rows() -> None:
    """Short lines that are a list, not a table: no scores, no pairs invented from them."""
    text = (
        "Nimbus 3 vs Lumen 2\n\nFurther reading\nNimbus 3\nLumen 2\nCorvid 2.5 Flash\nPricing\n"
        "Support\nRoadmap\nAbout us\n"
    )
    e = parse_text(text)
    assert not e.scores
    assert _pairs(e) == {frozenset(("nimbus-3", "lumen-2"))}


SPACED = """Nimbus 3 vs Corvid 2

Headline numbers from our runs:

Benchmark          Nimbus 3     Corvid 2     Lumen 7B
                   (base)       (chat)       (int4)
TauBench Retail        61.2         57.9         40.3
DROP F1               88.0%        90.5%        71.0%
Context window         200K         128K          32K

More prose follows here.
"""


def test_space_aligned_columns_with_a_two_line_header() -> None:
    e = parse_text(SPACED)
    scores = _scores(e)
    assert scores[("corvid-2", benchmark_key("TauBench Retail"))] == 57.9
    assert scores[("nimbus-3", benchmark_key("DROP F1"))] == 88.0
    lumen = next(m.id for m in e.models if m.id.startswith("lumen-7b"))
    assert scores[(lumen, benchmark_key("DROP F1"))] == 71.0
    assert _claims(e)[("corvid-2", "context_window")] == 128_000


def test_box_drawing_table_with_inner_verticals() -> None:
    text = (
        "Nimbus 3 vs Corvid 2\n\n"
        "┌────────────────┬──────────┬──────────┐\n"
        "│ Benchmark      │ Nimbus 3 │ Corvid 2 │\n"
        "├────────────────┼──────────┼──────────┤\n"
        "│ TauBench Retail│ 61.2     │ 57.9     │\n"
        "│ DROP F1        │ 88.0%    │ 90.5%    │\n"
        "└────────────────┴──────────┴──────────┘\n"
    )
    scores = _scores(parse_text(text))
    assert scores[("nimbus-3", benchmark_key("TauBench Retail"))] == 61.2
    assert scores[("corvid-2", benchmark_key("DROP F1"))] == 90.5


def test_box_drawing_frame_around_space_aligned_columns() -> None:
    text = (
        "Nimbus 3 vs Corvid 2\n\n"
        "┌──────────────────────────────────────────┐\n"
        "│  Metric           Nimbus 3      Corvid 2  │\n"
        "│  ──────           ────────      ────────  │\n"
        "│  TauBench Retail  61.2          57.9      │\n"
        "│  DROP F1          88.0%         90.5%     │\n"
        "└──────────────────────────────────────────┘\n"
    )
    scores = _scores(parse_text(text))
    assert scores[("corvid-2", benchmark_key("TauBench Retail"))] == 57.9
    assert scores[("nimbus-3", benchmark_key("DROP F1"))] == 88.0


def test_aligned_and_vertical_readers_stay_linear() -> None:
    """A hostile page of 20,000 short aligned lines and label/value lines parses in bounded time."""
    body = (
        "Nimbus 3 vs Corvid 2\n" + "alpha  beta  gamma\n" * 10_000 + "Metric\nNimbus 3\nCorvid 2\n" + "x\n1.5\n" * 5_000
    )
    started = time.perf_counter()
    parse_text(body)
    assert time.perf_counter() - started < 20


def _reader_builder() -> tuple[ExtractionBuilder, Columns]:
    builder = ExtractionBuilder(default_resolver())
    for name in ("Nimbus 3", "Corvid 2"):
        builder.model(name)
    return builder, Columns(builder, {"nimbus 3": "nimbus-3", "corvid 2": "corvid-2"})


def test_a_line_naming_two_models_compares_nothing_without_rows() -> None:
    """Item 3: two names in one short line ("Pick A for x. Pick B for y.") are no table of A and B."""
    builder, columns = _reader_builder()
    _glued_rows(["Pick Nimbus 3 for depth. Pick Corvid 2 for price.", "Both are fine."], columns, builder, [])
    assert not builder.has_comparisons()
    _glued_rows(["Nimbus 3 Corvid 2", "TauBench Retail 61.2% 57.9%"], columns, builder, [])
    assert builder.has_comparisons()


def test_vendor_family_and_site_cells_are_no_models() -> None:
    """Item 4: row labels naming a vendor, a family by its maker, or a site are not models or pairs."""
    text = (
        "Small assistants, measured\n\n| Model | TauBench Retail | DROP F1 |\n|---|---|---|\n"
        "| Nimbus 3 | 61.2 | 88.0 |\n| Anthropic | 57.9 | 90.5 |\n| Zephyr Labs blog | 40.1 | 70.2 |\n"
        "| OpenAI (GPT) | 66.1 | 91.0 |\n| Corvid 2 | 50.5 | 80.0 |\n"
    )
    e = parse_text(text)
    assert {m.id for m in e.models} == {"nimbus-3", "corvid-2"}
    assert _pairs(e) == {frozenset(("nimbus-3", "corvid-2"))}
    assert _scores(e)[("corvid-2", benchmark_key("DROP F1"))] == 80.0


def test_glued_header_split_after_a_size_names_the_only_models() -> None:
    """`Falcon 180BGemma 3 27BYi 34B`: a size unit meets the next name; no other line names a model."""
    text = (
        "Open weights, three sizes\n\nTaskFalcon 180BGemma 3 27BYi 34B\n"
        "WinoGrande-XL71.3%78.2%74.9%\nARC-Easy88.1%91.4%86.0%\n"
    )
    e = parse_text(text)
    scores = _scores(e)
    assert scores[("falcon-180b", benchmark_key("WinoGrande-XL"))] == 71.3
    assert scores[("gemma-3-27b", benchmark_key("ARC-Easy"))] == 91.4
    assert scores[("yi-34b", benchmark_key("ARC-Easy"))] == 86.0
    assert len(_pairs(e)) == 3


def test_pipe_header_wrapped_over_two_lines() -> None:
    text = (
        "| Task | Falcon 180B | Yi 34B |\n| | (TII) | (01.AI) |\n|---|---|---|\n"
        "| WinoGrande-XL | 71.3% | 74.9% |\n| ARC-Easy | 88.1% | 86.0% |\n"
    )
    scores = _scores(parse_text(text))
    assert scores[("falcon-180b", benchmark_key("WinoGrande-XL"))] == 71.3
    assert scores[("yi-34b", benchmark_key("ARC-Easy"))] == 86.0


def test_vertical_provider_table_pairs_models_of_one_row() -> None:
    """Provider columns with hints: each row compares its own models, not every model of the table."""
    text = (
        "Which maker\n\nTier\nMicrosoft\nGoogle\nSmall (input price)\n$0.10/M (Phi-3.5 Mini)\n$0.05/M (Gemma 2 2B)\n"
        "Large (input price)\n$0.50/M (Phi-4 14B)\n$0.35/M (Gemma 3 27B)\n"
    )
    e = parse_text(text)
    assert _claims(e)[("gemma-2-2b", "input_price")] == 0.05
    assert _pairs(e) == {frozenset(("phi-3-5-mini", "gemma-2-2b")), frozenset(("phi-4-14b", "gemma-3-27b"))}


def test_vertical_table_of_one_model_per_row_and_dash_cells() -> None:
    """Heads that name attributes over rows that name models: one model per row; a dash is an empty cell."""
    text = (
        "Rates\n\nModel\nInput\nOutput\nContext\nPhi-4 14B\n$0.07\n$0.14\n16K\nGemma 3 27B\n$0.10\n—\n128K\n"
        "Yi 34B\n$0.30\n$0.30\n4K\n"
    )
    e = parse_text(text)
    assert {m.id for m in e.models} == {"phi-4-14b", "gemma-3-27b", "yi-34b"}
    claims = _claims(e)
    assert claims[("phi-4-14b", "output_price")] == 0.14
    assert claims[("gemma-3-27b", "context_window")] == 128_000
    assert claims[("yi-34b", "input_price")] == 0.3
    assert ("gemma-3-27b", "output_price") not in claims


def test_a_prose_sentence_near_the_top_is_no_title() -> None:
    """Item 3: models a sentence lists are not all compared with each other because it says "vs" once."""
    text = (
        "Notes from the lab\n\nIn this long review we look at Phi-4 vs Gemma 3 and also at Yi 34B, Falcon 180B "
        "and OLMo 2 13B on many tasks.\n\nMore text.\n"
    )
    pairs = _pairs(parse_text(text))
    assert not any(pair & {"yi-34b", "falcon-180b", "olmo-2-13b"} for pair in pairs)
