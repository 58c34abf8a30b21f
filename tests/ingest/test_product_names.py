"""A product named with and without its maker's word on one page is one artifact."""

from __future__ import annotations

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.resolve import default_resolver


def _builder() -> ExtractionBuilder:
    return ExtractionBuilder(default_resolver())


def test_short_form_after_the_long_one_is_the_same_product() -> None:
    b = _builder()
    long_id = b.model("Sourcegraph Cody")
    assert b.model("Cody") == long_id
    assert b.model_ids() == [long_id]
    assert "Cody" in b.models()[0].aliases


def test_long_form_after_the_short_one_is_the_same_product() -> None:
    b = _builder()
    short_id = b.model("Tabnine")
    assert b.model("Codota Tabnine") == short_id
    assert b.model_ids() == [short_id]


def test_two_makers_of_one_word_leave_the_bare_word_apart() -> None:
    b = _builder()
    first, second = b.model("Contoso Pilot"), b.model("Fabrikam Pilot")
    bare = b.model("Pilot")
    assert len({first, second, bare}) == 3


def test_versioned_or_family_names_never_merge() -> None:
    b = _builder()
    assert b.model("Llama") != b.model("Code Llama")
    assert b.model("Helper 2") != b.model("Acme Helper 2")


def test_a_model_line_glued_to_its_number_is_no_benchmark() -> None:
    from capgraph.ingest.parse import parse_text

    page = "Gemma 3 27B vs Phi-4\n\nGemini Ultra 190.0\nGemma 3 27B scores 67.5 on MMLU-Pro while Phi-4 scores 70.4.\n"
    benchmarks = {s.benchmark for s in parse_text(page).scores}
    assert "Gemini Ultra" not in benchmarks
    assert "MMLU-Pro" in benchmarks
