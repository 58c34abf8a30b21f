"""Runs of scores in one sentence ("59.1 and 24.9", "83.1 vs 77.0") and the benchmark each score is on.

A run maps in order onto as many owners when the sentence says so ("respectively", "A vs B"), or when
the owners are themselves a list of the same length ("A and B scored 59.1 and 24.9", "scores 59.1
and 24.9 on GPQA and MMLU"): k numbers, k coordinated names, the i-th number is the i-th name's.
Any other run whose owners are unclear adds nothing.
"""

from __future__ import annotations

import itertools
import re

from capgraph.ingest.parsers import prose_terms as t
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.prose_owners import Span, ensure_model

# A percent or /100 score is at most this.
MAX_PERCENT = 100.0
# Metric names that are benchmarks only when no test set is named after them.
METRICS = frozenset({"WER"})
# How far (characters) after a run its "respectively" may be ("... on GPQA and MMLU-Pro respectively").
RESPECTIVELY_REACH = 90
_RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.IGNORECASE)
# "SWE-Bench: 54.6%": a benchmark written as a label owns the value after it, never the one before it.
LABEL_AFTER_RE = re.compile(r"\s?:\s?(?:~|≈)?\d")


def groups(sentence: str, numbers: list[Span]) -> list[list[Span]]:
    """Runs of numbers joined by "and", "," or "vs" ("59.1 and 24.9", "83.1 vs 77.0")."""
    runs: list[list[Span]] = [[numbers[0]]]
    for prev, cur in itertools.pairwise(numbers):
        gap = sentence[prev.end : cur.start]
        if t.LIST_JOINER_RE.match(gap) or t.PAIR_JOINER_RE.match(gap):
            runs[-1].append(cur)
        else:
            runs.append([cur])
    return runs


def _respectively(sentence: str, end: int, numbers: list[Span]) -> bool:
    """ "respectively" closes this run: it follows within reach, with no other number or clause between."""
    match = _RESPECTIVELY_RE.search(sentence, end, end + RESPECTIVELY_REACH)
    if match is None or ";" in sentence[end : match.start()]:
        return False
    return not numbers_in(numbers, end, match.start())


def _coordinated(sentence: str, spans: list[Span]) -> bool:
    """Names written as one list ("A and B", "A, B, and C", "A / B"), nothing else between them."""
    return all(t.LIST_JOINER_RE.match(sentence[a.end : b.start]) for a, b in itertools.pairwise(spans))


def grouped(
    sentence: str,
    group: list[Span],
    found: tuple[list[Span], list[Span], list[Span]],
    bench_context: str | None,
    fallback: Span | None,
    builder: ExtractionBuilder,
) -> bool:
    """Map a run of numbers in order onto as many models or benchmarks; True when it was read.

    False leaves the numbers to be read one by one (a plain list that matches no list of names).
    """
    mentions, benches, numbers = found
    first, last = group[0], group[-1]
    k = len(group)
    models = distinct([m for m in mentions if m.end <= first.start])
    if not mentions and fallback is not None:
        models = [fallback]
    named = distinct([b for b in benches if b.end <= first.start])
    later = distinct([b for b in benches if b.start >= last.end])
    respectively = _respectively(sentence, last.end, numbers)
    pair = k == 2 and t.PAIR_JOINER_RE.match(sentence[first.end : last.start]) is not None
    listed = all(t.LIST_JOINER_RE.match(sentence[a.end : b.start]) for a, b in itertools.pairwise(group))
    if not (respectively or pair or listed):
        return False
    explicit = respectively or pair
    after = len(later) == k and t.ON_BENCH_RE.match(sentence[last.end : later[0].start]) is not None
    if len(models) == 1 and after and (explicit or _coordinated(sentence, later)):
        named = later  # "scores 59.1 and 24.9 on GPQA and SimpleQA (respectively)"
    if (
        len(models) == 1
        and len(named) == k
        and (explicit or _coordinated(sentence, named))
        and not numbers_in(numbers, named[0].start, first.start)
    ):
        for named_bench, number in zip(named, group, strict=True):
            add_score(builder, models[0], named_bench.key, number)
        return True
    follow = [m for m in mentions if m.start >= last.end]
    if pair and models and follow and t.FOR_OWNER_RE.match(sentence, last.end, follow[0].start):
        models = [models[-1], follow[0]]  # "(83.1 vs 68.0 for B)": the first for the subject, the second for B
        bench = bench_for(sentence, last, benches, bench_context)
        if bench and models[0].key != models[1].key:
            for owner, number in zip(models, group, strict=True):
                add_score(builder, owner, bench, number)
        return True
    if len(models) >= k:
        owners = models[-k:]
        between = [m for m in mentions if owners[0].start <= m.start < first.start]
        clear = len(distinct(between)) == k and not numbers_in(numbers, owners[0].end, first.start)
        if not explicit and not (clear and _coordinated(sentence, owners)):
            return False
        if not clear:
            return True  # a run of numbers whose owners are unclear: read nothing
        bench = bench_for(sentence, last, benches, bench_context)
        if bench:
            for owner, number in zip(owners, group, strict=True):
                add_score(builder, owner, bench, number)
        return True
    return explicit


def distinct(spans: list[Span]) -> list[Span]:
    seen: dict[str, Span] = {}
    for span in spans:
        seen.setdefault(span.key.lower(), span)
    return list(seen.values())


def numbers_in(numbers: list[Span], start: int, end: int) -> bool:
    return any(start <= n.start < end for n in numbers)


def bench_for(
    sentence: str, number: Span, benches: list[Span], context: str | None, claimed: frozenset[int] = frozenset()
) -> str | None:
    """The benchmark a score is on: named right after it, else nearest before, else the context's.

    A benchmark named right after another number ("88.7% MMLU, 53.6% GPQA") is that number's
    (`claimed`), so a later number does not take it as "the benchmark named before".
    """
    after = [b for b in benches if b.start >= number.end]
    if (
        after
        and t.ON_BENCH_RE.match(sentence[number.end : after[0].start])
        and not LABEL_AFTER_RE.match(sentence, after[0].end)
    ):
        metric = after[0].key.upper() in METRICS
        if metric and len(after) > 1 and t.ON_BENCH_RE.match(sentence[after[0].end : after[1].start]):
            return after[1].key  # "2.7% WER on LibriSpeech clean": the metric, then the test set
        return after[0].key
    before = [b for b in benches if b.end <= number.start and b.start not in claimed]
    if before:
        return before[-1].key
    if len({b.key.lower() for b in benches}) == 1:
        return benches[0].key
    return None if benches else context


def add_score(builder: ExtractionBuilder, owner: Span, bench: str, number: Span) -> None:
    if number.unit is None and number.value > MAX_PERCENT:
        return
    if builder.has_score(owner.key, bench) or not ensure_model(builder, owner):
        return
    builder.score(owner.key, bench, number.value, number.unit)
