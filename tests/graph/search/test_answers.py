"""The cached answer facade on the five seeds (real pipeline, real encoder)."""

from __future__ import annotations

import re

from capgraph.app import Services
from capgraph.graph.search.answers import Answers
from capgraph.graph.search.leaderboard import benchmarks, leaderboard, store_benchmarks, store_leaderboard
from capgraph.graph.store import BenchmarkScores


def test_answers_on_the_seeds_and_the_cache_follows_the_store(seeded_services: Services) -> None:
    answers = seeded_services.answers
    found = answers.search("LoRA training of a custom style")
    assert found.hits and found.hits[0].model.id == "stable-diffusion"
    assert answers.search("bake a chocolate cake").nothing_fits

    alts = answers.alternatives("o4-mini", k=5)
    ids = [a.model.id for a in alts.alternatives]
    assert "gpt-4o" in ids[:3] and "stable-diffusion" not in ids
    for a in alts.alternatives:  # words, never bare capability ids like "gpt-4o:178267bb12a8f222"
        assert a.reason and not re.search(r"\w:[0-9a-f]{12}", " ".join(e.detail for e in a.evidence))
    assert any("Stable Diffusion" in e for e in alts.excluded)

    first = answers.index()
    assert answers.index() is first  # unchanged store: same index
    seeded_services.ingest.text(
        "Foo 1 vs Bar 2\n| Feature | Foo 1 | Bar 2 |\n|---|---|---|\n| Type | Model | Model |\n", title="new page"
    )
    assert answers.index() is not first  # the write went through the services: seen at once

    other = Answers(seeded_services.store, lambda: seeded_services.encoder)  # another process's view
    second = other.index()
    seeded_services.ingest.text(
        "Baz 3 vs Qux 4\n| Feature | Baz 3 | Qux 4 |\n|---|---|---|\n| Type | Model | Model |\n"
    )
    assert other.index() is second  # a foreign write shows only after STATE_TTL_S...
    other.invalidate()
    assert other.index() is not second  # ...or an explicit invalidate


def test_the_leaderboard_from_the_benchmark_index_matches_the_catalogs(seeded_services: Services) -> None:
    """Every benchmark the seeds score, asked by each spelling, by its key and by its first word: the rows
    read from the store's benchmark index are the rows the catalog gives (models, values, sources, ranks)."""
    store, catalog = seeded_services.store, seeded_services.answers.catalog()
    assert isinstance(store, BenchmarkScores)
    known = benchmarks(catalog)
    assert store_benchmarks(store) == known and len(known) >= 3
    asked = {q for key, spellings in known.items() for q in [key, key.split()[0], *spellings]} | {"no such bench"}
    for name in sorted(asked):
        expected = leaderboard(catalog, name, k=100)
        assert store_leaderboard(store, name, k=100).model_dump() == expected.model_dump(), name
    assert any(len(leaderboard(catalog, name).rows) > 1 for name in known)
