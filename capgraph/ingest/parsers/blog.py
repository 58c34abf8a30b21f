"""Blog comparisons: feature tables (`Feature | A | B`) and benchmark tables (`Model | AIME | ...`), plus
any spec lists, variant lists, title comparisons and "by <Vendor>" phrases the post holds.

Only models named in tables, spec-list headings, variant lists or a comparative title are extracted:
related-article teasers and boilerplate name models too, and those are noise.
"""

from __future__ import annotations

from capgraph.graph.values import parse_number
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, read_feature_table, title_comparisons, vendor_phrases
from capgraph.ingest.parsers.specs import read_spec_lists, read_variant_lists
from capgraph.ingest.parsers.tables import Table

_BENCHMARK_FIRST_HEADERS = frozenset({"model", "models", "model name", "llm", "name", "system"})
_AGGREGATE_ROWS = frozenset({"average", "avg", "mean", "median", "total", "overall"})
_TRANSPOSED_FIRST_HEADERS = frozenset(
    {"benchmark", "benchmarks", "metric", "metrics", "test", "task", "dataset", "eval", "evaluation"}
)


def table_kind(table: Table, builder: ExtractionBuilder) -> str:
    """ "benchmark" (Model | bench | bench), "transposed" (Benchmark | model | model), "feature" or "none"."""
    header = [cell.strip() for cell in table.header]
    if len(header) < 2 or not table.body:
        return "none"
    first = header[0].lower()
    if first in _BENCHMARK_FIRST_HEADERS and _mostly_numeric(table.body, range(1, len(header))):
        return "benchmark"
    models = [cell for cell in header[1:] if builder.resolver.looks_like_model(cell)]
    if not models:
        return "none"
    if first in _TRANSPOSED_FIRST_HEADERS and _mostly_numeric(table.body, range(1, len(header))):
        return "transposed"
    return "feature"


def _mostly_numeric(rows: list[list[str]], columns: range) -> bool:
    cells = [row[j] for row in rows for j in columns if j < len(row) and row[j].strip()]
    numeric = sum(1 for cell in cells if parse_number(cell) is not None)
    return bool(cells) and numeric * 2 >= len(cells)


def read_benchmark_table(table: Table, builder: ExtractionBuilder, *, transposed: bool) -> None:
    """One score per numeric cell; models are the row labels (or the header cells when transposed)."""
    header = table.header
    column_models: dict[int, str] = {}
    if transposed:
        for j, cell in enumerate(header[1:], start=1):
            # a column of names ("Winner", "Best for") is no model's column, whatever its header says
            model_id = builder.model(cell) if _mostly_numeric(table.body, range(j, j + 1)) else None
            if model_id:
                column_models[j] = model_id
    for row in table.body:
        label = row[0].strip()
        if not label or len(label.split()) > 10:
            continue
        values = [(j, parse_number(row[j]), row[j]) for j in range(1, len(row))]
        if transposed:
            for j, number, cell in values:
                if number is not None and j in column_models:
                    builder.score(column_models[j], label, number, "%" if "%" in cell else None)
            continue
        if label.lower() in _AGGREGATE_ROWS or not any(number is not None for _, number, _ in values):
            continue
        model_id = builder.model(label)
        if model_id is None:
            continue
        for j, number, cell in values:
            if number is not None and j < len(header) and header[j].strip():
                builder.score(model_id, header[j], number, "%" if "%" in cell else None)


def read_blog_tables(doc: Document, builder: ExtractionBuilder) -> int:
    """Feature and benchmark tables of a blog post; returns how many tables were used."""
    used = 0
    for table in doc.tables:
        for warning in table.warnings:
            builder.warn(warning)
        if table.truncated:
            builder.warn("the text appears truncated inside a table; the incomplete row was dropped")
        kind = table_kind(table, builder)
        if kind in ("benchmark", "transposed"):
            read_benchmark_table(table, builder, transposed=kind == "transposed")
            used += 1
        elif kind == "feature":
            column_models = {}
            for j, cell in enumerate(table.header[1:], start=1):
                if builder.resolver.looks_like_model(cell):
                    model_id = builder.model(cell)
                    if model_id:
                        column_models[j] = model_id
            read_feature_table(table, builder, column_models)
            builder.compare_group(list(column_models.values()))
            used += 1
    return used


def parse_blog(doc: Document, builder: ExtractionBuilder) -> None:
    """Fill the builder from a blog post."""
    title_comparisons(doc, builder)
    if not read_blog_tables(doc, builder):
        builder.warn("no feature or benchmark table could be read")
    read_spec_lists(doc, builder)
    read_variant_lists(doc, builder)
    vendor_phrases(doc, builder)
