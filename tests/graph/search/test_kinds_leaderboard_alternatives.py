"""Kinds and jobs, variants, the leaderboard and alternatives on a hand-made catalog (no vectors)."""

from __future__ import annotations

from capgraph.graph.schema import Model
from capgraph.graph.search.alternatives import alternatives, variants_of
from capgraph.graph.search.kinds import is_abbreviation, is_snapshot_name, is_tier_sibling, profile
from capgraph.graph.search.leaderboard import benchmark_key, leaderboard
from capgraph.graph.search.records import Catalog, ModelRecord, display_name, mention_sentences
from tests.graph.search.conftest import cap


def test_kinds_and_jobs(catalog: Catalog) -> None:
    assert profile(catalog.records["stable-diffusion"]).job == "image_generation"
    assert profile(catalog.records["gpt-4o"]).job == "llm"
    mmlu = profile(catalog.records["mmlu"])
    assert mmlu.kind in ("dataset", "benchmark") and not mmlu.is_artifact_to_use
    assert "image" in profile(catalog.records["stable-diffusion"]).modalities
    # a misread table that scores a "benchmark" named like a model does not turn the model into a benchmark
    assert profile(catalog.records["gpt-4o"], frozenset({"gpt-4o"})).kind == "model"
    assert profile(catalog.records["gpt-4o-2024-08-06"], frozenset({"gpt-4o (2024-08-06)"})).kind == "benchmark"


def test_snapshot_names() -> None:
    assert is_snapshot_name("GPT-4o", "GPT-4o (2024-08-06)")
    assert is_snapshot_name("Llama 3.1", "Llama 3.1 8B")
    assert is_snapshot_name("whisper", "Whisper Large v3")
    assert not is_snapshot_name("GPT-4o", "GPT-4o mini")
    assert not is_snapshot_name("GPT-4", "GPT-4o")


def test_leaderboard_ranks_and_keeps_conflicts(catalog: Catalog) -> None:
    board = leaderboard(catalog, "mmlu")
    assert [r.model.id for r in board.rows] == ["gpt-4o", "gemma-2-9b", "llama-3-1-8b"]
    gemma = board.rows[1]
    assert gemma.conflict and [v.value for v in gemma.values] == [71.3, 72.0]
    assert gemma.value == 71.65
    assert benchmark_key("SWE-bench Verified") == benchmark_key("SWE-Bench verified (500)")
    assert leaderboard(catalog, "nonexistent").rows == []


def test_alternatives_use_comparisons_and_keep_jobs_apart(catalog: Catalog) -> None:
    profiles = {m: profile(r) for m, r in catalog.records.items()}
    llama = alternatives(catalog, profiles, "llama-3-1-8b")
    assert llama.alternatives[0].model.id == "gemma-2-9b"
    top = llama.alternatives[0]
    assert top.parts["compared"] > 0 and top.parts["benchmarks"] > 0
    assert "B page" in top.reason and "compared head-on" in top.reason
    gpt = alternatives(catalog, profiles, "gpt-4o")
    ids = {a.model.id for a in gpt.alternatives}
    assert "gpt-4o-2024-08-06" not in ids and "mmlu" not in ids and "stable-diffusion" not in ids
    assert [v.id for v in gpt.variants] == ["gpt-4o-2024-08-06"]
    assert variants_of(catalog, "gpt-4o-2024-08-06") == {"gpt-4o"}


def test_display_name_is_a_whole_phrase() -> None:
    c = cap("m", 1, "Analyze screenshots of code, whiteboards, and diagrams to produce working code in many languages.")
    name = display_name(c, words=6)
    assert name == "Analyze screenshots of code, whiteboards…"
    assert display_name(cap("m", 2, "Short sentence. Another one.")) == "Short sentence"


def test_a_page_naming_two_models_is_weak_evidence(catalog: Catalog) -> None:
    profiles = {m: profile(r) for m, r in catalog.records.items()}
    mistral = alternatives(catalog, profiles, "mistral-7b")
    gpt = next(a for a in mistral.alternatives if a.model.id == "gpt-4o")
    assert gpt.parts["pages"] == 1.0 and any(e.kind == "PAGES" and "Price list" in e.detail for e in gpt.evidence)
    assert gpt.score < alternatives(catalog, profiles, "llama-3-1-8b").alternatives[0].score


def test_mention_sentences_attribute_rows_and_sentences_to_the_models_they_name() -> None:
    text = (
        "Whisper vs Deepgram.\n| Model | WER |\n| Whisper Large v3 | 2.7% |\n"
        "Deepgram Nova-3 streams with 300 ms latency. Nothing else here mentions a model at all."
    )
    models = [Model(id="w", name="Whisper Large v3"), Model(id="d", name="Deepgram Nova-3", aliases=["Nova-3"])]
    got = mention_sentences(text, models)
    assert ("w", "| Whisper Large v3 | 2.7% |") in got
    assert ("d", "Deepgram Nova-3 streams with 300 ms latency.") in got
    assert all(m != "w" or "Whisper Large v3" in s for m, s in got)
    assert len(got) == 2


