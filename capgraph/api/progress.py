"""How `capgraph ingest` shows its work: a progress bar that says when the embedding model is loading, with
elapsed time and an ETA, and warnings summarized by kind (each one only with -v) so the result stays visible."""

from __future__ import annotations

import re
from collections import Counter
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class ModelState(Protocol):
    @property
    def loading(self) -> bool: ...


class StageColumn(ProgressColumn):
    """ "loading the embedding model…" while it loads (the first files wait on it), else "ingesting"."""

    def __init__(self, encoder: ModelState) -> None:
        super().__init__()
        self.encoder = encoder

    def render(self, task: Task) -> Text:
        if self.encoder.loading:
            return Text("loading the embedding model…", style="yellow")
        return Text("ingesting")


def ingest_progress(console: Console, encoder: ModelState) -> Progress:
    """Spinner, stage, bar, files done of all, elapsed time and the time remaining (rich's estimate)."""
    return Progress(
        SpinnerColumn(),
        StageColumn(encoder),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    )


class Advance:
    """The ingest service's `Progress` protocol over one rich task."""

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self.bar, self.task = bar, task

    def advance(self) -> None:
        self.bar.advance(self.task)


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
_NUMBER = re.compile(r"\d+")


def warning_kind(warning: str) -> str:
    """A warning with its particulars (quoted names, numbers) blanked: "table row … has N of N cells"."""
    return _NUMBER.sub("N", _QUOTED.sub("…", warning)).strip()


def warning_summary(warnings: dict[str, list[str]]) -> list[tuple[str, int, int]]:
    """(kind, how many warnings, in how many files), most frequent first."""
    count: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    for path, found in warnings.items():
        for w in found:
            kind = warning_kind(w)
            count[kind] += 1
            files.setdefault(kind, set()).add(path)
    return [(kind, n, len(files[kind])) for kind, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))]


def print_warnings(console: Console, warnings: dict[str, list[str]], verbose: bool) -> None:
    """Counts by kind; with `verbose` every warning with its file first."""
    if not warnings:
        return
    if verbose:
        for path, found in warnings.items():
            for w in found:
                console.print(f"[yellow]warning:[/] {path}: {w}")
    total = sum(len(found) for found in warnings.values())
    console.print(f"[yellow]{total} warnings in {len(warnings)} files[/]" + ("" if verbose else " (-v lists each)"))
    for kind, n, in_files in warning_summary(warnings):
        console.print(f"  {n:>5} × {kind}" + (f" ({in_files} files)" if in_files > 1 else ""))
