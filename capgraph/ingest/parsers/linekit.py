"""Shared by the line readers: limits, the page's model names found in a line, and one way to add a score."""

from __future__ import annotations

import re

from capgraph.ingest.benchmarks import benchmark_key
from capgraph.ingest.parsers.builder import ExtractionBuilder

# Lines longer than this are prose paragraphs, not table rows, headers or labels.
MAX_ROW_CHARS = 240
# A header holds at most this many model columns; a row label is at most this long.
MAX_COLUMNS = 8
MAX_LABEL_CHARS = 60
# Labels of measurements that are not benchmark scores; "context" only as the window ("Long-Context
# Retrieval" is a task, scored like any other).
NOT_SCORE_LABEL_RE = re.compile(
    r"price|cost|\$|speed|latency|memory|vram|size|tokens?/s|t/s|throughput|languages?|year|released?|date|"
    r"params?|parameters|context(?:[\s_-]*(?:length|size|limit))?(?![\s-]*[A-Za-z])|window|downloads|stars|count",
    re.IGNORECASE,
)
HEADING_JUNK = " \t#*_`>|-–—:•·"
# A line ending like a sentence is prose: never a heading, a label or a tile's value.
SENTENCE_END_RE = re.compile(r"[.!?]\s*$")


def clean(line: str) -> str:
    return line.strip().strip(HEADING_JUNK).strip()


class Columns:
    """The models a page names, found by plain substring search in lines (linear, case-insensitive)."""

    def __init__(self, builder: ExtractionBuilder, names: dict[str, str]) -> None:
        self.builder = builder
        self.names = sorted(names.items(), key=lambda kv: -len(kv[0]))

    def in_line(self, line: str) -> list[tuple[int, int, str]]:
        lower = line.lower()
        taken: list[tuple[int, int, str]] = []
        for name, model_id in self.names:
            start = lower.find(name)
            while start >= 0 and len(taken) <= MAX_COLUMNS:
                end = start + len(name)
                if all(end <= s or start >= e for s, e, _ in taken):
                    taken.append((start, end, model_id))
                start = lower.find(name, end)
        return sorted(taken)


def add_score(builder: ExtractionBuilder, model_id: str, benchmark: str, value: float, unit: str | None) -> None:
    name = benchmark.strip(HEADING_JUNK)
    if not benchmark_key(name) or len(name) > MAX_LABEL_CHARS:
        return
    builder.score(model_id, name, value, unit)
