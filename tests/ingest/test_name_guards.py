"""Names that must not be read as something else: a tuned release is not a base model's long name, and a
model's name is never a benchmark's."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text
from capgraph.ingest.resolve import default_resolver

PAGE = """Falcon-7B and Gemma-7B compared
I ran both Falcon-7B-Instruct and Gemma-7B-Chat through a set of benchmark evaluations:
MMLU (Massive Multitask Language Understanding)
- Falcon-7B: ~55.2%
- Gemma-7B: ~64.5%
HumanEval (Code Generation)
- Falcon-7B: 21.8%
- Gemma-7B: 32.3%
"""


def test_a_fine_tune_suffix_is_no_long_form_of_the_base_name() -> None:
    aliases = default_resolver().page_aliases(PAGE)
    assert "Falcon-7B" not in aliases and "Gemma-7B" not in aliases


def test_a_model_name_is_never_a_benchmark() -> None:
    ex = parse_text(PAGE)
    assert {s.benchmark for s in ex.scores} == {"MMLU", "HumanEval"}
    assert {(s.model_id, s.benchmark, s.value) for s in ex.scores} >= {
        ("falcon-7b", "MMLU", 55.2),
        ("gemma-7b", "HumanEval", 32.3),
    }
