"""Pure ingestion: text in, typed `Extraction` out. No store, no model.

Public API: `decode_text` (bytes -> text + warnings), `parse_text` (text -> Extraction), and
`Resolver` (canonical model names, extensible alias table).
"""

from __future__ import annotations

from capgraph.ingest.parse import parse_text
from capgraph.ingest.resolve import ResolvedName, Resolver
from capgraph.ingest.text import decode_text, normalize_text

__all__ = ["ResolvedName", "Resolver", "decode_text", "normalize_text", "parse_text"]
