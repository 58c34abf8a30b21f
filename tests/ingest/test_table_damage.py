"""Damage shapes seen on real benchmark pages (issue 9), each written here in its own words and numbers:
headers glued to acronyms, rows ending in a long text cell, several benchmarks or several models in one
cell, feature rows naming a benchmark, "Model | Score" tables under a benchmark heading, pipe rows wrapped
over several lines.
"""

from __future__ import annotations

from capgraph.graph.schema import Extraction
from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parse import parse_text


def _scores(e: Extraction) -> dict[tuple[str, str], float]:
    return {(s.model_id, benchmark_key(s.benchmark)): s.value for s in e.scores}


GLUED_ACRONYM_HEADER = """Small models against a closed one

Reasoning

TestMistral 7BPhi-3 Mini 3.8BGPT-3.5 Turbo
ARC Challenge (25-shot)61.284.985.2
WinoGrande (5-shot)75.370.881.6
DROP (3-shot, F1)58.060.064.1
"""


def test_glued_header_splits_a_size_from_the_acronym_after_it() -> None:
    """ "3.8BGPT-3.5 Turbo": the size ends one name and the acronym starts the next, so each row has three
    values, not two with the first glued onto the label."""
    scores = _scores(parse_text(GLUED_ACRONYM_HEADER))
    assert scores[("mistral-7b", "arc-challenge")] == 61.2
    assert scores[("phi-3-mini", "arc-challenge")] == 84.9
    assert scores[("gpt-3-5-turbo", "arc-challenge")] == 85.2
    assert scores[("gpt-3-5-turbo", "drop-f1")] == 64.1
    assert not any("61.2" in s.benchmark for s in parse_text(GLUED_ACRONYM_HEADER).scores)


LONG_TRAILER = """Two reasoning models, head to head

Results
MetricGemini 2.0 FlashClaude 3.7 SonnetWhat it means
AIME 2025 (Math)61.3%54.8%Flash pulls ahead on the hardest contest problems, by about 6 points overall.
GPQA Diamond70.2%77.1%Sonnet answers more of the 198 graduate questions, a clear lead of 7 points.
LiveCodeBench (Code)47.9%52.4%Sonnet writes working solutions more often in timed sessions of 2 hours.
"""


def test_rows_ending_in_a_long_text_cell_keep_their_values() -> None:
    """The last column holds a sentence (with numbers of its own): the row is cut where that text cell
    starts, so the values before it are read and the sentence's numbers are not."""
    e = parse_text(LONG_TRAILER)
    scores = _scores(e)
    assert scores[("gemini-2-0-flash", "aime-2025")] == 61.3
    assert scores[("claude-3-7-sonnet", "aime-2025")] == 54.8
    assert scores[("claude-3-7-sonnet", "gpqa-diamond")] == 77.1
    assert scores[("gemini-2-0-flash", "livecodebench")] == 47.9
    assert {s.value for s in e.scores} == {61.3, 54.8, 70.2, 77.1, 47.9, 52.4}
