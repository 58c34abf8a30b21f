"""The ingest pipeline on the embedded store with the real model: idempotency, removal, rebuild, crashes."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.errors import IngestError, ModelNotFound, StoreUnavailable
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.ingest import parse_text
from tests.conftest import ROOT, seed_paths


def test_reingesting_changes_nothing_and_encodes_nothing(seeded_services: Services) -> None:
    before = seeded_services.store.stats()
    ids = seeded_services.store.all_capability_ids()
    for path in seed_paths():
        report = seeded_services.ingest.text(path.read_bytes())
        assert not report.result.created and report.encoded == 0
    assert seeded_services.store.stats() == before
    assert seeded_services.store.all_capability_ids() == ids


def test_seeds_give_the_expected_graph(seeded_services: Services) -> None:
    stats = seeded_services.store.stats()
    assert stats.sources == 5
    # o4-mini's 8 blocks are the same text on both pages: one node each, with two sources
    assert stats.capabilities == 8 + 4 + 8 + 8 + 8
    assert stats.embedding_model == "all-MiniLM-L6-v2" and stats.embedding_dim == 384
    assert stats.relationships["SIMILAR_TO"] > 0
    o4 = seeded_services.store.evidence("o4-mini")
    compared = {e.other_id for e in o4 if e.kind == "COMPARED_WITH"}
    assert {"llama-4", "stable-diffusion"} <= compared


def test_same_capability_text_on_two_pages_is_one_node_with_two_sources(seeded_services: Services) -> None:
    sources = seeded_services.store.list_sources()
    o4_pages = [s.id for s in sources if s.title.startswith("o4-mini vs")]
    assert len(o4_pages) == 2
    first, second = (set(c.id for c in seeded_services.store.source_extraction(s).capabilities) for s in o4_pages)
    assert {c for c in first if c.startswith("o4-mini:")} == {c for c in second if c.startswith("o4-mini:")}
    seeded_services.store.remove_source(o4_pages[0])
    assert len(seeded_services.store.capabilities("o4-mini")) == 8  # still supported by the other page
    removed = seeded_services.store.remove_source(o4_pages[1])
    assert len(removed.removed_capabilities) == 8 + 8  # o4-mini's and Stable-Diffusion's blocks
    still_named = any(
        m.id == "o4-mini"
        for s in seeded_services.store.list_sources()
        for m in seeded_services.store.source_extraction(s.id).models
    )
    assert ("o4-mini" in removed.removed_models) is not still_named
    if still_named:  # named by another page: the node stays, with none of the capabilities
        assert seeded_services.store.get_model("o4-mini").id == "o4-mini"
        assert seeded_services.store.capabilities("o4-mini") == []
    else:
        with pytest.raises(ModelNotFound):
            seeded_services.store.get_model("o4-mini")


def test_bad_input_is_refused_and_nothing_changes(seeded_services: Services) -> None:
    before = seeded_services.store.stats()
    for bad in (b"", b"   \n\t ", b"\x00\x01binary\x00"):
        with pytest.raises(IngestError):
            seeded_services.ingest.text(bad)
    assert seeded_services.store.stats() == before


def test_rebuild_from_stored_texts_gives_the_same_graph_without_encoding(seeded_services: Services) -> None:
    before = seeded_services.store.stats()
    report = seeded_services.ingest.rebuild()
    assert report.new == 5 and report.encoded == 0 and not report.failed
    assert seeded_services.store.stats() == before


def test_corrupt_snapshot_is_a_clear_error_and_rebuild_recovers(seeded_copy: Path, encoder: Encoder) -> None:
    current = json.loads((seeded_copy / "CURRENT").read_text())
    first = current["sources"][0]
    (seeded_copy / "sources" / f"{first}.json").write_text("{ not json")
    # the graph opens from its snapshot; the broken extraction is a clear error once it is read
    with pytest.raises(StoreUnavailable, match="rebuild"):
        NetworkxStore(seeded_copy).source_extraction(first)
    (seeded_copy / "snapshots" / current["snapshot"]).unlink()  # without it, opening replays every source
    with pytest.raises(StoreUnavailable, match="rebuild"):
        NetworkxStore(seeded_copy)
    services = Services(
        Settings(store=str(seeded_copy)), store=NetworkxStore(seeded_copy, recover=True), encoder=encoder
    )
    report = services.ingest.rebuild()
    assert report.new == 5 and not report.failed
    assert NetworkxStore(seeded_copy).stats().capabilities == 36


def test_changed_model_is_refused_until_reembed(seeded_services: Services) -> None:
    from capgraph.errors import EmbeddingMismatch

    class Renamed:
        """The real encoder under another name: what a changed CAPGRAPH_MODEL looks like to the store."""

        name = "another-model"
        dim = 384

        def __init__(self, inner: Encoder) -> None:
            self.inner = inner

        encoded_by_last_call = 0

        def encode(self, texts: list[str]):  # type: ignore[no-untyped-def]
            return self.inner.encode(texts)

    renamed = Renamed(seeded_services.encoder)
    from capgraph.graph import match

    with pytest.raises(EmbeddingMismatch, match="reembed"):
        match.search(seeded_services.store, renamed, "function calling")
    from capgraph.app.ingest import reembed

    assert reembed(seeded_services.store, renamed) == 36
    assert seeded_services.store.embedding_info() == ("another-model", 384)
    assert match.search(seeded_services.store, renamed, "function calling").hits


def _documents(folder: Path, count: int) -> list[Path]:
    """Distinct documents: the seeds with a marker line, some with reworded capabilities (so they need encoding)."""
    folder.mkdir()
    out = []
    seeds = seed_paths()
    for n in range(count):
        text = seeds[n % len(seeds)].read_text(encoding="utf-8")
        if n % 3 == 0:
            text = text.replace("Unique:", f"Also in revision {n}.\nUnique:", 2)
        path = folder / f"doc{n:03d}.txt"
        path.write_text(text + f"\nRevision {n}\n", encoding="utf-8")
        out.append(path)
    return out


def _check_consistent(folder: Path) -> set[str]:
    """The store loads, and every source in it is whole: its graph matches a fresh parse of its text."""
    store = NetworkxStore(folder)
    ids = {s.id for s in store.list_sources()}
    for sid in ids:
        extraction = parse_text(store.source_text(sid))
        assert extraction.source.id == sid
        stored = store.source_extraction(sid)
        assert [c.id for c in stored.capabilities] == [c.id for c in extraction.capabilities]
        assert all(store.has_vectors([c.id for c in stored.capabilities]))
    return ids


@pytest.mark.slow
def test_killed_ingest_leaves_before_or_after_each_document(tmp_path: Path, seeded_folder: Path) -> None:
    docs = _documents(tmp_path / "docs", 24)
    store_dir = tmp_path / "store"
    env = {**os.environ, "CAPGRAPH_STORE": str(store_dir), "HF_HUB_OFFLINE": "1"}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()", "ingest", str(tmp_path / "docs")]
    rng = random.Random(7)
    seen: set[str] = set()
    for attempt in range(3):
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        target = len(seen) + rng.randint(1, 4)  # kill once a few more documents have landed
        while time.monotonic() < deadline and proc.poll() is None:
            if store_dir.exists() and (store_dir / "CURRENT").exists():
                try:
                    landed = json.loads((store_dir / "CURRENT").read_text())["generation"]
                except (ValueError, OSError):
                    landed = 0
                if landed >= target:
                    time.sleep(rng.uniform(0, 0.3))
                    break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _check_consistent(store_dir)
        assert seen <= now, f"attempt {attempt}: documents lost"
        seen = now
    final = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert len(_check_consistent(store_dir)) == len(docs)
