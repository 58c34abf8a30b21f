from __future__ import annotations

import json
from pathlib import Path

import pytest

from capgraph.errors import IngestError
from capgraph.ingest import Resolver, parse_text
from capgraph.ingest.resolve import ALIASES_ENV, default_resolver, slugify


@pytest.fixture(scope="module")
def r() -> Resolver:
    return Resolver()


@pytest.mark.parametrize(
    ("name", "model_id", "display"),
    [
        ("o4-mini", "o4-mini", "o4-mini"),
        ("GPT-4o", "gpt-4o", "GPT-4o"),
        ("gpt 4o", "gpt-4o", "GPT-4o"),
        ("GPT4o", "gpt-4o", "GPT-4o"),
        ("LLama 4", "llama-4", "Llama 4"),
        ("Llama 4 Scout", "llama-4-scout", "Llama 4 Scout"),
        ("Llama 3.2 1B", "llama-3-2-1b", "Llama 3.2 1B"),
        ("LLaMA 3-2 3B", "llama-3-2-3b", "Llama 3.2 3B"),
        ("Phi-4-mini", "phi-4-mini", "Phi-4-mini"),
        ("o1-mini", "o1-mini", "o1-mini"),
        ("Stable-Diffusion", "stable-diffusion", "Stable Diffusion"),
        ("Claude 3.5 Sonnet", "claude-3-5-sonnet", "Claude 3.5 Sonnet"),
        ("Claude Sonnet 3.7", "claude-3-7-sonnet", "Claude 3.7 Sonnet"),
        ("Gemini 2.0 Flash", "gemini-2-0-flash", "Gemini 2.0 Flash"),
        ("Gemini 2.0 Flash-Lite", "gemini-2-0-flash-lite", "Gemini 2.0 Flash-Lite"),
        ("**GPT-4o**", "gpt-4o", "GPT-4o"),
        ("GPT-4o's", "gpt-4o", "GPT-4o"),
    ],
)
def test_canonical(r: Resolver, name: str, model_id: str, display: str) -> None:
    resolved = r.canonical(name)
    assert (resolved.id, resolved.name) == (model_id, display)
    assert resolved.base_id is None


def test_sizes_and_versions_stay_apart(r: Resolver) -> None:
    ids = {r.canonical(n).id for n in ("Llama 3.2 1B", "Llama 3.2 3B", "Claude 3.5 Sonnet", "Claude Sonnet 3.7",
                                       "Gemini 2.0 Flash", "Gemini 2.0 Flash-Lite")}  # fmt: skip
    assert len(ids) == 6


def test_provider_prefix_and_dated_snapshot(r: Resolver) -> None:
    plain = r.canonical("OpenAI: GPT-4o")
    assert (plain.id, plain.vendor, plain.base_id) == ("gpt-4o", "OpenAI", None)
    snap = r.canonical("OpenAI: GPT-4o (2024-08-06)")
    assert (snap.id, snap.vendor, snap.base_id) == ("gpt-4o-2024-08-06", "OpenAI", "gpt-4o")
    assert r.canonical("gpt-4o-2024-08-06").id == snap.id


def test_qualifier_in_parentheses_is_a_variant(r: Resolver) -> None:
    resolved = r.canonical("Phi-4-mini (reasoning-tuned)")
    assert (resolved.id, resolved.base_id) == ("phi-4-mini-reasoning-tuned", "phi-4-mini")
    assert r.canonical("GPT-4o (OpenAI)").id == "gpt-4o"


def test_vendor_from_family(r: Resolver) -> None:
    assert r.canonical("Llama 4").vendor == "Meta"
    assert r.canonical("Bespoke-Stratos 7B").vendor is None


def test_not_a_name(r: Resolver) -> None:
    with pytest.raises(ValueError):
        r.canonical("  --  ")
    assert r.try_canonical("") is None


