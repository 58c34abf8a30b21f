"""Short forms on one page: a size may be left out, a version or release tag may not."""

from __future__ import annotations

from capgraph.ingest.resolve import default_resolver


def test_short_form_leaves_out_a_size() -> None:
    text = "Phi 5 beats its rivals. Our runs used Phi 5 14B throughout."
    assert default_resolver().page_aliases(text) == {"Phi 5": "Phi 5 14B"}


def test_short_form_is_not_a_release_tagged_id() -> None:
    text = "| Model | Mistral Small 3 |\n| Cloud ID | mistral.mistral-small-3-v2 |\nWe liked Mistral Small 3."
    aliases = default_resolver().page_aliases(text)
    assert "Mistral Small 3" not in aliases
