"""Category cards flattened to lines: heading, optional winner line, then model / value pairs."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text

PAGE = """# Head to head: Gemma 2 27B and Mistral Large 2

Summary of our own grading runs.

Reasoning
Mistral Large 2
Gemma 2 27B
61.5
Mistral Large 2
70.25

Multilingual
Gemma 2 27B
48
Mistral Large 2
52.5
"""


def _scores(text: str) -> dict[tuple[str, str], float]:
    return {(s.model_id, s.benchmark): s.value for s in parse_text(text).scores}


def test_each_card_gives_one_score_per_model() -> None:
    scores = _scores(PAGE)
    assert scores[("gemma-2-27b", "Reasoning")] == 61.5
    assert scores[("mistral-large-2", "Reasoning")] == 70.25
    assert scores[("gemma-2-27b", "Multilingual")] == 48
    assert scores[("mistral-large-2", "Multilingual")] == 52.5


def test_a_single_pair_or_a_sentence_heading_is_not_a_card() -> None:
    one_pair = PAGE.split("Multilingual")[0].replace("Mistral Large 2\n70.25\n", "")
    assert not any(bench == "Reasoning" for _, bench in _scores(one_pair))
    sentence = PAGE.replace("Multilingual\n", "We also tried several languages.\n")
    assert not any("languages" in bench for _, bench in _scores(sentence))
