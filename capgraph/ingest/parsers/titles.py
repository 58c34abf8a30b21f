"""The models an "X vs Y" title names: compared with each other, and the columns of a table whose header
was lost."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, strip_purpose
from capgraph.ingest.parsers.linekit import MAX_COLUMNS, MAX_ROW_CHARS, SENTENCE_END_RE
from capgraph.ingest.resolve import slugify

# The title is looked for among this many first lines (a site name may come first).
TITLE_LINES = 5
# A line longer than this that ends like a sentence is prose, not a title.
MAX_TITLE_SENTENCE_CHARS = 80


def title_models(doc: Document, builder: ExtractionBuilder) -> list[str]:
    """The models an "X vs Y" title names, in title order: the columns of a table with no header.

    The title is the first line holding "vs" among the first few lines; a bare "VS" line joins the
    lines around it (a title split over three lines).
    """
    head = [line.strip() for line in doc.lines if line.strip()][:TITLE_LINES]
    for k, line in enumerate(head):
        if len(line) > MAX_ROW_CHARS or not _VS_RE.search(line):
            continue
        if len(line) > MAX_TITLE_SENTENCE_CHARS and SENTENCE_END_RE.search(line):
            continue  # a sentence of prose naming several models is no title: it compares nothing
        text = " vs ".join(head[max(0, k - 1) : k + 2]) if _VS_RE.fullmatch(line) else line
        ids: list[str] = []
        for mention in builder.resolver.find_mentions(text):
            model_id = builder.add_resolved(mention.resolved, raw=mention.text)
            if model_id not in ids:
                ids.append(model_id)
        if len(ids) < 2:
            ids = _title_sides(text, builder) or ids
        return ids if 2 <= len(ids) <= MAX_COLUMNS else []
    return []


def _title_sides(text: str, builder: ExtractionBuilder) -> list[str]:
    """ "Claude vs GPT-4o: a breakdown": the names either side of "vs", products included."""
    sides = _VS_RE.split(_TITLE_TAIL_RE.split(text, maxsplit=1)[0])
    ids: list[str] = []
    for side in sides:
        name = strip_purpose(side.strip(" *#_"))
        if not _PRODUCT_NAME_RE.match(name):
            return []
        model_id = builder.model(name)
        if model_id and model_id not in ids:
            ids.append(model_id)
    return ids


# A title's tail after its names ("X vs Y: which is better", "X vs Y - site"); a bare product name.
_TITLE_TAIL_RE = re.compile(r"[:|?(,!]|\s[—–-]\s")
_PRODUCT_NAME_RE = re.compile(r"^[A-Za-z0-9@][\w.+/@-]*(?: [\w.+/@-]+)?$")
_VS_RE = re.compile(r"\b(?:vs\.?|versus)(?:\s|$)", re.IGNORECASE)


def title_side_name(side: str, builder: ExtractionBuilder) -> str:
    """ "GPT-4o for support chat": the model name a title side starts with, without the lower-case words
    after it (a purpose, not part of the name); the side as written otherwise."""
    mentions = builder.resolver.find_mentions(side)
    if mentions and mentions[0].start == 0 and _LOWER_TAIL_RE.match(side, mentions[0].end):
        return side[: mentions[0].end]
    return side


_LOWER_TAIL_RE = re.compile(r"\s+[a-z]")


def specific_side(title_name: str, header_name: str, builder: ExtractionBuilder) -> str:
    """A title's bare family word ("Llama vs Qwen") over a table column naming a model of that family
    ("Llama 3.1 8B"): the column is the model compared; the title only named its family."""
    resolver = builder.resolver
    title, header = resolver.try_canonical(title_name), resolver.try_canonical(header_name)
    if title is None or header is None or title.id == header.id or not title.family:
        return title_name
    if title.id == slugify(title.family) and header.family == title.family and resolver.looks_like_model(header_name):
        return header_name
    return title_name
