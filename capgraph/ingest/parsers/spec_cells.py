"""Spec rows whose one value cell speaks for several models, each named beside its value.

Seen on model-card and overview pages, often with the label glued to the cell:
"Context LengthLlama 3.1: 128K; Llama 4: 10M tokens (Scout), 1M (Maverick)",
"LicenseApache 2.0 (Mistral 7B, Mixtral 8x7B); proprietary (Mistral Large)",
"| Parameters | Mixtral 8x7B (47B total, 13B active), Mistral Large (123B) |".

The label must be in the claim vocabulary. The cell splits at "|" and ";" into segments and each segment at
top-level commas into items. A segment may open with its owner ("Llama 4: ..."); an item is
"<model> (<value>)", "<value> (<model>, <model>)" or a bare value of the segment's owner. A short name
in an item ("Scout") is read with the segment owner's name before it ("Llama 4 Scout"). A segment owner
given several bare values ("Llama 3: 8B, 70B") is a family listing its sizes: none is taken.
Each line is read once, in time linear in its length.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.vocab import canonical_attribute

# A label ends within this many characters of the line's start; a row longer than MAX_ROW_CHARS is prose.
MAX_LABEL_CHARS = 40
MAX_ROW_CHARS = 600
# A model name inside a cell is at most this long.
MAX_NAME_CHARS = 50
# Where a glued label may end: a colon, a pipe, or a lower-case letter (or ")") meeting a capital or digit.
_LABEL_END_RE = re.compile(r"\s*[:|]\s*|(?<=[a-z)])(?=[A-Z0-9$~])")
_LEAD_RE = re.compile(r"^\s*(?:[-*•·]\s+|\|\s*)?")
_OWNER_RE = re.compile(r"^([^:()]{2,50}):\s*(\S.*)$")
_ITEM_RE = re.compile(r"^([^()]+?)\s*\(([^()]+)\)\s*$")


def read_spec_cells(doc: Document, builder: ExtractionBuilder) -> int:
    """Claims from every labelled row whose cell names the models its values belong to; rows read."""
    used = 0
    for line in doc.lines:
        if len(line) > MAX_ROW_CHARS:
            continue
        labelled = _label(_LEAD_RE.sub("", line).rstrip(" |"))
        if labelled is None:
            continue
        label, cell = labelled
        pairs = _cell_pairs(cell, builder)
        for model_id, value in pairs:
            builder.claim(model_id, label, value)
        if pairs:
            used += 1
            builder.read_lines.add(line.strip())
    return used


def _label(text: str) -> tuple[str, str] | None:
    """The vocabulary label a row opens with and the rest of the row."""
    for match in _LABEL_END_RE.finditer(text, 0, MAX_LABEL_CHARS + 1):
        label, rest = text[: match.start()].strip(), text[match.end() :].strip()
        if label and rest and len(label.split()) <= 4 and canonical_attribute(label):
            return label, rest
    return None


def _cell_pairs(cell: str, builder: ExtractionBuilder) -> list[tuple[str, str]]:
    """(model id, value) for each value the cell gives a named model; [] when it names none."""
    pairs: list[tuple[str, str]] = []
    for segment in (piece for column in _split_top(cell, "|") for piece in _split_top(column, ";")):
        owner_match = _OWNER_RE.match(segment)
        owner = _model(owner_match.group(1), builder, None) if owner_match else None
        prefix = owner_match.group(1).strip() if owner and owner_match else None
        body = owner_match.group(2) if owner and owner_match else segment
        bare: list[str] = []
        for item in _split_top(body, ","):
            named = _item_pairs(item, builder, prefix)
            if named:
                pairs.extend(named)
            elif owner:
                bare.append(item)
        if owner and len(bare) == 1:
            pairs.append((owner, bare[0]))
    return pairs


def _item_pairs(item: str, builder: ExtractionBuilder, prefix: str | None) -> list[tuple[str, str]]:
    """ "Mixtral 8x7B (47B total)" -> the model before the brackets; "128K (Scout, Maverick)" -> each
    model inside them."""
    match = _ITEM_RE.match(item)
    if match is None:
        return []
    outside, inside = match.group(1).strip(), match.group(2).strip()
    named = _model(outside, builder, prefix)
    if named:
        return [(named, inside)]
    owners = [m for part in inside.split(",") if (m := _model(part, builder, prefix))]
    return [(m, outside) for m in dict.fromkeys(owners)]


def _model(name: str, builder: ExtractionBuilder, prefix: str | None) -> str | None:
    """The model a cell's name is (read after the segment owner's name when short); None for a value."""
    text = name.strip()
    if not text or len(text) > MAX_NAME_CHARS or not text[0].isalpha():
        return None
    for candidate in ([f"{prefix} {text}"] if prefix else []) + [text]:
        if builder.resolver.looks_like_model(candidate):
            return builder.model(candidate)
    return None


def _split_top(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside brackets, pieces stripped and non-empty."""
    pieces: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]
