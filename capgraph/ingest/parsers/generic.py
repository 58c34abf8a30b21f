"""Texts of no recognised format: the models they name, where recognisable, and a warning."""

from __future__ import annotations

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, title_comparisons

_MAX_MODELS = 500


def parse_generic(doc: Document, builder: ExtractionBuilder) -> None:
    """Known model names and family-plus-version names anywhere in the text become models."""
    builder.warn("format not recognised (no comparison table, capability blocks, benchmark table or spec list)")
    title_comparisons(doc, builder)
    seen: set[str] = set()
    for mention in builder.resolver.find_mentions(doc.text):
        if mention.resolved.id in seen:
            continue
        if len(seen) >= _MAX_MODELS:
            builder.warn(f"more than {_MAX_MODELS} distinct model names; the rest were ignored")
            break
        seen.add(mention.resolved.id)
        builder.add_resolved(mention.resolved, raw=mention.text)
    if not seen:
        builder.warn("no model names recognised")
