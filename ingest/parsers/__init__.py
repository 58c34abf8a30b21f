"""One parser per source format; all write through `ExtractionBuilder` and share the table reader."""

from __future__ import annotations

from collections.abc import Callable

from graph.schema import SourceFormat
from ingest.parsers.blog import parse_blog
from ingest.parsers.builder import ExtractionBuilder
from ingest.parsers.common import Document
from ingest.parsers.comparison import parse_comparison
from ingest.parsers.generic import parse_generic
from ingest.parsers.specs import parse_specs

Parser = Callable[[Document, ExtractionBuilder], None]

PARSERS: dict[SourceFormat, Parser] = {
    "comparison": parse_comparison,
    "blog": parse_blog,
    "specs": parse_specs,
    "unknown": parse_generic,
}

__all__ = ["PARSERS", "Document", "ExtractionBuilder", "Parser"]
