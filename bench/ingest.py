"""Ingest throughput end to end vs the bare encoder on the same capability texts, in one run.

    python bench/ingest.py [--copies N]

The corpus is the seeds, each copied N times with its capability texts reworded per copy (so every
copy needs encoding, like new pages would). Baseline: `Encoder.encode` over exactly the capability
texts the pipeline encodes, with a cold cache, batch 16. The figure that matters is the overhead
outside encoding: (pipeline time - encoder time) / pipeline time.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from embeddings.encoder import Encoder  # noqa: E402
from graph.networkx_store import NetworkxStore  # noqa: E402
from ingest import parse_text  # noqa: E402
from ingest.pipeline import embedding_text, ingest_text  # noqa: E402


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

    pipeline_encoder = Encoder()
    pipeline_encoder._model = warm._model
    with tempfile.TemporaryDirectory() as folder:
        store = NetworkxStore(folder)
        t0 = time.perf_counter()
        for text in texts:
            ingest_text(store, pipeline_encoder, text)
        pipeline_s = time.perf_counter() - t0
        stats = store.stats()

    print(
        f"documents: {len(texts)}  capability texts encoded: {pipeline_encoder.texts_encoded} "
        f"(unique {len(unique_texts)})  store: {stats.models} models, {stats.capabilities} capabilities"
    )
    print(f"bare encoder:     {encode_s:7.2f} s  {len(unique_texts) / encode_s:7.1f} texts/s")
    print(f"ingest pipeline:  {pipeline_s:7.2f} s  {pipeline_encoder.texts_encoded / pipeline_s:7.1f} texts/s")
    print(
        f"overhead outside encoding: {(pipeline_s - encode_s) / pipeline_s:6.1%} of pipeline time "
        f"(pipeline/encoder ratio {pipeline_s / encode_s:.3f})"
    )


if __name__ == "__main__":
    main()
