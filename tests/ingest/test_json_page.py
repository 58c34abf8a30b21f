"""A stored JSON API response: a nested object's keys belong to it only up to its closing brace."""

from __future__ import annotations

from capgraph.ingest.parse import parse_text

RESPONSE = (
    '{"result":{"slug":"mistral-large-2","label":"x","display_name":"Mistral Large 2",'
    '"modalities":{"input":["text"]},"context_window":65536,"max_output_tokens":8192,'
    '"pricing":{"notes":"per token"},"release_date":"2024-07-24"'
)


def _claims(text: str) -> dict[str, str]:
    extraction = parse_text(text)
    return {c.attribute: c.value for c in extraction.claims if c.model_id == "mistral-large-2"}


def _numbers(text: str) -> dict[str, float | None]:
    return {c.attribute: c.number for c in parse_text(text).claims}


def test_key_after_a_closed_nested_object_is_the_models() -> None:
    claims = _claims(RESPONSE)
    assert claims["modalities"] == "text"
    numbers = _numbers(RESPONSE)
    assert numbers["context_window"] == 65536
    assert numbers["max_output_tokens"] == 8192
    assert claims.get("release_date", "").startswith("2024-07")


def test_key_inside_an_unclosed_nested_object_stays_its_child() -> None:
    cut = (
        '{"display_name":"Mistral Large 2","modalities":{"input":["text","image"],"output":["text"],"context_window":1'
    )
    claims = _claims(cut)
    assert "context_window" not in claims  # still inside "modalities": not the model's own key
