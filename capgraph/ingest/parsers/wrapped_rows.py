"""A pipe table whose body lost its row breaks: after a header naming models (`Benchmark | A | B |`) the
cells run on over the next lines, each cell closed by a pipe, and each cell holds the values of several
rows at once:

    Benchmark | A | B |
    MMLU
    MATH HumanEval |
    87.3%
    73.8% 89% |
    84.0%
    71.5% 92% |

Read by structure: the text after the header is cut at its pipes into one cell per header column; when every
model cell holds the same number k >= 2 of score-shaped values and the first cell names k benchmarks (the
prose reader's benchmark names, or else exactly k words), the i-th value of a model's cell is its score on
the i-th benchmark. At most MAX_LINES lines after a header are looked at, so the pass is linear.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.linekit import MAX_ROW_CHARS, add_score
from capgraph.ingest.parsers.pipe_rows import column_name
from capgraph.ingest.parsers.prose_terms import BENCH_RE
from capgraph.ingest.parsers.tables import split_cells

# Lines after a header that may hold its wrapped cells.
MAX_LINES = 12
_VALUE_RE = re.compile(r"^(?:~|≈)?(\d{1,3}(?:\.\d{1,2})?)(%)?$")


def wrapped_rows(doc: Document, builder: ExtractionBuilder) -> None:
    """Scores from every header-only pipe table whose cells run on below it."""
    for table in doc.tables:
        if table.body or len(table.header) < 3:
            continue
        heads = [" ".join(cell.split()) for cell in table.header[1:]]
        resolver = builder.resolver
        if not all(column_name(h, resolver) for h in heads) or not any(resolver.looks_like_model(h) for h in heads):
            continue
        models = [builder.model(h) for h in heads]
        cells, used = _cells(doc.lines, table.end, len(table.header))
        if cells is None:
            continue
        values = [cell.split() for cell in cells[1:]]
        k = len(values[0])
        if k < 2 or any(len(v) != k for v in values):
            continue
        parsed = [[_VALUE_RE.match(token) for token in v] for v in values]
        if not all(match for row in parsed for match in row):
            continue
        names = _names(cells[0], k)
        if names is None:
            continue
        for model_id, row in zip(models, parsed, strict=True):
            for name, match in zip(names, row, strict=True):
                if model_id is not None and match is not None:
                    add_score(builder, model_id, name, float(match.group(1)), match.group(2))
        doc.consumed.update(line.strip() for line in used)


def _cells(lines: list[str], start: int, width: int) -> tuple[list[str] | None, list[str]]:
    """The first `width` pipe-closed cells of the text after a header, and the lines they came from."""
    parts: list[str] = []
    used: list[str] = []
    for line in lines[start : start + MAX_LINES]:
        if len(line) > MAX_ROW_CHARS:
            break
        used.append(line)
        parts.append(line.strip())
        text = " ".join(parts)
        if text.count("|") >= width + int(text.startswith("|")):
            cells = split_cells(text)[:width]
            return (cells if len(cells) == width and all(cells) else None), used
    return None, used


def _names(label: str, k: int) -> list[str] | None:
    """The k benchmark names of a wrapped label cell: its benchmark names, or else its k words."""
    found = [m.group(0) for m in BENCH_RE.finditer(label)]
    if len(found) == k:
        return found
    words = label.split()
    return words if len(words) == k else None
