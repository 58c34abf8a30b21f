"""The embedded store's file primitives: atomic writes and the raw texts' lifecycle (pending, committed,
set aside for removal), settled against the manifest's sources after a killed writer."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from capgraph.graph.schema import Source

PENDING, REMOVING = ".pending", ".removing"
SUBFOLDERS = ("sources", "vectors", "links", "classes", "snapshots")  # beside texts/; files named by CURRENT


def live_files(manifest: dict[str, Any]) -> set[str]:
    """The files (folder/name) a manifest names: everything else in SUBFOLDERS is garbage."""
    return {
        *(f"sources/{sid}.json" for sid in manifest.get("sources", [])),
        *(f"vectors/{name}" for name in manifest.get("vector_segments", [])),
        *(f"links/{name}" for name in manifest.get("link_segments", [])),
        *(f"classes/{name}" for name in manifest.get("class_segments", [])),
        *([f"vectors/{manifest['ann']}"] if manifest.get("ann") else []),
        *([f"snapshots/{manifest['snapshot']}"] if manifest.get("snapshot") else []),
    }


def collect_garbage(folder: Path, manifest: dict[str, Any], subfolders: Sequence[str] = SUBFOLDERS) -> None:
    """Delete the files `manifest` does not name and killed writers' temp files (only under the write lock,
    so no other writer's files are in flight). Pending texts are settled by the caller (`settle_texts`)."""
    live = live_files(manifest)
    for sub in subfolders:
        for path in (folder / sub).glob("*"):
            if f"{sub}/{path.name}" not in live and not path.name.startswith("."):
                with contextlib.suppress(OSError):
                    path.unlink()
    for sub in ("", "texts", *subfolders):
        for path in (folder / sub).glob(".*.tmp"):
            with contextlib.suppress(OSError):
                path.unlink()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, rename over `path`, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def save_text(folder: Path, source: Source, text: str) -> None:
    """Saved as pending: the commit's garbage collection gives them their final names."""
    base = folder / "texts" / source.id
    if not base.with_suffix(".txt").exists():
        atomic_write(base.with_name(f"{source.id}.txt{PENDING}"), text.encode("utf-8"))
    meta = json.dumps({"title": source.title, "url": source.url}).encode()
    atomic_write(base.with_name(f"{source.id}.json{PENDING}"), meta)


def set_aside_text(folder: Path, source_id: str) -> None:
    """Before a removal commits: renamed back if it fails, deleted once it commits."""
    for suffix in (".txt", ".json"):
        path = folder / "texts" / f"{source_id}{suffix}"
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, path.with_name(path.name + REMOVING))


def text_path(folder: Path, source_id: str) -> Path:
    """A committed source's text; `.pending` for the moment between its commit and the rename."""
    path = folder / "texts" / f"{source_id}.txt"
    pending = path.with_name(path.name + PENDING)
    return pending if not path.exists() and pending.exists() else path


def stored_texts(folder: Path) -> list[tuple[str, str, str | None]]:
    """(text, title, url) of every committed text (not `.pending`)."""
    out = []
    for txt in sorted((folder / "texts").glob("*.txt")):
        meta_path = txt.with_suffix(".json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        out.append((txt.read_text(encoding="utf-8"), meta.get("title") or "", meta.get("url")))
    return out


def settle_texts(folder: Path, committed: set[str]) -> None:
    """A pending text stays (renamed to its final name) only if its source committed; a text set aside
    for removal goes only if its source is gone from CURRENT."""
    for path in (folder / "texts").glob(f"*{PENDING}"):
        final = path.with_name(path.name.removesuffix(PENDING))
        with contextlib.suppress(OSError):
            if final.name.split(".", 1)[0] in committed:
                os.replace(path, final)
            else:
                path.unlink()
    for path in (folder / "texts").glob(f"*{REMOVING}"):
        final = path.with_name(path.name.removesuffix(REMOVING))
        with contextlib.suppress(OSError):
            if final.name.split(".", 1)[0] in committed:
                os.replace(path, final)
            else:
                path.unlink()
