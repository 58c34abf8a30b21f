"""The CLI's finish: completion, help on every parameter, warnings summarized, a progress bar that says
when the model loads and shows elapsed time and an ETA."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import typer
from rich.console import Console

from capgraph.api import progress
from capgraph.api.cli import app
from capgraph.embeddings.encoder import Encoder
from tests.api.conftest import small_page
from tests.api.test_cli import capgraph
from tests.conftest import ROOT


def test_every_parameter_has_help() -> None:
    missing = [
        f"{name} {param.name}"
        for name, command in typer.main.get_command(app).commands.items()  # type: ignore[attr-defined]
        for param in command.params
        if not getattr(param, "help", None)
    ]
    assert missing == []


def test_shell_completion_completes_commands() -> None:
    env = {**os.environ, "_CAPGRAPH_COMPLETE": "complete_bash", "COMP_WORDS": "capgraph res", "COMP_CWORD": "1"}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["resolve"], done.stderr


def _pages(folder: Path) -> Path:
    folder.mkdir()
    for tag in ("aa", "bb", "cc"):
        extra = "| UnfragileRank | 60/100 | 70/100 |\n| Context | 8K |"
        (folder / f"{tag}.txt").write_text(small_page(tag).replace("| UnfragileRank | 60/100 | 70/100 |", extra))
    return folder


def test_warnings_are_counted_by_kind_and_listed_with_v(tmp_path: Path) -> None:
    pages = _pages(tmp_path / "pages")
    quiet = capgraph("ingest", str(pages), store=tmp_path / "a")
    assert quiet.returncode == 0, quiet.stderr
    assert "3 warnings in 3 files" in quiet.stderr and "3 × table row … has N of N cells (3 files)" in quiet.stderr
    assert "warning:" not in quiet.stderr and quiet.stdout.startswith("sources: 3 new")
    loud = capgraph("ingest", "-v", str(pages), store=tmp_path / "b")
    assert loud.returncode == 0, loud.stderr
    assert loud.stderr.count("warning:") == 3 and "table row 'Context' has 2 of 3 cells" in loud.stderr


def test_progress_shows_the_model_loading_elapsed_and_eta() -> None:
    encoder = Encoder()
    seen: list[str] = []
    console = Console(file=io.StringIO(), force_terminal=True, color_system=None, width=160)
    bar = progress.ingest_progress(console, encoder)
    task = bar.add_task("ingest", total=4)
    loader = threading.Thread(target=encoder.warm_up)
    loader.start()
    while loader.is_alive():  # what the bar shows while the model loads
        with console.capture() as shot:
            console.print(bar.get_renderable())
        seen.append(shot.get())
        time.sleep(0.05)
    bar.advance(task)
    time.sleep(0.2)
    bar.advance(task)  # two samples: rich estimates the speed, hence the ETA, from them
    with console.capture() as shot:
        console.print(bar.get_renderable())
    assert any("loading the embedding model" in s for s in seen), seen[:3]
    assert "ingesting" in shot.get() and "2/4" in shot.get()
    assert "elapsed 0:00:" in shot.get() and "ETA 0:00:" in shot.get()
