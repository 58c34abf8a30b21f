"""A table row that lost a text cell and slid left is put back under its columns."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text
from capgraph.ingest.parsers.shifted_rows import realign_shifted

HEADER = ["System", "Maker", "ARC", "DROP", "Remarks"]


def test_left_shifted_row_moves_back() -> None:
    rows = [
        HEADER,
        ["Alpha", "Acme", "71", "80.5", "fast"],
        ["Beta", "Globex", "69", "77.0", "cheap"],
        ["Gamma", "65.5", "74.1", "slow on long inputs", ""],
    ]
    assert realign_shifted(rows)[3] == ["Gamma", "", "65.5", "74.1", "slow on long inputs"]


def test_rows_that_fit_or_lack_agreement_stay() -> None:
    fitting = [HEADER, ["Alpha", "Acme", "71", "80.5", ""], ["Beta", "Globex", "69", "77.0", "cheap"],
               ["Gamma", "Initech", "66", "70", "ok"]]  # fmt: skip
    assert realign_shifted(fitting) == fitting
    mixed = [HEADER, ["Alpha", "12", "71", "80.5", "a"], ["Beta", "Globex", "69", "77.0", "b"],
             ["Gamma", "65.5", "74.1", "x", ""]]  # fmt: skip
    assert realign_shifted(mixed) == mixed  # the maker column holds a number elsewhere: no agreed kind


def test_shifted_row_scores_land_on_their_benchmarks() -> None:
    page = """# Open model board

| Model | Maker | MMLU | GSM8K | Notes |
|---|---|---|---|---|
| Gemma 2 9B | Google | 71.3 | 68.6 | small and quick |
| Qwen 2.5 7B | Alibaba | 74.2 | 85.4 | strong at maths |
| Mistral 7B | 62.5 | 52.2 | older but light | |
"""
    scores = {(s.model_id, s.benchmark): s.value for s in parse_text(page).scores}
    assert scores[("mistral-7b", "MMLU")] == 62.5
    assert scores[("mistral-7b", "GSM8K")] == 52.2
    assert scores[("gemma-2-9b", "MMLU")] == 71.3
