"""Hybrid search on the hand-made catalog with the real all-MiniLM-L6-v2 encoder."""

from __future__ import annotations

import pytest

from capgraph.embeddings.encoder import Encoder
from capgraph.graph.search.hybrid import SearchIndex
from capgraph.graph.search.records import INTRO_CHARS, intro, page_chunks
from tests.graph.search.conftest import build_catalog


@pytest.fixture(scope="module")
def index(encoder: Encoder) -> SearchIndex:
    return SearchIndex(build_catalog(), encoder)


def test_jargon_hits_through_the_lexical_side(index: SearchIndex) -> None:
    answer = index.search("LoRA fine-tuning for image generation")
    assert answer.hits[0].model.id == "stable-diffusion"
    assert answer.hits[0].lexical_rank == 1
    assert any("LoRA" in p.text for p in answer.hits[0].evidence)


def test_long_form_finds_the_acronym_and_back(index: SearchIndex) -> None:
    assert index.search("RAG over company documents").hits[0].model.id == "gpt-4o"


def test_nothing_fits_gives_an_empty_answer_with_marked_near_misses(index: SearchIndex) -> None:
    answer = index.search("bake a chocolate cake")
    assert answer.nothing_fits and answer.hits == []
    assert answer.near_misses and all(h.near_miss and h.why.startswith("near miss") for h in answer.near_misses)


def test_constraints_filter_and_every_hit_shows_its_checks(index: SearchIndex) -> None:
    answer = index.search("open weights model under 10B parameters")
    ids = [h.model.id for h in answer.hits]
    assert set(ids) == {"gemma-2-9b", "llama-3-1-8b", "mistral-7b"}
    for hit in answer.hits:
        assert [c.status for c in hit.checks] == ["pass", "pass"]
        assert "≤ 10B" in hit.why
    assert "gpt-4o" not in ids and "stable-diffusion" not in ids


def test_unknown_is_not_a_match(index: SearchIndex) -> None:
    answer = index.search("at least 128K context")
    ids = {h.model.id for h in answer.hits}
    assert ids == {"gpt-4o", "llama-3-1-8b"}
    assert "mistral-7b" not in ids  # no context claim: unknown


def test_datasets_are_never_hits(index: SearchIndex) -> None:
    assert "mmlu" not in {h.model.id for h in index.search("MMLU benchmark").hits}


def test_a_query_naming_a_benchmark_ranks_by_its_leaderboard(index: SearchIndex) -> None:
    answer = index.search("best MMLU results")
    assert {h.model.id for h in answer.hits[:3]} == {"gpt-4o", "gemma-2-9b", "llama-3-1-8b"}
    gpt = next(h for h in answer.hits if h.model.id == "gpt-4o")
    assert gpt.evidence[0].kind == "score" and "88.7" in gpt.evidence[0].text and "rank 1" in gpt.evidence[0].text
    assert "mmlu" not in {h.model.id for h in answer.hits}  # the benchmark itself is no hit


def test_class_names_and_descriptions_are_searchable(encoder: Encoder) -> None:
    """Mistral 7B has no capability text with these words; only the class it is in names them."""
    catalog = build_catalog()
    catalog.classes["mistral-7b"] = frozenset({"cls-1"})
    catalog.class_names["cls-1"] = "Speculative decoding drafts"
    catalog.class_descriptions["cls-1"] = "Drafts tokens with a smaller model to speed up decoding."
    answer = SearchIndex(catalog, encoder).search("speculative decoding")
    assert answer.hits[0].model.id == "mistral-7b"
    assert any(p.kind == "class" for p in answer.hits[0].evidence)


def test_a_small_pages_opening_describes_the_models_it_names(encoder: Encoder) -> None:
    """Mistral 7B's own facts say nothing of llamas; the page about it (and one other model) does. A page naming
    more than PAGE_MODELS models lends its opening to none of them."""
    catalog = build_catalog()
    catalog.source_models["p1"] = ("mistral-7b", "gemma-2-9b")
    catalog.intros["p1"] = "Two assistants that herd alpacas and llamas on a ranch, compared."
    catalog.source_models["p2"] = tuple(catalog.records)
    catalog.intros["p2"] = "A board of many models that translate Klingon poetry."
    index = SearchIndex(catalog, encoder)
    answer = index.search("herd alpacas")
    assert {h.model.id for h in answer.hits} == {"mistral-7b", "gemma-2-9b"}
    assert all(any(p.kind == "page" for p in h.evidence) for h in answer.hits)
    assert index.search("translate Klingon poetry").hits == []


def test_intro_is_the_opening_paragraph_without_the_url_line() -> None:
    text = "URL: https://example.com/a\n\nTitle here\n\n" + "word " * 400
    got = intro(text)
    assert got.startswith("Title here word") and len(got) <= INTRO_CHARS and not got.endswith(" ")


def test_a_pages_body_ranks_its_models_but_never_passes_the_floor(encoder: Encoder) -> None:
    """A table row of a page about Mistral 7B that does not name it ("sheepdog whistle") lifts Mistral above
    Gemma, which is tied with it on everything else; the row's words alone make no hit."""
    catalog = build_catalog()
    catalog.source_models["p1"] = ("mistral-7b", "gemma-2-9b")
    catalog.intros["p1"] = "Two assistants that herd alpacas and llamas on a ranch, compared."
    tied = SearchIndex(catalog, encoder).search("herd alpacas with a sheepdog whistle")
    assert [h.model.id for h in tied.hits] == ["gemma-2-9b", "mistral-7b"]  # the tie falls to the id
    catalog.source_models["p3"] = ("mistral-7b",)
    catalog.intros["p3"] = "Mistral 7B notes."
    catalog.chunks["p3"] = ("| Herding aids | sheepdog whistle commands |",)
    index = SearchIndex(catalog, encoder)
    assert [h.model.id for h in index.search("herd alpacas with a sheepdog whistle").hits] == [
        "mistral-7b",
        "gemma-2-9b",
    ]
    assert index.search("sheepdog whistle commands").hits == []


def test_page_chunks_are_the_pages_sentences_in_pieces() -> None:
    sentences = [f"Sentence number {i} says something." for i in range(100)]
    text = "URL: https://example.com/a\n" + " ".join(sentences[:50]) + "\nUnique: beats the others.\n"
    text += " ".join(sentences[50:])
    chunks = page_chunks(text)
    assert " ".join(chunks) == " ".join(sentences)  # every sentence once, in order; URL and Unique lines left out
    assert len(chunks) >= 4 and all(INTRO_CHARS <= len(c) < INTRO_CHARS + 40 for c in chunks[:-1])
