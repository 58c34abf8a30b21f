"""Opening the embedded store from its snapshot: one read plus the tail, the same state as a full replay,
a replay (said, then written back) when the snapshot is missing or stale, and lazily read vectors."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest

from capgraph.embeddings import index as vector_index
from capgraph.embeddings.index import VectorIndex
from capgraph.errors import StoreUnavailable
from capgraph.graph.networkx_store import NetworkxStore, snapshot
from capgraph.graph.networkx_store.persistence import NetworkxPersistence
from capgraph.graph.schema import CapabilityClass, Extraction, Similarity
from tests.conftest import ROOT
from tests.graph.test_networkx_recovery import killed_during, leftovers
from tests.graph.test_store_contract import batch, page


def graph_state(g: nx.MultiDiGraph) -> tuple[list[Any], list[Any], list[Any]]:
    """Nodes, out-edges and each node's in-edges in iteration order: what reads can observe."""
    nodes = [(k, d) for k, d in g.nodes(data=True)]
    edges = [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)]
    preds = [(v, [(u, k) for u, _, k in g.in_edges(v, keys=True)]) for v in g.nodes]
    return nodes, edges, preds


def graph_content(g: nx.MultiDiGraph) -> tuple[list[Any], list[Any], list[Any]]:
    """`graph_state` without the order nodes were added in (a full replay adds every source's nodes
    before any class, a live write interleaves them; reads sort what they return)."""
    return graph_content_of(graph_state(g))


def graph_content_of(state: tuple[list[Any], list[Any], list[Any]]) -> tuple[list[Any], list[Any], list[Any]]:
    nodes, edges, preds = state
    return (
        sorted(nodes, key=lambda n: n[0]),
        sorted(edges, key=lambda e: e[:3]),
        sorted((v, sorted(p)) for v, p in preds),
    )


def replayed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> NetworkxStore:
    """The store opened as before snapshots: every source replayed, nothing written back."""
    with monkeypatch.context() as m:
        m.setattr(NetworkxPersistence, "_read_snapshot", lambda self, current: None)
        m.setattr(NetworkxPersistence, "_amend", lambda self: None)
        return NetworkxStore(folder)


def source_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []
    real = Extraction.model_validate_json

    def counting(data: Any, **kw: Any) -> Extraction:
        ex = real(data, **kw)
        parsed.append(ex.source.id)
        return ex

    monkeypatch.setattr(Extraction, "model_validate_json", counting)
    return parsed


def write_pages(store: NetworkxStore, start: int, n: int) -> None:
    """Writes with links and classes that regroup earlier capabilities: what the tail replay must redo."""
    for i in range(start, start + n):
        written = batch(
            page(f"s{i}", str(50 + i), caps_a=[f"c{i}"], caps_b=[f"d{i}"]),
            sims=[Similarity(a=f"alpha-1:c{i}", b=f"beta-2:d{i}", score=0.7)],
        )
        written.classes = [
            CapabilityClass(id="grown", name=f"Grown {i}", members=[f"beta-2:d{j}" for j in range(i + 1)]),
            CapabilityClass(id=f"own{i}", name="Own", members=[f"alpha-1:c{i}"]),
        ]
        if i % 2:  # members in the opposite order to their nodes: in-edges out of node order
            written.classes.append(
                CapabilityClass(id=f"pair{i}", name="Pair", members=[f"beta-2:d{i}", f"alpha-1:c{i}"])
            )
        store.upsert(written)


def manifest(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "CURRENT").read_text()))


def test_open_reads_the_snapshot_and_replays_only_the_tail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 4)  # the first write made the snapshot; three more are its tail
    assert manifest(tmp_path)["snapshot"] == "snap-00000001.json"
    parsed = source_reads(monkeypatch)
    again = NetworkxStore(tmp_path)
    assert parsed == ["s1", "s2", "s3"]
    assert graph_state(again._graph) == graph_state(store._graph)
    monkeypatch.undo()
    assert graph_content(again._graph) == graph_content(replayed(tmp_path, monkeypatch)._graph)
    assert again.list_classes() == store.list_classes() and again.list_sources() == store.list_sources()


