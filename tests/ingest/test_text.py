from __future__ import annotations

import pytest

from capgraph.errors import IngestError
from capgraph.ingest import decode_text, normalize_text
from capgraph.ingest.text import text_id


def test_utf8_bytes_decode_without_warnings() -> None:
    assert decode_text("o4-mini vs Llama 4 — ok".encode()) == ("o4-mini vs Llama 4 — ok", [])


def test_str_passes_through_and_bom_is_dropped() -> None:
    assert decode_text("\ufeffhello")[0] == "hello"
    assert decode_text(b"\xef\xbb\xbfhello")[0] == "hello"


def test_non_utf8_is_replaced_with_a_warning() -> None:
    text, warnings = decode_text(b"caf\xe9 and GPT-4o")
    assert text == "caf\ufffd and GPT-4o"
    assert len(warnings) == 1 and "UTF-8" in warnings[0]


def test_utf16_with_bom_is_decoded() -> None:
    assert decode_text("GPT-4o vs o1".encode("utf-16"))[0] == "GPT-4o vs o1"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        ("", "empty"),
        (b"  \n\t \r\n", "empty"),
        (b"PK\x03\x04\x00\x00binary", "binary"),
        ("text\x00with nul", "binary"),
        (bytes(range(1, 32)) * 100, "binary"),
    ],
)
def test_refused_inputs(data: bytes | str, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        decode_text(data)


def test_over_the_limit() -> None:
    with pytest.raises(IngestError, match="limit"):
        decode_text(b"a" * 101, max_bytes=100)
    with pytest.raises(IngestError, match="limit"):
        decode_text("é" * 60, max_bytes=100)  # 120 bytes in UTF-8
    assert decode_text(b"a" * 100, max_bytes=100)[0] == "a" * 100


def test_wrong_type() -> None:
    with pytest.raises(IngestError):
        decode_text(12)  # type: ignore[arg-type]


def test_normalize_unifies_newlines_trailing_space_and_nfc() -> None:
    assert normalize_text("  a  \r\nb\t\rc\n\n") == "a\nb\nc"
    assert normalize_text("Cafe\u0301") == "Café"
    assert text_id(normalize_text("x\r\n")) == text_id(normalize_text("x"))
