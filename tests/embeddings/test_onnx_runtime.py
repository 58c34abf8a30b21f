"""The ONNX runtime: exported locally from the shipped model, same vectors as torch, torch-free once cached."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from capgraph.embeddings import onnx_runtime
from capgraph.embeddings.encoder import Encoder, default_model_path
from capgraph.errors import EncoderUnavailable
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not onnx_runtime.runtime_installed(), reason="the onnx extra is not installed")

# Our own capability-like texts: near pairs, far pairs, short and long, so neighbour lists are not trivial.
TEXTS = [
    "calls external tools from JSON schemas",
    "invokes functions described by a JSON schema",
    "draws pictures from a written prompt",
    "turns text prompts into images at 1024 pixels",
    "reads a million tokens of context in one request",
    "long context window for whole code repositories",
    "transcribes speech in forty languages",
    "speech recognition with timestamps per word",
    "answers questions about uploaded photos",
    "describes charts and screenshots in words",
    "writes and fixes Python code in an editor",
    "completes code inline while you type",
    "translates between Japanese and English",
    "summarises long legal contracts",
    "runs on a laptop with 8 GB of memory",
    "open weights under a permissive licence",
    "reasons step by step before answering maths problems",
    "solves olympiad geometry with a hidden chain of thought",
    "generates short video clips from a sentence",
    "clones a voice from ten seconds of audio",
    "ranks search results for a query",
    "embeds sentences into vectors for retrieval",
    "moderates user posts for harmful content",
    "plays chess at grandmaster level",
    "a",
    "cheap per million tokens, with batch discounts for large offline jobs and cached prompt prefixes billed "
    "at a tenth of the normal input price",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Encoder:
    """An ONNX encoder whose export is made here, from the shipped model, into a fresh cache folder."""
    enc = Encoder(backend="onnx", cache_dir=tmp_path_factory.mktemp("model-cache"))
    enc.warm_up()
    return enc


def top_k(vectors: np.ndarray, k: int) -> list[set[int]]:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    return [set(np.argsort(-row, kind="stable")[:k]) for row in sims]


def test_onnx_vectors_match_torch_ones(exported: Encoder, encoder: Encoder) -> None:
    torch_encoder = Encoder(backend="torch")
    expected = torch_encoder.encode(TEXTS)
    got = exported.encode(TEXTS)
    assert exported.runtime == "onnx" and torch_encoder.runtime == "torch"
    assert got.shape == expected.shape == (len(TEXTS), 384) and got.dtype == np.float32
    cosines = (got * expected).sum(axis=1)
    assert cosines.min() >= 0.9999, cosines.min()
    # top-10 neighbour agreement: mean over texts of |top10_onnx ∩ top10_torch| / 10
    agreement = np.mean([len(a & b) / 10 for a, b in zip(top_k(got, 10), top_k(expected, 10), strict=True)])
    assert agreement >= 0.98
    # the same text alone or inside a batch of longer ones (padding) gives the same row
    alone = exported.encode(["invokes functions described by a JSON schema, alone"])[0]
    batched = Encoder(backend="onnx", cache_dir=exported.cache_dir).encode(
        [TEXTS[-1], "invokes functions described by a JSON schema, alone"]
    )[1]
    assert float(alone @ batched) >= 0.9999


def test_the_export_is_cached_and_reused(exported: Encoder) -> None:
    target = onnx_runtime.cached_path(exported.model_path, exported.cache_dir)
    assert target.is_file() and target.is_relative_to(exported.cache_dir)
    before = target.stat().st_mtime_ns
    again = Encoder(backend="onnx", cache_dir=exported.cache_dir)
    again.encode(["reuse the export"])
    assert again.runtime == "onnx" and target.stat().st_mtime_ns == before


def test_queries_with_a_cached_export_import_no_torch(exported: Encoder) -> None:
    code = (
        "import sys, pathlib\n"
        "from capgraph.embeddings.encoder import Encoder\n"
        f"e = Encoder(backend='onnx', cache_dir=pathlib.Path({str(exported.cache_dir)!r}))\n"
        "v = e.encode(['a short query'])\n"
        "print(e.runtime, v.shape, 'torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["onnx", "(1,", "384)", "False", "False"]


def cls_pooled_copy(tmp_path: Path) -> Path:
    """The shipped model with CLS pooling instead of mean: a layout the ONNX runtime does not handle."""
    source = default_model_path()
    copy = tmp_path / "cls-model"
    for path in source.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(source)).symlink_to(path)
    pooling = copy / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.unlink()
    pooling.write_text(json.dumps({**config, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    return copy


def test_auto_falls_back_to_torch_when_onnx_cannot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = cls_pooled_copy(tmp_path)
    with pytest.raises(EncoderUnavailable, match="mean pooling"):
        Encoder(model, backend="onnx", cache_dir=tmp_path / "cache").encode(["x"])
    auto = Encoder(model, backend="auto", cache_dir=tmp_path / "cache")
    assert auto.encode(["x"]).shape == (1, 384) and auto.runtime == "torch"
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # the runtime missing: auto uses torch, onnx says why
    assert not onnx_runtime.runtime_installed()
    plain = Encoder(backend="auto", cache_dir=tmp_path / "cache")
    assert plain.encode(["x"]).shape == (1, 384) and plain.runtime == "torch"
    with pytest.raises(EncoderUnavailable, match=r"capgraph\[onnx\]"):
        Encoder(backend="onnx", cache_dir=tmp_path / "cache").encode(["x"])
    assert not (tmp_path / "cache").exists()  # nothing was exported for either


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(EncoderUnavailable, match="Unknown encoder backend"):
        Encoder(backend="cuda")
