"""Encoder runtimes on bench/ingest.py's capability texts, against sentence-transformers fp32, in one run.

    python bench/encoder.py [--copies 4] [--rounds 3]

Runtimes: torch fp32 (the baseline: sentence-transformers as capgraph ran it, length-sorted batches of 16),
torch bf16 (the same model cast), and onnx (`Encoder(backend="onnx")`: the local fused export). Rounds run
the runtimes in turn (A B C A B C ...) so a drifting machine hits each alike; speedup = median over rounds
of baseline seconds / runtime seconds (paired). Agreement with fp32: for each text its 10 nearest other
texts, |top10_runtime ∩ top10_fp32| / 10, averaged. Short query: median of 30 single-text encodes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import corpus  # noqa: E402
from capgraph.embeddings.encoder import Encoder, Vectors  # noqa: E402
from capgraph.graph.similarity import embedding_text  # noqa: E402
from capgraph.ingest import parse_text  # noqa: E402

Run = Callable[[Sequence[str]], Vectors]


def uncached(encoder: Encoder) -> Run:
    """The model call alone (no cache, no batcher): what a runtime costs."""
    return lambda texts: encoder._run_model(sorted(texts, key=len))


def bf16(encoder: Encoder) -> Run:
    import torch

    model = encoder._load().model
    model.to(torch.bfloat16)

    def run(texts: Sequence[str]) -> Vectors:
        out = model.encode(sorted(texts, key=len), batch_size=16, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    return run


def neighbours(vectors: Vectors, k: int = 10) -> list[set[int]]:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    return [set(np.argsort(-row, kind="stable")[:k].tolist()) for row in sims]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = list(dict.fromkeys(embedding_text(c) for t in corpus(args.copies) for c in parse_text(t).capabilities))
    runs: dict[str, Run] = {
        "torch fp32 (baseline)": uncached(Encoder(backend="torch")),
        "torch bf16": bf16(Encoder(backend="torch")),
    }
    onnx = Encoder(backend="auto")
    onnx.warm_up()
    if onnx.runtime == "onnx":
        runs["onnx (fused export)"] = uncached(onnx)
    else:
        print("onnx: not available here (pip install 'capgraph[onnx]'); skipped")
    for run in runs.values():
        run(texts[:16])  # warm-up: model loaded, first-call allocations done
    seconds: dict[str, list[float]] = {k: [] for k in runs}
    vectors: dict[str, Vectors] = {}
    for _ in range(args.rounds):
        for name, run in runs.items():
            t0 = time.perf_counter()
            vectors[name] = run(texts)
            seconds[name].append(time.perf_counter() - t0)
    # every runtime returns its rows length-sorted (the same order), so neighbour lists compare row by row
    base_name = "torch fp32 (baseline)"
    base = neighbours(vectors[base_name])
    print(f"texts: {len(texts)} (mean {statistics.mean(len(t) for t in texts):.0f} chars), rounds: {args.rounds}")
    for name in runs:
        ratio = statistics.median(b / s for b, s in zip(seconds[base_name], seconds[name], strict=True))
        agree = np.mean([len(a & b) / 10 for a, b in zip(neighbours(vectors[name]), base, strict=True)])
        cosine = float((vectors[name] * vectors[base_name]).sum(axis=1).min())
        med = statistics.median(seconds[name])
        print(
            f"{name:24s} {med:7.2f} s  {len(texts) / med:6.1f} texts/s  speedup {ratio:4.2f}x  "
            f"top-10 agreement {agree:.3f}  min cosine {cosine:.5f}"
        )
    for name, run in runs.items():
        lat = []
        for _ in range(30):
            t0 = time.perf_counter()
            run(["open weights coding model"])
            lat.append(time.perf_counter() - t0)
        print(f"{name:24s} short query p50 {1000 * statistics.median(lat):6.1f} ms")


if __name__ == "__main__":
    main()
