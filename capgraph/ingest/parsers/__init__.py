"""One parser per source format; all write through `ExtractionBuilder` and share the table reader."""

from __future__ import annotations

from collections.abc import Callable

from capgraph.graph.schema import SourceFormat
from capgraph.ingest.parsers.blog import parse_blog
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.comparison import parse_comparison
from capgraph.ingest.parsers.generic import parse_generic
from capgraph.ingest.parsers.specs import parse_specs

Parser = Callable[[Document, ExtractionBuilder], None]

PARSERS: dict[SourceFormat, Parser] = {
    "comparison": parse_comparison,
    "blog": parse_blog,
    "specs": parse_specs,
    "unknown": parse_generic,
}

__all__ = ["PARSERS", "Document", "ExtractionBuilder", "Parser"]
