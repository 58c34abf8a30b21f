"""Tables with one model per row and one attribute per column (`| Model | Input | Output | Context |`):
the columns whose header is in the claim vocabulary (or names a price side, "Base Input Tokens") give typed
claims for the row's model."""

from __future__ import annotations

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.vocab import canonical_attribute, price_attribute

# A row label longer than this is not a model name.
MAX_ROW_NAME_CHARS = 80


def row_model_tables(doc: Document, builder: ExtractionBuilder) -> None:
    """Claims from tables whose first column names models and whose headers name vocabulary attributes."""
    known = {m.id for m in builder.models()}
    for table in doc.tables:
        header = table.header
        columns = [(j, h) for j, h in enumerate(header) if j > 0 and (canonical_attribute(h) or price_attribute(h))]
        if not columns:
            continue
        for row in table.body:
            if not row or len(row[0]) > MAX_ROW_NAME_CHARS:
                continue
            resolved = builder.resolver.try_canonical(row[0])
            if resolved is None:
                continue
            if resolved.id not in known and not builder.resolver.looks_like_model(row[0]):
                continue
            model_id = builder.add_resolved(resolved, raw=row[0])
            for j, label in columns:
                if j < len(row):
                    builder.claim(model_id, label, row[j])
