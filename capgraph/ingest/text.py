"""Turning raw bytes into text, and text into the normalized form that source ids are computed from.

Everything downstream works on the normalized text, so two copies of a page that differ only in line
endings, trailing spaces or Unicode composition get the same source id and the same capability ids.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from capgraph.errors import IngestError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Control characters that do not occur in text; a sample dominated by them is a binary file.
_TEXT_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1b"}


def decode_text(data: bytes | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, list[str]]:
    """Decode an upload into text plus warnings, or raise `IngestError` saying why it cannot be read.

    Refused: over `max_bytes`, binary (NUL bytes), empty or whitespace-only. Bytes that are not UTF-8
    are replaced with U+FFFD and reported as a warning rather than refused, because scraped pages
    often carry one stray Latin-1 byte in otherwise good text.
    """
    warnings: list[str] = []
    if isinstance(data, str):
        text = _from_str(data, max_bytes, warnings)
    elif isinstance(data, bytes | bytearray | memoryview):
        text = _from_bytes(bytes(data), max_bytes, warnings)
    else:
        raise IngestError(f"expected bytes or str, got {type(data).__name__}")
    if "\x00" in text:
        raise IngestError("the data looks binary (it contains NUL bytes), not text")
    if _mostly_controls(text):
        raise IngestError("the data looks binary (mostly control characters), not text")
    if not text.strip():
        raise IngestError("the text is empty or whitespace only")
    return text, warnings


def _from_str(data: str, max_bytes: int, warnings: list[str]) -> str:
    if len(data) > max_bytes:
        raise IngestError(f"the text is over the {max_bytes}-byte limit")
    try:
        size = len(data.encode("utf-8"))
    except UnicodeEncodeError:
        data = data.encode("utf-8", "replace").decode("utf-8")
        size = len(data.encode("utf-8"))
        warnings.append("the text held unpaired surrogates; they were replaced with '?'")
    if size > max_bytes:
        raise IngestError(f"the text is {size} bytes, over the {max_bytes}-byte limit")
    return data.removeprefix("\ufeff")


def _from_bytes(data: bytes, max_bytes: int, warnings: list[str]) -> str:
    if len(data) > max_bytes:
        raise IngestError(f"the data is {len(data)} bytes, over the {max_bytes}-byte limit")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise IngestError("the data looks binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        bad = text.count("\ufffd")
        warnings.append(
            f"the data is not valid UTF-8 (first bad byte at offset {exc.start}); "
            f"{bad} undecodable sequence(s) were replaced with U+FFFD"
        )
        return text


def _mostly_controls(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch < " " and ch not in _TEXT_CONTROLS)
    return controls * 10 > len(sample) * 3


def normalize_text(text: str) -> str:
    """The canonical form of a text: `\\n` newlines, no trailing spaces on lines, stripped, NFC."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def text_id(normalized: str) -> str:
    """sha256 hex of an already normalized text (the source id)."""
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()


def collapse_spaces(text: str) -> str:
    """One space between words; used before hashing a description so wrapping does not change its id."""
    return " ".join(text.split())


_CRAWLER_URL_RE = re.compile(r"\AURL:[ \t]*(https?://\S{1,2000})[ \t]*\n")


def crawler_url(normalized: str) -> tuple[str | None, str]:
    """A crawler's `URL: <url>` first line: the page's address, and the text without that line."""
    match = _CRAWLER_URL_RE.match(normalized)
    if match is None:
        return None, normalized
    return match.group(1), normalized[match.end() :].lstrip("\n")
