"""The real all-MiniLM-L6-v2, offline from the installed package."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from capgraph.embeddings.encoder import Encoder
from capgraph.errors import EncoderUnavailable


def test_vectors_are_unit_length_in_input_order_and_cached(encoder: Encoder) -> None:
    texts = ["function calling with JSON schemas", "generate images from text", "function calling with JSON schemas"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors[0], vectors[2])
    assert encoder.name == "all-MiniLM-L6-v2" and encoder.dim == 384
    again = encoder.encode(list(reversed(texts)))
    assert encoder.encoded_by_last_call == 0  # all three were cached
    np.testing.assert_array_equal(again[0], vectors[2])
    related, unrelated = vectors[0] @ encoder.encode(["tool use and function calls"])[0], vectors[0] @ vectors[1]
    assert related > unrelated


def test_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="No sentence-transformers model"):
        Encoder(tmp_path).encode(["x"])
