"""Facts stated in running sentences, read by the shape of numbers and units around a model's name:
"$10.00 input / $40.00 output per 1M tokens ... for GPT-4.1 mini", "the larger context window at 1M,
compared with 200K for o3", "671B total parameters, 37B active", "On MATH, DeepSeek R1 scores 97.3%".

A value goes to the model named right after it ("... for o3"), else to the sentence's first model.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import Columns, add_score

# Lines longer than this are cut (a paragraph is read up to here); sentences longer than this skipped.
MAX_PROSE_LINE_CHARS = 5000
MAX_SENTENCE_CHARS = 600
# "for <model>" must follow a value within this many characters to claim it.
FOR_REACH = 40

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9$])")
_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_PRICE_PAIR_RE = re.compile(
    r"\$"
    + _NUM
    + r"\s*(?:/\s*1M\s*|per\s+1M\s+)?(?:input|prompt)(?:\s+tokens?)?\s*(?:/|,|and)\s*\$"
    + _NUM
    + r"\s*(?:/\s*1M\s*|per\s+1M\s+)?(?:output|completion)(?:\s+tokens?)?(?:\s*(?:per|/)\s*(?:1M|million)\s*tokens?)?",
    re.IGNORECASE,
)
_CONTEXT_RE = re.compile(
    r"context(?:\s+window|\s+length)?\s+(?:of|at|is|up\s+to)?\s*" + _NUM + r"\s?([KM])\b(?:\s*tokens)?"
    r"(?:,?\s*(?:compared\s+(?:with|to)|versus|vs\.?|against)\s+" + _NUM + r"\s?([KM])\b(?:\s*tokens)?)?",
    re.IGNORECASE,
)
_PARAMS_RE = re.compile(
    _NUM
    + r"\s?([BMT])\s+(?:total\s+)?param(?:eter)?s(?:\s+in\s+total)?(?:,?\s*(?:with\s+|of\s+which\s+)?"
    + _NUM
    + r"\s?([BMT])\s+(?:are\s+)?active)?",
    re.IGNORECASE,
)
_ON_BENCH_RE = re.compile(r"\bOn\s+([A-Z][\w.+-]{1,30}(?:\s[\w.+-]{1,20}){0,2}),\s")
_SCORES_RE = re.compile(r"\s(?:scores?|achieves?|reaches?|gets?|hits?)\s+(?:an?\s+)?" + _NUM + r"\s?(%)?")
_MAG = {"K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


def prose_facts(lines: list[str], columns: Columns, builder: ExtractionBuilder) -> None:
    for line in lines:
        text = line[:MAX_PROSE_LINE_CHARS]
        if len(text) < 20:
            continue
        for sentence in _SENTENCE_RE.split(text):
            if len(sentence) <= MAX_SENTENCE_CHARS:
                _sentence(sentence, columns, builder)


def _owner(sentence: str, end: int, found: list[tuple[int, int, str]]) -> str | None:
    """The model a value at `end` belongs to: "... for <model>" right after it, else the first model."""
    for start, _, model_id in found:
        if end <= start <= end + FOR_REACH and re.search(r"\bfor\s+(?:the\s+)?$", sentence[end:start]):
            return model_id
    before = [m for s, _, m in found if s < end]
    return before[0] if before else None


def _sentence(sentence: str, columns: Columns, builder: ExtractionBuilder) -> None:
    found = columns.in_line(sentence)
    if not found:
        return
    for match in _PRICE_PAIR_RE.finditer(sentence):
        owner = _owner(sentence, match.end(), found)
        if owner:
            builder.typed_claim(
                owner, "input_price", match.group(0), float(match.group(1).replace(",", "")), "USD/1M tokens"
            )
            builder.typed_claim(
                owner, "output_price", match.group(0), float(match.group(2).replace(",", "")), "USD/1M tokens"
            )
    for match in _CONTEXT_RE.finditer(sentence):
        first = _owner(sentence, match.start(), found) or (found[0][2] if found else None)
        if first:
            builder.typed_claim(
                first, "context_window", match.group(0), _count(match.group(1), match.group(2)), "tokens"
            )
        if match.group(3):
            other = _owner(sentence, match.end(), found)
            if other and other != first:
                builder.typed_claim(
                    other, "context_window", match.group(0), _count(match.group(3), match.group(4)), "tokens"
                )
    for match in _PARAMS_RE.finditer(sentence):
        owner = _owner(sentence, match.start(), found)
        if owner:
            builder.typed_claim(
                owner, "parameters", match.group(0), _count(match.group(1), match.group(2)), "parameters"
            )
            if match.group(3):
                builder.typed_claim(
                    owner, "active_parameters", match.group(0), _count(match.group(3), match.group(4)), "parameters"
                )
    bench = _ON_BENCH_RE.search(sentence)
    if bench:
        for start, end, model_id in found:
            if start > bench.end() - 1:
                score = _SCORES_RE.match(sentence, end)
                if score:
                    unit = score.group(2)
                    add_score(builder, model_id, bench.group(1), float(score.group(1).replace(",", "")), unit)


def _count(number: str, magnitude: str) -> float:
    return float(number.replace(",", "")) * _MAG[magnitude.upper()]
