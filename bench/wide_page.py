"""One page with thousands of capabilities: is the ingest linear in its size? (issue 12, item 9)

Builds pages of 1k/5k/10k synthetic capabilities (distinct sentences in the seeds' layout), then times on a
fresh embedded store: parsing (`prepare`), and linking + classing + writing (`write_prepared`) with the
vectors given up front, so the figure isolates capgraph's own work. The encoder's part is linear by
construction (batched, one pass per text); it is measured on a sample and reported per text.
A page keeps at most MAX_CAPABILITIES (ingest/parsers/builder.py) and warns about the rest, so sizes above
it measure that the cut is cheap. Prints seconds and microseconds per input capability for each size;
linear means the per-capability cost stays flat (ratio of the largest to the smallest size's cost per
capability, printed last).

usage: .venv/bin/python bench/wide_page.py [--sizes 1000 5000 10000] [--encode-sample 200]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from capgraph.app.ingest import prepare, write_prepared
from capgraph.embeddings.encoder import Encoder
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.similarity import embedding_text
from capgraph.ingest.parsers.builder import MAX_CAPABILITIES
from capgraph.ingest.resolve import default_resolver

VERBS = [
    "Generates",
    "Translates",
    "Summarizes",
    "Classifies",
    "Detects",
    "Extracts",
    "Retrieves",
    "Plans",
    "Answers",
    "Renders",
    "Parses",
]
OBJECTS = [
    "images",
    "audio",
    "code",
    "tables",
    "documents",
    "emails",
    "invoices",
    "molecules",
    "proteins",
    "maps",
    "charts",
    "videos",
    "logs",
]
MODES = [
    "multilingual",
    "long-context",
    "streaming",
    "batched",
    "low-latency",
    "structured",
    "sparse",
    "quantized",
    "on-device",
]


def wide_page(n: int, name: str = "Widemodel") -> str:
    """A comparison page whose first model states `n` capabilities (description, Unique, vs alternatives)."""
    rng = random.Random(n)
    lines = [f"{name} vs Othermodel", "| Feature | " + name + " | Othermodel |", "|---|---|---|"]
    lines += ["| Type | Model | Model |", f"{name} Capabilities"]
    for i in range(n):
        v, o, m = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(MODES)
        lines.append(
            f"{v} {m} {o} with variant {i} of the {rng.choice(MODES)} pipeline for {rng.choice(OBJECTS)} number {i},"
            f" so that teams can process {rng.choice(OBJECTS)} at scale. It keeps {rng.choice(MODES)} context."
        )
        lines.append(f"Unique: handles {rng.choice(OBJECTS)} variant {i} natively rather than through a wrapper.")
        lines.append(f"vs alternatives: faster than Othermodel on {rng.choice(OBJECTS)} set {i}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--encode-sample", type=int, default=200)
    args = parser.parse_args()
    encoder = Encoder()
    resolver = default_resolver()
    per_cap: dict[int, float] = {}
    for n in args.sizes:
        text = wide_page(n)
        t0 = time.perf_counter()
        prepared = prepare(text, resolver=resolver)
        parse_s = time.perf_counter() - t0
        caps = prepared.extraction.capabilities
        rng = np.random.default_rng(n)
        matrix = rng.normal(size=(len(caps), encoder.dim)).astype(np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        vectors = {embedding_text(c): row.tolist() for c, row in zip(caps, matrix, strict=True)}
        with tempfile.TemporaryDirectory() as folder:
            store = NetworkxStore(Path(folder) / "store")
            t1 = time.perf_counter()
            report = write_prepared(store, encoder, prepared, vectors)
            write_s = time.perf_counter() - t1
            kept = min(n, MAX_CAPABILITIES)  # the builder's stated limit per page; the rest are warned about
            assert report.result.created and store.stats().capabilities == len(caps) == kept, (n, len(caps))
            store.close()
        per_cap[n] = (parse_s + write_s) / n * 1e6
        timing = f"parse {parse_s:6.2f} s, link+class+write {write_s:6.2f} s"
        print(f"{n:>5} capabilities: {timing}, {per_cap[n]:6.0f} us/cap")
    sampled = prepare(wide_page(args.encode_sample), resolver=resolver).extraction.capabilities
    sample = [embedding_text(c) for c in sampled]
    t2 = time.perf_counter()
    encoder.encode(sample)
    encode_us = (time.perf_counter() - t2) / len(sample) * 1e6
    print(f"encoding: {encode_us:.0f} us per capability text (sample of {len(sample)}; linear, batched)")
    small, large = min(per_cap), max(per_cap)
    print(f"cost per capability at {large} / at {small}: {per_cap[large] / per_cap[small]:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
