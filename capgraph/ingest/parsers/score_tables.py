"""Pipe tables with one model per row and score columns, whatever the page's format:
`| Model | Score | Std error |` under a heading that names the benchmark ("1. Humanity's Last Exam"), or
`| Rank | Model | GPQA Diamond | Notes |` whose column heads name the benchmarks.

A column is a score column when its head names a benchmark (the prose reader's benchmark names) or is a
generic score word ("Score", "Accuracy", "Pass@1", "Elo") and the nearest heading above the table, within
HEADING_REACH lines, names exactly one benchmark. The model column is the one headed "Model" (or "Name",
"LLM", "System"), else the first. A cell is a score when it is a percent or a decimal, maybe approximate and
glossed ("37.5% ±1.9", "~71% (5-shot)"); under an "Elo"/"Rating" head a bare integer is one too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.linekit import MAX_LABEL_CHARS, NOT_SCORE_LABEL_RE, add_score
from capgraph.ingest.parsers.prose_terms import BENCH_RE
from capgraph.ingest.parsers.tables import Table

# Lines above a table searched for the heading that names its benchmark; a heading is at most this long.
HEADING_REACH = 4
MAX_HEADING_CHARS = 90
_MODEL_HEADS = frozenset({"model", "models", "model name", "llm", "name", "system"})
_GENERIC_RE = re.compile(
    r"^(?:score|scores|accuracy|acc\.?|result|results|pass@1|pass rate|success rate|% correct|"
    r"(?:arena )?elo|rating|elo rating)(?:\s*\(%\))?$",
    re.IGNORECASE,
)
_RATING_RE = re.compile(r"\b(?:elo|rating)\b", re.IGNORECASE)
_CELL_RE = re.compile(
    r"^(?:~|≈)?\s?(?P<n>\d{1,4}(?:,\d{3})?(?:\.\d{1,3})?)\s?(?P<u>%|/100|/10)?"
    r"\s*(?:±\s?\d{1,3}(?:\.\d{1,3})?)?\s*(?:\([^()]{0,40}\))?$"
)
_PAREN_TAIL_RE = re.compile(r"\s*\([^()]{0,40}\)\s*$")


def score_tables(doc: Document, builder: ExtractionBuilder) -> None:
    """Scores from every pipe table whose rows are models and some columns are scores."""
    for table in doc.tables:
        if len(table.header) < 2 or not table.body:
            continue
        heads = [" ".join(cell.split()).strip("*_ ") for cell in table.header]
        model_col = next((j for j, h in enumerate(heads) if h.lower() in _MODEL_HEADS), 0)
        columns = _score_columns(heads, model_col, partial(_heading_bench, doc, table))
        if not columns:
            continue
        for row in table.body:
            if model_col >= len(row):
                continue
            model_id = _row_model(row[model_col], builder)
            if model_id is None:
                continue
            for j, bench, rating in columns:
                value = _cell_score(row[j], rating) if j < len(row) else None
                if value is not None:
                    add_score(builder, model_id, bench, *value)


def _score_columns(heads: list[str], model_col: int, heading: Callable[[], str | None]) -> list[tuple[int, str, bool]]:
    """(index, benchmark, rating?) of each score column; `heading` gives the heading's benchmark lazily."""
    columns: list[tuple[int, str, bool]] = []
    heading_bench: str | None = None
    asked = False
    for j, head in enumerate(heads):
        if j == model_col or not head or len(head) > MAX_LABEL_CHARS or NOT_SCORE_LABEL_RE.search(head):
            continue
        named = [m.group(0) for m in BENCH_RE.finditer(head)]
        if len(named) == 1:
            columns.append((j, head, bool(_RATING_RE.search(head))))
        elif not named and _GENERIC_RE.match(head):
            if not asked:
                heading_bench, asked = heading(), True
            if heading_bench is not None:
                columns.append((j, heading_bench, bool(_RATING_RE.search(head))))
    return columns


def _heading_bench(doc: Document, table: Table) -> str | None:
    """The benchmark the nearest non-empty line above the table names, when it names exactly one."""
    seen = 0
    for k in range(table.start - 1, -1, -1):
        line = doc.lines[k].strip().strip("#*_ ")
        if not line:
            continue
        seen += 1
        if seen > HEADING_REACH or len(line) > MAX_HEADING_CHARS:
            return None
        named = {m.group(0) for m in BENCH_RE.finditer(line)}
        if len(named) == 1:
            return next(iter(named))
        if named:
            return None
    return None


def _row_model(cell: str, builder: ExtractionBuilder) -> str | None:
    """The row's model: the cell must name one, its gloss aside ("GPT-5 (August '25)"); a glossed name
    another table reader already took whole ("Phi-4-mini (reasoning-tuned)") stays that model."""
    full = " ".join(cell.split()).strip("*_ ")
    name = _PAREN_TAIL_RE.sub("", full)
    resolver = builder.resolver
    if not name or len(full) > MAX_LABEL_CHARS or not (resolver.is_known(name) or resolver.looks_like_model(name)):
        return None
    whole = resolver.try_canonical(full) if full != name else None
    return builder.model(full if whole is not None and builder.has_model(whole.id) else name)


def _cell_score(cell: str, rating: bool) -> tuple[float, str | None] | None:
    match = _CELL_RE.match(cell.strip())
    if match is None:
        return None
    text, unit = match.group("n"), match.group("u")
    if "," in text and not rating:
        return None
    if unit is None and "." not in text and not rating:
        return None  # a bare integer is a count or a rank unless the column is a rating
    return float(text.replace(",", "")), unit
