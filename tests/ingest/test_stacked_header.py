"""Tables whose column heads are stacked over two lines (family line, then size line), cells split by spaces."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text

PAGE = """My own numbers, greedy decoding, no language model:
Falcon Falcon Gemma Mistral 7B
7B 40B 2B v0.3
arc challenge 47.9 61.9 42.1 59.9
hella swag 78.1 85.3 71.4 84.9
winogrande 72.4 81.3 65.4 78.4
The larger models win, as expected.
"""


def test_two_line_heads_name_the_columns_and_rows_give_scores() -> None:
    ex = parse_text(PAGE)
    ids = {m.id for m in ex.models}
    assert {"falcon-7b", "falcon-40b", "gemma-2b"} <= ids
    got = {(s.model_id, s.benchmark.lower(), s.value) for s in ex.scores}
    assert {
        ("falcon-7b", "arc challenge", 47.9),
        ("falcon-40b", "hella swag", 85.3),
        ("gemma-2b", "winogrande", 65.4),
    } <= got
    pairs = {frozenset((c.a, c.b)) for c in ex.comparisons}
    assert frozenset(("falcon-7b", "gemma-2b")) in pairs


def test_rows_without_a_stacked_head_give_nothing() -> None:
    text = "Falcon 7B notes\nThe scores below are from my runs.\narc challenge 47.9 61.9\nhella swag 78.1 85.3\n"
    ex = parse_text(text)
    assert not any(s.benchmark.lower() == "arc challenge" and s.model_id != "falcon-7b" for s in ex.scores)
    assert len({s.model_id for s in ex.scores}) <= 1
