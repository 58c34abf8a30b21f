"""Shared phrases (graph/phrases.py): the word-for-word evidence that lets a paragraph pair twice."""

from __future__ import annotations

from capgraph.graph.phrases import phrases, shared_phrases, whole_name


def test_phrases_skip_function_words_generic_verbs_and_numbers() -> None:
    found = phrases("Handles text and image inputs. Offers a 64,000-token context window.")
    assert ("text", "image") in found and ("image", "input") in found
    assert ("token", "context") in found and ("context", "window") in found
    assert not any("handle" in p or "offer" in p for p in found)
    assert not any(w[0].isdigit() for p in found for w in p)


def test_phrases_do_not_cross_sentences_and_fold_hyphens_and_plurals() -> None:
    assert ("reply", "tool") not in phrases("Writes a reply. Tool use is built in.")
    assert ("tool", "call") in phrases("Supports tool-calls.") and ("tool", "call") in phrases("tool calling")
    assert phrases("images with captions") == phrases("image with caption")


def test_shared_phrases_leave_the_models_names_out() -> None:
    a = "Zephyrix Nova reads long contracts through its context window."
    b = "Zephyrix Nova keeps a large context window for long contracts."
    assert shared_phrases(a, b) == ["context window", "long contract", "zephyrix nova"]
    assert shared_phrases(a, b, ["Zephyrix Nova"]) == ["context window", "long contract"]


def test_whole_name_finishes_the_list_a_name_was_cut_from() -> None:
    desc = "Zephyr can read invoices, receipts, and bank statements to fill a ledger."
    assert whole_name("Read invoices", desc) == "Read invoices, receipts, and bank statements"
    assert whole_name("Reads charts", "Reads charts, tables or maps. More text.") == "Reads charts, tables or maps"
    assert whole_name("Reads charts", "Reads charts and answers questions.") == "Reads charts"
    assert whole_name("Unrelated name", desc) == "Unrelated name"