@pytest.mark.parametrize("delta_max", [0, 3, 1000])
def test_snapshot_and_tail_give_the_replayed_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delta_max: int
) -> None:
    monkeypatch.setattr(snapshot, "DELTA_MAX", delta_max)
    monkeypatch.setattr("capgraph.graph.networkx_store.persistence.DELTA_MAX", delta_max)
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 6)
    store.remove_source("s2")  # compacts: a fresh snapshot
    write_pages(store, 6, 3)
    again, full = NetworkxStore(tmp_path), replayed(tmp_path, monkeypatch)
    assert graph_state(again._graph) == graph_state(store._graph)
    assert graph_content(again._graph) == graph_content(full._graph)
    assert again.list_classes() == full.list_classes()
    assert again._similarities == full._similarities
    assert [c.id for c in again._classes.values()] == [c.id for c in full._classes.values()]


def test_the_seeds_answer_the_same_from_snapshot_and_replay(seeded_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, full = NetworkxStore(seeded_copy), replayed(seeded_copy, monkeypatch)
    assert graph_content(fast._graph) == graph_content(full._graph)
    exported = [json.loads(s.export("json")) for s in (fast, full)]
    for doc in exported:  # in graph order, which is the order nodes were added in (see `graph_content`)
        doc["nodes"].sort(key=lambda n: n["id"])
        doc["edges"].sort(key=lambda e: (e["source"], e["target"], e["key"]))
    assert exported[0] == exported[1]
    models = fast.list_models(limit=1000)[0]
    assert models == full.list_models(limit=1000)[0]
    for m in models:
        assert fast.claims(m.id) == full.claims(m.id) and fast.evidence(m.id) == full.evidence(m.id)
    assert fast.source_extraction(fast.list_sources()[0].id) == full.source_extraction(full.list_sources()[0].id)


def test_a_store_without_snapshot_is_replayed_said_and_given_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 3)
    older = manifest(tmp_path)  # as older code wrote it: no snapshot named
    del older["snapshot"]
    (tmp_path / "CURRENT").write_text(json.dumps(older))
    with caplog.at_level(logging.WARNING):
        opened = NetworkxStore(tmp_path)
    assert "snapshot missing or unreadable; replaying 3 sources" in caplog.text
    state = graph_content(opened._graph)
    assert state == graph_content(store._graph)
    assert manifest(tmp_path)["snapshot"] == "snap-00000003a.json"  # written back, same generation
    parsed = source_reads(monkeypatch)
    assert graph_state(NetworkxStore(tmp_path)._graph) == graph_state(opened._graph) and parsed == []


def test_an_unreadable_or_stale_snapshot_falls_back_to_the_replay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 3)
    state = graph_content(store._graph)
    current = manifest(tmp_path)
    (tmp_path / "snapshots" / current["snapshot"]).write_bytes(b'{"version": 1, "covers"')
    monkeypatch.setattr(NetworkxPersistence, "_amend", lambda self: None)
    with caplog.at_level(logging.WARNING):
        assert graph_content(NetworkxStore(tmp_path)._graph) == state
    assert "unreadable" in caplog.text and "replaying 3 sources" in caplog.text
    # a snapshot whose covered sources are not where CURRENT has them (another state) is not used
    other = tmp_path / "other"
    write_pages(NetworkxStore(other), 5, 2)
    current["snapshot"] = manifest(other)["snapshot"]
    (tmp_path / "snapshots" / current["snapshot"]).write_bytes((other / "snapshots" / current["snapshot"]).read_bytes())
    (tmp_path / "CURRENT").write_text(json.dumps(current))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert graph_content(NetworkxStore(tmp_path)._graph) == state
    assert "older than the store's segments; replaying 3 sources" in caplog.text


def test_vectors_are_read_on_the_first_vector_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 2)
    loads: list[int] = []
    real = VectorIndex.from_parts
    monkeypatch.setattr(VectorIndex, "from_parts", lambda *a, **kw: loads.append(1) or real(*a, **kw))
    again = NetworkxStore(tmp_path)
    assert again.list_models()[1] == 3 and again.list_classes() and again.embedding_info() == store.embedding_info()
    assert loads == []
    ids = store.all_capability_ids()
    np.testing.assert_array_equal(again.vectors(ids), store.vectors(ids))
    assert again.nearest(store.vectors(ids[:1]), 2) == store.nearest(store.vectors(ids[:1]), 2)
    assert loads == [1]


