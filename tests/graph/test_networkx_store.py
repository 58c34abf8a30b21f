"""Persistence of the embedded store: append-only segments, compaction, reopening, file layout."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.networkx_store import persistence as networkx_persistence
from capgraph.graph.schema import CapabilityClass, Similarity
from tests.graph.test_store_contract import batch, page


def reopened_equal(store: NetworkxStore, folder: Path) -> NetworkxStore:
    again = NetworkxStore(folder)
    assert again.stats() == store.stats()
    ids = store.all_capability_ids()
    np.testing.assert_array_equal(again.vectors(ids), store.vectors(ids))
    assert [s.id for s in again.list_sources()] == [s.id for s in store.list_sources()]
    for cid in ids:
        assert again.similar_links(cid) == store.similar_links(cid)
    assert again.list_classes() == store.list_classes()
    return again


def test_each_write_adds_small_files_and_compaction_bounds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(networkx_persistence, "MAX_SEGMENTS", 3)
    store = NetworkxStore(tmp_path)
    for n in range(7):
        sims = [Similarity(a=f"alpha-1:c{n}", b=f"beta-2:d{n}", score=0.7)]
        written = batch(page(f"s{n}", str(50 + n), caps_a=[f"c{n}"], caps_b=[f"d{n}"]), sims=sims)
        # one class grows with every write (its whole state each time); alpha's capability joins it and
        # then, later in the same batch, its own class
        grown = [f"alpha-1:c{n}", *(f"beta-2:d{i}" for i in range(n + 1))]
        written.classes = [
            CapabilityClass(id="grown", name=f"Grown {n}", members=grown),
            CapabilityClass(id=f"own{n}", name="Own", members=[f"alpha-1:c{n}"]),
        ]
        store.upsert(written)
        manifest = json.loads((tmp_path / "CURRENT").read_text())
        assert max(len(manifest[k]) for k in ("vector_segments", "link_segments", "class_segments")) <= 3
        assert sorted(p.name for p in (tmp_path / "vectors").glob("*.npz")) == sorted(manifest["vector_segments"])
    assert store.stats().relationships["SIMILAR_TO"] == 7
    sizes = {c.id: c.size for c in store.list_classes()}
    assert sizes == {"grown": 7, **{f"own{n}": 1 for n in range(7)}}
    reopened_equal(store, tmp_path)
    store.remove_source("s3")
    manifest = json.loads((tmp_path / "CURRENT").read_text())
    assert len(manifest["vector_segments"]) == 1  # removal compacts
    assert not (tmp_path / "sources" / "s3.json").exists()
    again = reopened_equal(store, tmp_path)
    assert again.has_vectors(["alpha-1:c3", "alpha-1:c4"]) == [False, True]


def test_a_second_process_view_reloads_after_another_writes(tmp_path: Path) -> None:
    writer, reader = NetworkxStore(tmp_path), NetworkxStore(tmp_path)
    writer.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    with reader.exclusive():  # a writer-to-be picks up the other process's commit first
        assert reader.has_source("s1")
