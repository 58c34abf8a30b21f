"""A raw JSON API response stored instead of a page (often cut mid-array, so not loadable as JSON):
its `"key": value` pairs are scanned with one linear regex; vocabulary keys give claims about the model
the `display_name` / `name` key names."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.vocab import canonical_attribute

# Only texts that start like JSON are read this way; pairs scanned per text are capped.
MAX_PAIRS = 5000
_PAIR_RE = re.compile(
    r'"([A-Za-z_][\w]{0,40})"\s*:\s*("(?:[^"\\]|\\.){0,300}"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null'
    r"|\[[^\[\]{}]{0,400}\]|\{)"
)
# A nested object's keys are read as its children for this many pairs, or up to a closing brace
# (braces are not matched as a whole: the text is often cut mid-object).
NESTED_REACH = 3
_NAME_KEYS = ("display_name", "model_name", "name", "model", "id")
_MODALITY_KEYS = frozenset({"input", "input_modalities", "modalities"})


def json_facts(doc: Document, builder: ExtractionBuilder) -> None:
    text = doc.text.lstrip()
    if not text.startswith(("{", "[")):
        return
    pairs: list[tuple[str, str]] = []
    closed: list[bool] = []  # whether a "}" stands between the previous pair and this one
    last = 0
    for match in _PAIR_RE.finditer(text):
        pairs.append((match.group(1), match.group(2)))
        closed.append("}" in text[last : match.start()])
        last = match.end()
        if len(pairs) >= MAX_PAIRS:
            break
    model_id = _subject(pairs, builder)
    if model_id is None:
        return
    parent, reach = "", 0
    for (key, raw), ends in zip(pairs, closed, strict=True):
        if raw == "{":
            parent, reach = key, NESTED_REACH
            continue
        reach -= 1
        if reach < 0 or ends:
            parent = ""  # past the nested object's reach, or its closing brace
        value = raw.strip('"') if raw.startswith('"') else raw
        if raw == "null" or not value:
            continue
        if (key in _MODALITY_KEYS and parent == "modalities") or key == "input_modalities":
            builder.claim(model_id, "modalities", value)
            continue
        if parent == "modalities":
            continue
        label = "release_date" if key in ("release_date", "released", "released_at", "launch_date") else key
        if canonical_attribute(label):
            builder.claim(model_id, label, value)


def _subject(pairs: list[tuple[str, str]], builder: ExtractionBuilder) -> str | None:
    for wanted in _NAME_KEYS:
        for key, raw in pairs:
            if key == wanted and raw.startswith('"'):
                model_id = builder.model(raw.strip('"'))
                if model_id is not None:
                    return model_id
    return None
