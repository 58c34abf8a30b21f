"""A licence row whose cells ran together is split by licence-name shape and the column count."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.glued_cells import glued_grouped_row, glued_licence_row, split_grouped, split_licences

PAGE = """# Three open checkpoints compared

PropertyMistral 7BGemma 2 9BQwen 2.5 7B
Context window32K8K128K
Licence{licences}
"""


def test_split_needs_the_exact_column_count() -> None:
    assert split_licences("Apache-2.0MITBSD-3-Clause", 3) == ["Apache-2.0", "MIT", "BSD-3-Clause"]
    assert split_licences("Apache-2.0MIT", 3) is None
    assert split_licences("Apache-2.0MITBSD-3-Clause", 2) is None
    assert split_licences("Apache-2.0Research only", 2) is None  # one cell is not a licence name


def test_row_label_must_be_the_licence_attribute() -> None:
    assert glued_licence_row("Model licenceGPL-2.0-onlyLGPL-3.0", 2) == (
        "Model licence",
        ["GPL-2.0-only", "LGPL-3.0"],
    )
    assert glued_licence_row("Default modelMIT-styleApache", 2) is None


def test_glued_licence_row_becomes_one_claim_per_column() -> None:
    extraction = parse_text(PAGE.format(licences="Apache-2.0MITCC-BY-NC-4.0"))
    licences = {c.model_id: c.value for c in extraction.claims if c.attribute == "license"}
    assert licences == {"mistral-7b": "Apache-2.0", "gemma-2-9b": "MIT", "qwen-2-5-7b": "CC-BY-NC-4.0"}


def test_unsplittable_licence_row_gives_no_wrong_claim() -> None:
    extraction = parse_text(PAGE.format(licences="Apache-2.0Custom termsApache-2.0"))
    licences = {c.model_id: c.value for c in extraction.claims if c.attribute == "license"}
    assert "MIT" not in licences.values()
    assert licences.get("gemma-2-9b") in (None, "Custom terms")


def test_grouped_integers_split_only_one_way() -> None:
    assert split_grouped("4,09632,768", 2) == ["4,096", "32,768"]
    assert split_grouped("2,0482,0482,048", 3) == ["2,048", "2,048", "2,048"]
    assert split_grouped("4,09632,768", 3) is None
    assert split_grouped("40963,768", 2) is None  # "4096" has no grouping: no reading is sure


def test_glued_grouped_row_needs_a_vocabulary_label() -> None:
    assert glued_grouped_row("Longest reply16,3844,096", 2) is None  # not a spec attribute
    assert glued_grouped_row("Maximum output tokens16,3844,096", 2) == ("Maximum output tokens", ["16,384", "4,096"])


def test_glued_grouped_numbers_become_one_claim_per_column() -> None:
    page = """# Two hosted models

ItemGPT-4o miniClaude 3 Haiku
Max output tokens16,3844,096
"""
    extraction = parse_text(page)
    numbers = {c.model_id: c.number for c in extraction.claims if c.attribute == "max_output_tokens"}
    assert numbers == {"gpt-4o-mini": 16384, "claude-3-haiku": 4096}
