"""Scores in lines: flattened leaderboards (`#1 Model` / `95`), `Model: 88%` under a benchmark heading,
and `86` / `MMLU` / `87.5` stacked lines on a two-model page. Each line is looked at a bounded number of times."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import (
    MAX_LABEL_CHARS,
    MAX_ROW_CHARS,
)
from capgraph.ingest.parsers.linekit import (
    NOT_SCORE_LABEL_RE as _NOT_SCORE_LABEL_RE,
)
from capgraph.ingest.parsers.linekit import (
    Columns as _Columns,
)
from capgraph.ingest.parsers.linekit import (
    add_score as _score,
)
from capgraph.ingest.parsers.linekit import (
    clean as _clean,
)
from capgraph.ingest.parsers.prose_terms import BENCH_RE
from capgraph.ingest.vocab import canonical_attribute

# A leaderboard name has at most this many words (longer is a sentence).
MAX_NAME_WORDS = 6
# Name/score pairs needed before alternating lines count as a leaderboard.
MIN_LEADERBOARD_ROWS = 3
_LONE_NUMBER_RE = re.compile(r"^\s*(?:~|≈)?(\d{1,5}(?:\.\d+)?)\s?(%|/100|/10)?\s*$")
_RANK_RE = re.compile(r"^\s*#?\d{1,4}[.)]?\s*")
_MODEL_SCORE_RE = re.compile(
    r"(?:^|[\s:(·|,;-])\s*(?:approximately|about|around|roughly|~|≈)?\s*(\d{1,4}(?:\.\d+)?)\s?(%|/100|/10|Elo\b)?(?![\w.%/])"
)


def leaderboard(lines: list[str], builder: ExtractionBuilder) -> None:
    """`#1 Model` / `95` pairs on alternating lines: scores on the nearest benchmark named above."""
    run: list[tuple[str, float, str | None]] = []
    benchmark = _known_benchmark(lines[:3])
    last_bench = benchmark
    headed = False
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        number = _LONE_NUMBER_RE.match(nxt)
        name = _RANK_RE.sub("", line).strip()
        if number and _leader_name(line, name, builder):
            run.append((name, float(number.group(1)), number.group(2)))
            i += 2
            continue
        _flush_leaderboard(run, last_bench, builder)
        headed = headed and not run  # a board read: the next one names its benchmark afresh
        run = []
        found = _known_benchmark([line])
        # a heading naming the benchmark beats a description line that names it (or another) in passing
        if found and (len(line) <= MAX_LABEL_CHARS or (len(line) <= MAX_ROW_CHARS and not headed)):
            last_bench = found
            headed = len(line) <= MAX_LABEL_CHARS
        i += 1
    _flush_leaderboard(run, last_bench, builder)


def _leader_name(line: str, name: str, builder: ExtractionBuilder) -> bool:
    """A leaderboard entry: a ranked name (`#3 Foo`), or a short name that looks like a model."""
    if not 2 <= len(name) <= MAX_LABEL_CHARS or len(name.split()) > MAX_NAME_WORDS or name.endswith((".", ":")):
        return False
    if line.lstrip().startswith("#") and name[:1].isalnum():
        return True
    return builder.resolver.looks_like_model(name) or builder.resolver.is_known(name)


def _flush_leaderboard(
    run: list[tuple[str, float, str | None]], benchmark: str | None, builder: ExtractionBuilder
) -> None:
    if len(run) < MIN_LEADERBOARD_ROWS or not benchmark:
        return
    for name, value, unit in run:
        model_id = builder.model(name)
        if model_id:
            builder.score(model_id, benchmark, value, unit)


def _known_benchmark(lines: list[str]) -> str | None:
    """The benchmark a line names: any benchmark name in a heading-length line, the common ones in a longer
    line (the full name list costs too much to run over every sentence of a page)."""
    for line in lines:
        match = (BENCH_RE if len(line) <= MAX_LABEL_CHARS else _COMMON_BENCH_RE).search(line[:MAX_ROW_CHARS])
        if match:
            return match.group(0)
    return None


_COMMON_BENCH_RE = re.compile(
    r"\b(?:MMLU[- ]Pro|MMLU|GPQA Diamond|GPQA|HumanEval\+?|MBPP|GSM-?8K|MATH[- ]?500|MATH|AIME \d{4}|"
    r"SWE-bench Verified|SWE-bench|LiveCodeBench|HellaSwag|ARC-Challenge|TruthfulQA|IFEval|BBH|MT-Bench|"
    r"Chatbot Arena|Arena Elo|WER)\b",
    re.IGNORECASE,
)


def model_scores(lines: list[str], columns: _Columns, builder: ExtractionBuilder) -> None:
    """`- GPT-4o: approximately 88.7%` under a benchmark heading; `Score: Claude 73/100 · GPT-4o 69/100`."""
    heading: str | None = None
    for line in lines:
        if len(line) > MAX_ROW_CHARS:
            continue
        found = columns.in_line(line)
        scored = False
        # A line naming benchmarks of its own ("GPT-4.1 90.2% SWE-Bench: 54.6%") is not under the heading's.
        if found and heading is not None and not _NOT_SCORE_LABEL_RE.search(heading) and not BENCH_RE.search(line):
            for k, (_, end, model_id) in enumerate(found):
                stop = found[k + 1][0] if k + 1 < len(found) else len(line)
                match = _MODEL_SCORE_RE.match(line[end:stop])
                if match and match.group(2):
                    _score(builder, model_id, heading, float(match.group(1)), match.group(2))
                    scored = True
        clean = _clean(line)
        if scored or not clean or clean.endswith((".", "?", "!")) or re.search(r"\d{3}", clean):
            continue
        part = _HEAD_SPLIT_RE.split(clean)[0].strip()
        if part and len(part) <= MAX_LABEL_CHARS and not columns.in_line(part):
            heading = part


_HEAD_SPLIT_RE = re.compile(r"\s[—–-]\s|:")


_STACK_VALUE_RE = re.compile(r"^\s*(?:(\d{1,4}(?:\.\d+)?)\s?(%)?|[-—–])\s*$")


def stacked(lines: list[str], titled: list[str], builder: ExtractionBuilder) -> None:
    """`86` / `MMLU` / `87.5` stacked lines on a two-model page: the scores of the title's models, in order."""
    i = 0
    while i + 2 < len(lines):
        first, label, second = (
            _STACK_VALUE_RE.match(lines[i]),
            lines[i + 1].strip(),
            _STACK_VALUE_RE.match(lines[i + 2]),
        )
        if (
            first
            and second
            and (first.group(1) or second.group(1))
            and 0 < len(label) <= MAX_LABEL_CHARS
            and not _STACK_VALUE_RE.match(label)
            and not canonical_attribute(label)
            and not builder.resolver.find_mentions(label)
        ):
            for match, model_id in ((first, titled[0]), (second, titled[1])):
                if match.group(1):
                    _score(builder, model_id, label, float(match.group(1)), match.group(2))
            i += 3
            continue
        i += 1
