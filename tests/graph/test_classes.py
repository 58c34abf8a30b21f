"""Capability classes: grouping across models, stable ids, readable names, incremental assignment."""

from __future__ import annotations

import numpy as np

from capgraph.graph.classes import assign_classes, calibrate_threshold, dice, name_classes, terms
from capgraph.graph.schema import Capability, CapabilityClass


def _cap(model: str, n: int, name: str, description: str = "") -> Capability:
    return Capability(id=f"{model}:{n}", model_id=model, name=name, description=description or name)


def _unit_rows(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


CAPS = [
    _cap("gpt-4o", 1, "Includes built-in function calling", "Calls developer-defined functions with JSON arguments"),
    _cap("o4-mini", 1, "Implements function calling", "Function calling with structured JSON arguments"),
    _cap("whisper", 1, "Transcribes audio in 98 languages", "Speech recognition across 98 languages"),
    _cap("gpt-4o", 2, "Processes text, images, and audio", "Accepts text, images and audio as input"),
]
VECTORS = _unit_rows([[1, 0.1, 0, 0], [0.95, 0.15, 0, 0], [0, 0, 1, 0], [0.1, 0, 0.2, 1]])


def test_same_capability_of_different_models_is_one_class() -> None:
    classes = assign_classes(CAPS, VECTORS)
    sizes = {c.name: c.size for c in classes}
    assert sizes["Function calling"] == 2
    assert sum(c.size for c in classes) == len(CAPS)
    assert len(classes) == 3


def test_two_capabilities_of_one_model_never_share_a_class() -> None:
    twin = _cap("gpt-4o", 3, "Function calling in parallel", "Calls several functions with JSON arguments")
    caps = [*CAPS, twin]
    vectors = np.vstack([VECTORS, VECTORS[:1]])
    for cls in assign_classes(caps, vectors):
        owners = [m.split(":")[0] for m in cls.members]
        assert len(owners) == len(set(owners)), cls


def test_ids_are_stable_and_new_sources_join_existing_classes() -> None:
    first = assign_classes(CAPS[:3], VECTORS[:3])
    again = assign_classes(CAPS[:3], VECTORS[:3])
    assert [c.id for c in first] == [c.id for c in again]
    newcomer = _cap("llama-4", 1, "Supports function calling", "Tool use through JSON function calls")
    known_vectors = {c.id: VECTORS[i] for i, c in enumerate(CAPS[:3])}
    grown = assign_classes(
        [newcomer],
        _unit_rows([[0.97, 0.12, 0, 0]]),
        existing=first,
        known_vectors=known_vectors,
        known_capabilities={c.id: c for c in CAPS[:3]},
    )
    assert [c.id for c in grown][: len(first)] == [c.id for c in first]
    (calling,) = [c for c in grown if "llama-4:1" in c.members]
    assert calling.size == 3 and calling.id == next(c.id for c in first if "gpt-4o:1" in c.members)


def test_unrelated_capabilities_stay_apart_at_the_threshold() -> None:
    classes = assign_classes(CAPS, VECTORS, threshold=0.99)
    assert all(c.size == 1 for c in classes)
    assert {c.name for c in classes} == {c.name for c in CAPS}


def test_terms_and_dice() -> None:
    assert terms("Implements the function calling tools") == ["function", "calling", "tool"]
    assert "concept:lora" in terms("Supports low-rank adaptation")  # the search tokenizer's concepts
    assert dice(["a1", "b2"], ["b2", "c3"]) == 0.5
    assert dice([], []) == 0.0


def test_calibration_prefers_recall_at_the_required_precision() -> None:
    scored = [(0.9, True), (0.8, True), (0.7, False), (0.65, True), (0.3, False)]
    assert calibrate_threshold(scored, min_precision=0.75) == 0.65
    assert calibrate_threshold(scored, min_precision=0.95) == 0.8


def _named(caps: list[Capability]) -> str:
    (cls,) = name_classes(
        [CapabilityClass(id="class:x", name="", members=[c.id for c in caps])], {c.id: c for c in caps}
    )
    return cls.name


def test_a_class_name_is_a_whole_phrase_found_as_whole_words() -> None:
    """ "text" is not in "context": three long-context capabilities are not called "Text"."""
    caps = [
        _cap("m1", 1, "Offers a 64K-token context window", "A 64K-token context window for whole reports."),
        _cap("m2", 1, "Reads and writes text", "Reads and writes text with a context window of 32K tokens."),
        _cap("m3", 1, "Handles long-context summarisation", "Summarises long files in one context window."),
    ]
    assert _named(caps) == "Context window"


def test_a_class_name_is_not_a_modifier_cut_from_its_noun() -> None:
    caps = [
        _cap("m1", 1, "Includes built-in function calling", "Calls the developer's functions."),
        _cap("m2", 1, "Function calling with retries", "Calls functions and retries them."),
        _cap("m3", 1, "Function registry", "Keeps a registry of functions."),
    ]
    assert _named(caps) == "Function calling"
    protocol = [
        _cap("m1", 1, "Implements Agent Wire Protocol", "Speaks the agent wire protocol."),
        _cap("m2", 1, "Agent Wire Protocol client", "A client of the agent wire protocol."),
        _cap("m3", 1, "Adapters to HTTP", "Adapters from the wire protocol to HTTP."),
    ]
    assert _named(protocol) == "Agent Wire Protocol"


def test_a_class_of_one_is_named_by_its_whole_label() -> None:
    cap = _cap("m1", 1, "Reads scanned forms", "Reads scanned forms, invoices, and receipts into JSON.")
    assert _named([cap]) == "Reads scanned forms, invoices, and receipts"
