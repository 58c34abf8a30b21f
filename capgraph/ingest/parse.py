"""The public entry point: one text in, one typed `Extraction` out (no store, no model)."""

from __future__ import annotations

from capgraph.errors import IngestError
from capgraph.graph.schema import Extraction, Source
from capgraph.ingest.detect import detect_format
from capgraph.ingest.parsers import PARSERS, Document, ExtractionBuilder
from capgraph.ingest.parsers.listed_names import read_listed_names
from capgraph.ingest.parsers.prose import read_prose
from capgraph.ingest.parsers.prose_pairs import read_prose_pairs
from capgraph.ingest.parsers.recover import recover, score_pairs
from capgraph.ingest.parsers.spec_cells import read_spec_cells
from capgraph.ingest.parsers.stacked_header import read_stacked_headers
from capgraph.ingest.parsers.url_names import url_comparisons
from capgraph.ingest.resolve import Resolver, default_resolver
from capgraph.ingest.text import crawler_url, normalize_text, text_id

_MAX_TITLE_CHARS = 300
PAGE_ALIAS_CHARS = 200_000  # short forms are looked for in the opening of a text (a page's names are near the top)


def parse_text(
    text: str, *, title: str | None = None, url: str | None = None, resolver: Resolver | None = None
) -> Extraction:
    """Parse one text into an `Extraction`; raises only `IngestError` (empty, binary, not a str, or no
    model name at all: such a text is refused rather than stored empty).

    `source.id` is the sha256 of the normalized text, so parsing the same text again gives the same ids.
    Anything the parsers cannot read becomes a warning on the extraction rather than an error.
    """
    if not isinstance(text, str):
        raise IngestError(f"expected text (str), got {type(text).__name__}; decode bytes with decode_text")
    normalized = normalize_text(text)
    if not normalized:
        raise IngestError("the text is empty or whitespace only")
    if "\x00" in normalized:
        raise IngestError("the text looks binary (it contains NUL characters)")
    active = resolver if resolver is not None else default_resolver()
    page_url, body = crawler_url(normalized)
    if not body.strip():
        raise IngestError("the text holds only a URL line")
    url = url or page_url
    active = active.with_aliases(active.page_aliases(body[:PAGE_ALIAS_CHARS]))
    doc = Document.from_text(body)
    fmt = detect_format(doc, active)
    builder = ExtractionBuilder(active)
    PARSERS[fmt](doc, builder)
    recover(doc, builder)
    read_spec_cells(doc, builder)
    read_stacked_headers(doc, builder)
    read_prose(doc, builder)
    read_listed_names(doc, builder)
    if page_url:
        url_comparisons(page_url, doc, builder)
    read_prose_pairs(doc, builder)
    score_pairs(builder)
    builder.drop_bare_families()
    chosen_title = " ".join((title or "").split()) or doc.title() or "untitled"
    source = Source(
        id=text_id(normalized),
        title=chosen_title[:_MAX_TITLE_CHARS],
        url=url,
        format=fmt,
        chars=len(normalized),
    )
    if not builder.model_ids():
        raise IngestError("no model or product name found in the text, so there is nothing to store")
    extraction = builder.build(source)
    if not (extraction.claims or extraction.scores or extraction.capabilities or extraction.comparisons):
        extraction.warnings.append("models found but no facts (claims, scores, capabilities or comparisons)")
    return extraction
