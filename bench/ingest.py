"""Ingest throughput end to end vs the bare encoder on the same capability texts, in one run.

    python bench/ingest.py [--copies N]

The corpus is the seeds, each copied N times with its capability texts reworded per copy (so every
copy needs encoding, like new pages would). Baseline: `Encoder.encode` over exactly the capability
texts the pipeline encodes, with a cold cache, batch 16. Reported: the overhead outside encoding,
(pipeline time - time inside encode) / pipeline time, and the pipeline/bare-encoder ratio (which also
includes the cost of encoding per document instead of one length-sorted corpus).

Also timed inside the same run: per document, the vector search plus SIMILAR_TO linking (the baseline)
and the class assignment (`graph.classes.classify`, which reuses that search), so the cost of classes
is read against the linking it rides on.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import capgraph.app.ingest as pipeline  # noqa: E402
from capgraph.app import Services  # noqa: E402
from capgraph.app.settings import Settings  # noqa: E402
from capgraph.embeddings.encoder import Encoder, Vectors  # noqa: E402
from capgraph.graph.networkx_store import NetworkxStore  # noqa: E402
from capgraph.graph.similarity import embedding_text  # noqa: E402
from capgraph.ingest import parse_text  # noqa: E402


class TimedEncoder(Encoder):
    """The real encoder, also adding up the time spent inside `encode` during the pipeline run."""

    seconds = 0.0

    def encode(self, texts: Sequence[str]) -> Vectors:
        t0 = time.perf_counter()
        try:
            return super().encode(texts)
        finally:
            self.seconds += time.perf_counter() - t0


class StepTimes:
    """Seconds spent in the pipeline's linking and class assignment, by wrapping the functions it calls."""

    def __init__(self) -> None:
        self.seconds = {"nearest + similarity_links": 0.0, "classify": 0.0}
        self.calls = 0

    def wrap(self) -> None:
        for name, key in (("similarity_links", "nearest + similarity_links"), ("classify", "classify")):
            original = getattr(pipeline, name)

            def timed(*args: Any, _f: Callable[..., Any] = original, _k: str = key, **kwargs: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return _f(*args, **kwargs)
                finally:
                    self.seconds[_k] += time.perf_counter() - t0
                    self.calls += _k == "classify"

            setattr(pipeline, name, timed)
        original_nearest = NetworkxStore.nearest

        def nearest(store: NetworkxStore, queries: Any, k: int) -> Any:
            t0 = time.perf_counter()
            try:
                return original_nearest(store, queries, k)
            finally:
                self.seconds["nearest + similarity_links"] += time.perf_counter() - t0

        NetworkxStore.nearest = nearest  # type: ignore[method-assign]


STEPS = StepTimes()


def corpus(copies: int) -> list[str]:
    seeds = sorted((ROOT / "examples").glob("*.txt"))
    texts = []
    for n in range(copies):
        for path in seeds:
            text = path.read_text(encoding="utf-8")
            # reword each capability paragraph (the line before "Unique:") so its text, and id, is new
            text = re.sub(r"\n(?=Unique:)", f" (edition {n}).\n", text)
            texts.append(text + f"\nedition {n}\n")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    texts = corpus(args.copies)

    warm = Encoder()
    warm.encode(["load the model before timing"])

    capability_texts = [embedding_text(c) for t in texts for c in parse_text(t).capabilities]
    unique_texts = list(dict.fromkeys(capability_texts))

    baseline = Encoder()
    baseline._model = warm._model  # same loaded model, cold cache
    t0 = time.perf_counter()
    baseline.encode(unique_texts)
    encode_s = time.perf_counter() - t0

    def run(label: str, ingest: Callable[[NetworkxStore, TimedEncoder, Path], None]) -> None:
        encoder = TimedEncoder()
        encoder._model = warm._model  # cold cache, same model
        with tempfile.TemporaryDirectory() as folder:
            docs = Path(folder) / "docs"
            docs.mkdir()
            for n, text in enumerate(texts):
                (docs / f"doc{n:04d}.txt").write_text(text, encoding="utf-8")
            store = NetworkxStore(Path(folder) / "store")
            t0 = time.perf_counter()
            ingest(store, encoder, docs)
            seconds = time.perf_counter() - t0
            stats = store.stats()
        assert stats.capabilities == len(unique_texts)
        print(
            f"{label:34s} {seconds:6.2f} s  {encoder.texts_encoded / seconds:5.1f} texts/s  "
            f"encoding {encoder.seconds:5.2f} s  "
            f"overhead outside encoding {(seconds - encoder.seconds) / seconds:5.1%}  "
            f"vs bare encoder {seconds / encode_s:.3f}x"
        )

    def per_document(store: NetworkxStore, encoder: TimedEncoder, docs: Path) -> None:
        services = Services(Settings(store="unused"), store=store, encoder=encoder)
        for path in sorted(docs.iterdir()):
            services.ingest.text(path.read_bytes())

    def folder_ingest(store: NetworkxStore, encoder: TimedEncoder, docs: Path) -> None:
        Services(Settings(store="unused"), store=store, encoder=encoder).ingest.paths([docs])

    print(f"documents: {len(texts)}  unique capability texts: {len(unique_texts)}")
    print(f"{'bare encoder (baseline)':34s} {encode_s:6.2f} s  {len(unique_texts) / encode_s:5.1f} texts/s")
    STEPS.wrap()
    run("ingest.text per document (API)", per_document)
    run("capgraph ingest FOLDER (CLI)", folder_ingest)
    docs = max(STEPS.calls, 1)
    link, assign = STEPS.seconds["nearest + similarity_links"], STEPS.seconds["classify"]
    print(
        f"per document, both runs ({docs} documents): linking {1000 * link / docs:.2f} ms, "
        f"class assignment {1000 * assign / docs:.2f} ms ({assign / link:.2f}x linking)"
    )


if __name__ == "__main__":
    main()