def test_alternatives_weight_shared_classes_by_rarity() -> None:
    """Two candidates, each sharing one class with the model: the one sharing the rare class ranks first, and
    the common class alone counts for nothing (idf = ln(N / N) = 0)."""
    mids = ["base", "rare-peer", "common-peer", "x1", "x2"]
    recs = {m: ModelRecord(model=Model(id=m, name=m.title())) for m in mids}
    classes = {
        "base": frozenset({"text", "lora"}),
        "rare-peer": frozenset({"text", "lora"}),
        "common-peer": frozenset({"text"}),
        "x1": frozenset({"text"}),
        "x2": frozenset({"text"}),
    }
    catalog = Catalog(records=recs, classes=classes, class_names={"lora": "LoRA fine-tuning", "text": "Generates text"})
    profiles = {m: profile(r) for m, r in recs.items()}
    got = alternatives(catalog, profiles, "base")
    assert [a.model.id for a in got.alternatives] == ["rare-peer"]
    assert got.alternatives[0].parts["classes"] == 1.0
    assert "“LoRA fine-tuning”, “Generates text”" in got.alternatives[0].reason


def _tools_catalog() -> Catalog:
    """Own names: two editor assistants and a rules repository named after one; two agent frameworks, one
    stored with the default kind; an image UI and its short form."""

    def rec(mid: str, name: str, kind: str, text: str) -> ModelRecord:
        return ModelRecord(model=Model(id=mid, name=name, kind=kind), capabilities=[cap(mid, 1, text)])

    records = [
        rec("quill", "Quill", "Product", "Code completion and autocomplete inside the editor."),
        rec("scribe", "Scribe", "Product", "Code completion as an IDE extension with autocomplete."),
        rec("quill-rules", "Quill Rules", "Repository", "Rules files that steer Quill's code completion."),
        rec("weaver", "Weaver", "Model", "Multi-agent orchestration of tool-using workers."),
        rec("loom", "Loom", "Framework", "Multi-agent orchestration with graphs of agents."),
        rec("pixelforge2000", "Pixelforge2000", "Repository", "A node-based workflow UI for diffusion models."),
        rec("pf2000", "PF2000", "Repository", "Node-based webui for image models."),
        rec("canvasly", "Canvasly", "Repository", "A node-based workflow UI with many plugins."),
    ]
    pages = {"p1": ("quill", "scribe", "quill-rules"), "p2": ("weaver", "loom"), "p3": ("pixelforge2000", "canvasly")}
    return Catalog(records={r.model.id: r for r in records}, source_models=pages)


def test_an_accessory_named_after_a_product_is_no_alternative_to_it() -> None:
    catalog = _tools_catalog()
    profiles = {m: profile(r) for m, r in catalog.records.items()}
    assert profiles["quill-rules"].job == "other" and profiles["quill"].job == "coding_assistant"
    ids = [a.model.id for a in alternatives(catalog, profiles, "quill").alternatives]
    assert "scribe" in ids and "quill-rules" not in ids


def test_a_framework_stored_with_the_default_kind_is_a_tool_with_framework_alternatives() -> None:
    catalog = _tools_catalog()
    profiles = {m: profile(r) for m, r in catalog.records.items()}
    assert (profiles["weaver"].kind, profiles["weaver"].job) == ("tool", "agent_framework")
    assert [a.model.id for a in alternatives(catalog, profiles, "weaver").alternatives] == ["loom"]
    server = ModelRecord(model=Model(id="s", name="@modelcontextprotocol/server-git", kind="Repository"))
    assert profile(server).kind == "mcp_server"


def test_a_short_form_of_a_name_is_a_variant_not_an_alternative() -> None:
    assert is_abbreviation("PF2000", "Pixelforge2000") and is_abbreviation("A1111", "AUTOMATIC1111")
    assert not is_abbreviation("PF3000", "Pixelforge2000") and not is_abbreviation("GPT4", "GPT4o")
    assert not is_abbreviation("O3", "Orion3")  # one digit is too little to go on
    catalog = _tools_catalog()
    profiles = {m: profile(r) for m, r in catalog.records.items()}
    got = alternatives(catalog, profiles, "pixelforge2000")
    ids = [a.model.id for a in got.alternatives]
    assert "pf2000" not in ids and "canvasly" in ids
    assert [v.id for v in got.variants] == ["pf2000"]


def test_another_tier_of_the_same_release_is_a_variant() -> None:
    assert is_tier_sibling("Vega 3.5 Pro", "Vega 3.5 Flash") and is_tier_sibling("Vega 3.5 Pro", "vega-3.5-lite")
    assert not is_tier_sibling("Vega Pro", "Vega Flash")  # no version: maybe two generations apart
    assert not is_tier_sibling("Vega 3.5 Pro", "Vega 4 Flash") and not is_tier_sibling("Vega 3.5 Pro", "Vega 3.5 Pro")
    records = [
        ModelRecord(model=Model(id=m, name=n), capabilities=[cap(m, 1, "Long-context chat and reasoning.")])
        for m, n in [("pro", "Vega 3.5 Pro"), ("flash", "Vega 3.5 Flash"), ("rival", "Orbit 2")]
    ]
    catalog = Catalog(records={r.model.id: r for r in records}, source_models={"p": ("pro", "flash", "rival")})
    got = alternatives(catalog, {m: profile(r) for m, r in catalog.records.items()}, "pro")
    assert [a.model.id for a in got.alternatives] == ["rival"] and [v.id for v in got.variants] == ["flash"]
