"""The embedded store across processes: a long-lived reader sees other processes' commits at its next read,
and whatever a writer killed at any point leaves behind (temp files, texts of documents that never
committed, texts of removed ones) is settled on the next open, so `rebuild` brings back exactly what committed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from capgraph.graph.networkx_store import NetworkxStore
from tests.conftest import ROOT, seed_paths
from tests.graph.test_store_contract import batch, page


def leftovers(folder: Path) -> list[str]:
    """Files no committed state accounts for."""
    found = [p for p in folder.rglob("*") if p.is_file() and (p.name.endswith((".tmp", ".pending", ".removing")))]
    return sorted(str(p.relative_to(folder)) for p in found)


def killed_during(folder: Path, action: str, at: str) -> None:
    """Run `action` on the store in a child process that dies (os._exit, like SIGKILL: no cleanup runs)
    at `at`: 'switch' = just before CURRENT is replaced, 'collect' = right after, before garbage collection."""
    script = f"""
        import os
        from capgraph.graph.networkx_store import NetworkxStore, persistence
        from tests.graph.test_store_contract import batch, page
        real_replace = os.replace
        def dying_replace(src, dst):
            if str(dst).endswith("CURRENT") and {at!r} == "switch":
                os._exit(9)
            real_replace(src, dst)
        store = NetworkxStore({str(folder)!r})
        persistence.os.replace = dying_replace
        persistence.NetworkxPersistence._collect_garbage = lambda self: os._exit(9)
        {action}
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], env=env, capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()


ADD_S2 = 'store.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=["video"]), text="text of s2"))'


def one_source(folder: Path) -> NetworkxStore:
    store = NetworkxStore(folder)
    store.upsert(batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"]), text="text of s1"))
    return store


def test_a_write_killed_before_commit_leaves_nothing_to_rebuild(tmp_path: Path) -> None:
    one_source(tmp_path).close()
    killed_during(tmp_path, ADD_S2, at="switch")
    assert leftovers(tmp_path)  # the kill did leave a temp CURRENT and the pending text
    store = NetworkxStore(tmp_path)
    assert [s.id for s in store.list_sources()] == ["s1"]
    assert leftovers(tmp_path) == []
    assert [t for t, _, _ in store.stored_texts()] == ["text of s1"]
    assert not list((tmp_path / "texts").glob("s2*"))


def test_a_write_killed_after_commit_keeps_its_text(tmp_path: Path) -> None:
    one_source(tmp_path).close()
    killed_during(tmp_path, ADD_S2, at="collect")
    store = NetworkxStore(tmp_path)
    assert store.has_source("s2") and store.source_text("s2") == "text of s2"
    assert leftovers(tmp_path) == []
    assert sorted(t for t, _, _ in store.stored_texts()) == ["text of s1", "text of s2"]


def test_a_removal_killed_after_commit_does_not_come_back_in_rebuild(tmp_path: Path) -> None:
    store = one_source(tmp_path)
    store.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=["video"]), text="text of s2"))
    store.close()
    killed_during(tmp_path, 'store.remove_source("s1")', at="collect")
    again = NetworkxStore(tmp_path)
    assert [s.id for s in again.list_sources()] == ["s2"]
    assert [t for t, _, _ in again.stored_texts()] == ["text of s2"]
    assert leftovers(tmp_path) == []


def test_a_removal_killed_before_commit_keeps_the_source_and_its_text(tmp_path: Path) -> None:
    one_source(tmp_path).close()
    killed_during(tmp_path, 'store.remove_source("s1")', at="switch")
    again = NetworkxStore(tmp_path)
    assert again.has_source("s1") and again.source_text("s1") == "text of s1"
    assert leftovers(tmp_path) == []


def test_a_long_lived_reader_sees_other_writers_at_its_next_read(tmp_path: Path) -> None:
    reader = one_source(tmp_path)
    writer = NetworkxStore(tmp_path)
    assert reader.stats().sources == 1
    writer.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=["video"], b="delta")))
    assert reader.has_source("s2") and reader.stats().sources == 2
    assert "delta" in reader.model_names()
    with reader.reading():  # one block is one view: a commit in the middle shows only after it
        before = reader.stats()
        writer.remove_source("s2")
        assert reader.stats() == before
    assert not reader.has_source("s2") and reader.stats().sources == 1


def test_a_cli_ingest_shows_in_a_running_reader_within_a_second(tmp_path: Path) -> None:
    reader = NetworkxStore(tmp_path)
    assert reader.stats().sources == 0
    env = {**os.environ, "CAPGRAPH_STORE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()", "ingest", str(seed_paths()[0])]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    finished = time.monotonic()
    while reader.stats().sources == 0 and time.monotonic() - finished < 1.0:
        time.sleep(0.05)
    assert reader.stats().sources == 1
    assert reader.stats().capabilities > 0