def _ids(r: Resolver, text: str) -> list[str]:
    return [m.resolved.id for m in r.find_mentions(text)]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Cheaper than o1/o3 for STEM", ["o1", "o3"]),
        ("than GPT-4o or Claude 3.5 Sonnet, which", ["gpt-4o", "claude-3-5-sonnet"]),
        ("than Claude 3.5 Sonnet or Gemini 2.0 because", ["claude-3-5-sonnet", "gemini-2-0"]),
        ("smaller than Llama 3.2 11B/90B (also 128K)", ["llama-3-2-11b", "llama-3-2-90b"]),
        ("more than Copilot, Hugging Face Transformers or RunPod", []),
        ("Claude's tool_use blocks", []),
        ("GPT-4o 128K context", ["gpt-4o"]),
        ("the GPT-4o-based agent", ["gpt-4o"]),
        ("text-o1 is not a model and neither is O(1)", []),
        ("Llama 2 7B-Instruct while", ["llama-2-7b-instruct"]),
        ("Mistral AI released Mistral Small 3, a 24B model", ["mistral-small-3"]),
        ("The Mistral-7B-v0.1 Large Language Model is", ["mistral-7b-v0-1"]),
        ("GPT-5.4 1M tokens, Gemini 3.1 Pro 10M tokens", ["gpt-5-4", "gemini-3-1-pro"]),
        ("GPT-o3 ~92% and ChatGPT o1 and OpenAI o4-mini", ["o3", "o1", "o4-mini"]),
    ],
)
def test_find_mentions(r: Resolver, text: str, ids: list[str]) -> None:
    assert _ids(r, text) == ids


def test_looks_like_model(r: Resolver) -> None:
    assert r.looks_like_model("Phi-4-mini")
    assert r.looks_like_model("Llama 3.2 3B")
    assert not r.looks_like_model("Value")
    assert not r.looks_like_model("GPT-4o notes")


def test_user_alias_file_extends_defaults(tmp_path: Path) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps({"4o": "GPT-4o", "Big Llama": "Llama 4 Behemoth", "Copilot": "GitHub Copilot"}))
    r = Resolver.from_file(path)
    assert r.canonical("4o").id == "gpt-4o"
    assert r.canonical("big llama").id == "llama-4-behemoth"
    assert r.canonical("GPT-4o").id == "gpt-4o"  # defaults still there
    assert [m.resolved.id for m in r.find_mentions("faster than Copilot")] == ["github-copilot"]
    assert r.aliases["4o"] == "GPT-4o"


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"a": 1}', '{"": "x"}'])
def test_bad_alias_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(content)
    with pytest.raises(IngestError):
        Resolver.from_file(path)
    with pytest.raises(IngestError):
        Resolver.from_file(tmp_path / "missing.json")


def test_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps({"Zed Model": "Qwen 2.5"}))
    monkeypatch.setenv(ALIASES_ENV, str(path))
    assert Resolver.from_env().canonical("zed model").id == "qwen-2-5"
    assert default_resolver().canonical("zed model").id == "qwen-2-5"
    e = parse_text("Zed Model vs GPT-4o")
    assert {m.id for m in e.models} == {"qwen-2-5", "gpt-4o"}
    monkeypatch.setenv(ALIASES_ENV, str(tmp_path / "missing.json"))
    with pytest.raises(IngestError):
        parse_text("Zed Model vs GPT-4o")
    monkeypatch.delenv(ALIASES_ENV)
    assert default_resolver().canonical("zed model").id == "zed-model"


def test_slugify() -> None:
    assert slugify("Llama-3.2 1B") == "llama-3-2-1b"
    assert slugify("  ") == ""


@pytest.mark.parametrize(
    "glued", ["GPT-4o128K", "Gemini 2.5 Pro1M", "GPT-4.11.05M", "Claude Sonnet 4.61M", "Pro3.8sYesNo"]
)
def test_a_name_run_into_the_next_cell_is_not_a_name(r: Resolver, glued: str) -> None:
    assert r.try_canonical(glued) is None


@pytest.mark.parametrize("name", ["Mixtral 8x22B", "Qwen2.5-7B-Instruct", "Phi-3-mini-128K", "SmolLM2-360M"])
def test_sizes_and_context_suffixes_in_real_names_stay(r: Resolver, name: str) -> None:
    assert r.try_canonical(name) is not None
