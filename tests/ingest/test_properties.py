"""Property tests: whatever the text, only an Extraction or an IngestError comes out, and the
extraction is internally consistent (every reference points at a model in `models`)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capgraph.errors import IngestError
from capgraph.graph.schema import Extraction
from capgraph.ingest import decode_text, parse_text

from .conftest import fixture_text, seed_text

SOURCES = [seed_text(p) for p in ("000", "001", "002", "003", "004")] + [
    fixture_text(name)
    for name in ("split_rows_no_headings.txt", "noise_in_list.txt", "blog_no_leading_pipes.txt", "specs_two_models.txt")
]
NOISE = [
    "Verdict",
    "+3 more capabilities",
    "Need something different?",
    "Search the match graph →© 2026 Example. Tagline.",
    "| Ecosystem |",
    "| 1 |",
    "|---|---|",
    "Unique:",
    "vs alternatives:",
    "GPT-4o Capabilities",
    "Advertisement",
    "Key: 12 billion",
    "o1/o3",
    "",
    "\t",
    "Llama 4 comes in three main variations:",
]
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    try:
        e = parse_text(text)
    except IngestError:
        return
    assert isinstance(e, Extraction)
    ids = {m.id for m in e.models}
    assert len(ids) == len(e.models)
    assert all(m.id for m in e.models)
    cap_ids = {c.id for c in e.capabilities}
    for cap in e.capabilities:
        assert cap.description.strip()
        assert cap.model_id in ids
        assert cap.id.startswith(cap.model_id + ":")
    for claim in e.claims:
        assert claim.model_id in ids
        assert claim.attribute and claim.value
    for score in e.scores:
        assert score.model_id in ids
    for comparison in e.comparisons:
        assert {comparison.a, comparison.b} <= ids and comparison.a != comparison.b
    for contrast in e.contrasts:
        assert contrast.model_id in ids and contrast.capability_id in cap_ids
    for variant in e.variants:
        assert {variant.variant_id, variant.base_id} <= ids
    assert set(e.declared_capability_counts) <= ids
    assert e.source.format in ("comparison", "blog", "specs", "unknown")
    again = parse_text(text)
    assert again.source.id == e.source.id
    assert [c.id for c in again.capabilities] == [c.id for c in e.capabilities]


@SETTINGS
@given(st.text())
def test_random_text(text: str) -> None:
    check(text)


@SETTINGS
@given(st.text(alphabet=string.printable + "|—→©", max_size=400))
def test_random_printable(text: str) -> None:
    check(text)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    try:
        text, _ = decode_text(data)
    except IngestError:
        return
    check(text)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SOURCES)).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "glue", "cut"]))
        if not lines:
            break
        k = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[k]
        elif op == "duplicate":
            lines.insert(k, lines[k])
        elif op == "insert":
            lines.insert(k, draw(st.sampled_from(NOISE)))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == "glue" and k + 1 < len(lines):
            lines[k : k + 2] = [lines[k] + lines[k + 1]]
        elif op == "cut":
            line = lines[k]
            lines = [*lines[:k], line[: draw(st.integers(0, len(line)))]]
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    return "\n".join(lines)


@SETTINGS
@given(mutated())
def test_mutated_sources(text: str) -> None:
    check(text)


@SETTINGS
@given(st.sampled_from(SOURCES), st.integers(0, 20_000))
def test_truncated_anywhere(text: str, cut: int) -> None:
    check(text[:cut])
