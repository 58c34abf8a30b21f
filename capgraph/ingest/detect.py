"""Which format a text is, decided from its structure (see `detect_format`)."""

from __future__ import annotations

import re

from capgraph.graph.schema import SourceFormat
from capgraph.ingest.parsers.blog import table_kind
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, vs_title
from capgraph.ingest.parsers.specs import find_spec_runs
from capgraph.ingest.resolve import Resolver

_BLOCK_LINE_RE = re.compile(r"^\s*(?:unique|vs\.?\s+alternatives?)\s*:", re.IGNORECASE)
_TABLE_NEAR_TITLE = 5
_TITLE_ONLY_LINES = 3


def detect_format(doc: Document, resolver: Resolver) -> SourceFormat:
    """Classify a text.

    - "comparison": capability blocks (`Unique:` / `vs alternatives:` lines), or an "X vs Y" title
      followed closely by a table, or an "X vs Y" title with next to nothing else (a truncated page);
    - "blog": a feature or benchmark table (a blog with both tables and spec lists is a blog);
    - "specs": a spec list (`Key: value` run with mostly numeric values);
    - "unknown": anything else.
    """
    if any(_BLOCK_LINE_RE.match(line) for line in doc.lines):
        return "comparison"
    filled = [k for k, line in enumerate(doc.lines) if line.strip()]
    if vs_title(doc.first_line()):
        near = filled[min(len(filled) - 1, _TABLE_NEAR_TITLE)] if filled else 0
        if len(filled) <= _TITLE_ONLY_LINES or any(t.width >= 3 and t.start <= near for t in doc.tables):
            return "comparison"
    probe = ExtractionBuilder(resolver)
    if any(table_kind(table, probe) != "none" for table in doc.tables):
        return "blog"
    if find_spec_runs(doc.lines):
        return "specs"
    return "unknown"