def test_a_large_store_without_a_persisted_graph_builds_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vector_index, "EXACT_MAX", 4)  # "large" from 5 vectors on
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 4)
    query = store.vectors(["alpha-1:c0"])
    expected = store.nearest(query, 3)
    older = manifest(tmp_path)  # as a store written before the graph was persisted
    (tmp_path / "vectors" / older.pop("ann")).unlink()
    (tmp_path / "CURRENT").write_text(json.dumps(older))
    builds: list[int] = []
    real = VectorIndex._build
    monkeypatch.setattr(VectorIndex, "_build", lambda self: builds.append(1) or real(self))
    assert NetworkxStore(tmp_path).nearest(query, 3) == expected
    assert builds == [1] and manifest(tmp_path)["ann"] == "ann-00000004a.npz"
    assert NetworkxStore(tmp_path).nearest(query, 3) == expected
    assert builds == [1]  # the second open restored the graph written back by the first


@pytest.mark.parametrize("at", ["switch", "collect"])
def test_a_write_killed_while_it_writes_a_snapshot_leaves_a_store_that_answers_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, at: str
) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 3)  # the tail of the first write's snapshot: the next write would not write one
    before = graph_content(store._graph)
    store.close()
    action = "persistence.DELTA_MAX = -1; import tests.graph.test_networkx_snapshot as t; t.write_pages(store, 3, 1)"
    killed_during(tmp_path, action, at=at)
    assert leftovers(tmp_path)
    again = NetworkxStore(tmp_path)
    assert graph_content(again._graph) == graph_content(replayed(tmp_path, monkeypatch)._graph)
    if at == "switch":
        assert graph_content(again._graph) == before and not again.has_source("s3")
    else:
        assert again.has_source("s3") and manifest(tmp_path)["snapshot"] == "snap-00000004.json"
    assert leftovers(tmp_path) == []
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == [manifest(tmp_path)["snapshot"]]


def test_a_reader_killed_while_it_writes_back_a_snapshot_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 3)
    older = manifest(tmp_path)
    del older["snapshot"]
    (tmp_path / "CURRENT").write_text(json.dumps(older))
    script = f"""
        import os
        from capgraph.graph.networkx_store import NetworkxStore, files
        real_replace = os.replace
        def dying_replace(src, dst):
            if str(dst).endswith("CURRENT"):
                os._exit(9)
            real_replace(src, dst)
        files.os.replace = dying_replace
        NetworkxStore({str(tmp_path)!r})
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env, capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()
    assert manifest(tmp_path) == older and leftovers(tmp_path)  # the snapshot was written, CURRENT not replaced
    again = NetworkxStore(tmp_path)
    assert graph_content(again._graph) == graph_content(store._graph)
    assert leftovers(tmp_path) == [] and manifest(tmp_path)["snapshot"] == "snap-00000003a.json"


def test_a_store_that_cannot_take_a_snapshot_still_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = NetworkxStore(tmp_path)
    write_pages(store, 0, 2)
    older = manifest(tmp_path)
    del older["snapshot"]
    (tmp_path / "CURRENT").write_text(json.dumps(older))

    def read_only(path: Path, data: bytes) -> None:
        raise PermissionError(13, "Read-only file system", str(path))

    monkeypatch.setattr("capgraph.graph.networkx_store.persistence.atomic_write", read_only)
    with caplog.at_level(logging.WARNING):
        opened = NetworkxStore(tmp_path)
    assert "could not write back" in caplog.text
    assert graph_content(opened._graph) == graph_content(store._graph) and manifest(tmp_path) == older


def test_an_unreadable_extraction_read_lazily_is_a_store_error(tmp_path: Path) -> None:
    write_pages(NetworkxStore(tmp_path), 0, 2)
    (tmp_path / "sources" / "s0.json").write_text("{not json")
    again = NetworkxStore(tmp_path)  # the snapshot holds the graph: the extraction is read when asked for
    assert [s.id for s in again.list_sources()] == ["s0", "s1"]
    with pytest.raises(StoreUnavailable, match="extraction of s0 cannot be read"):
        again.source_extraction("s0")
