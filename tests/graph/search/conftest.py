"""A small hand-made catalog: a few models with capabilities, claims, scores and evidence."""

from __future__ import annotations

import pytest

from capgraph.graph.schema import Capability, Evidence, Model, SourcedClaim, SourcedScore
from capgraph.graph.search.records import Catalog, ModelRecord


def claim(model_id: str, attribute: str, value: str, number: float | None = None, source: str = "s1") -> SourcedClaim:
    return SourcedClaim(
        model_id=model_id,
        attribute=attribute,
        value=value,
        number=number,
        source_id=source,
        source_title=f"page {source}",
    )


def score(model_id: str, benchmark: str, value: float, source: str = "s1") -> SourcedScore:
    return SourcedScore(model_id=model_id, benchmark=benchmark, value=value, sources=[source])


def cap(model_id: str, n: int, description: str) -> Capability:
    return Capability(id=f"{model_id}:{n}", model_id=model_id, name=description[:30], description=description)


def build_catalog() -> Catalog:
    recs = [
        ModelRecord(
            model=Model(id="llama-3-1-8b", name="Llama 3.1 8B", vendor="Meta", family="Llama"),
            claims=(
                claim("llama-3-1-8b", "context_window", "128K tokens", 128e3),
                claim("llama-3-1-8b", "license", "Llama 3.1 Community License"),
            ),
            scores=(score("llama-3-1-8b", "MMLU", 69.4), score("llama-3-1-8b", "HumanEval", 72.6)),
            evidence=(Evidence(kind="COMPARED_WITH", model_id="llama-3-1-8b", other_id="gemma-2-9b", sources=["s2"]),),
        ),
        ModelRecord(
            model=Model(id="gemma-2-9b", name="Gemma 2 9B", vendor="Google", family="Gemma"),
            claims=(
                claim("gemma-2-9b", "parameters", "9B", 9e9, "s2"),
                claim("gemma-2-9b", "context_length", "8K", 8e3, "s2"),
            ),
            scores=(score("gemma-2-9b", "MMLU", 71.3, "s2"), score("gemma-2-9b", "MMLU", 72.0, "s3")),
            evidence=(Evidence(kind="COMPARED_WITH", model_id="gemma-2-9b", other_id="llama-3-1-8b", sources=["s2"]),),
        ),
        ModelRecord(
            model=Model(id="gpt-4o", name="GPT-4o", vendor="OpenAI", family="GPT"),
            capabilities=(
                cap("gpt-4o", 1, "Calls external functions and tools with JSON arguments (function calling)."),
                cap("gpt-4o", 2, "Answers questions over retrieved documents with retrieval-augmented generation."),
            ),
            claims=(claim("gpt-4o", "input_price", "$2.50", 2.5), claim("gpt-4o", "context_window", "128K", 128e3)),
            scores=(score("gpt-4o", "MMLU", 88.7),),
        ),
        ModelRecord(model=Model(id="gpt-4o-2024-08-06", name="GPT-4o (2024-08-06)", family="GPT")),
        ModelRecord(
            model=Model(
                id="stable-diffusion", name="Stable Diffusion", vendor="Stability AI", family="Stable Diffusion"
            ),
            capabilities=(
                cap("stable-diffusion", 1, "Generates images from text prompts with a latent diffusion model."),
                cap("stable-diffusion", 2, "Trains LoRA adapters to teach the model a new style or subject."),
            ),
            claims=(claim("stable-diffusion", "license", "CreativeML Open RAIL-M"),),
        ),
        ModelRecord(model=Model(id="mmlu", name="MMLU", kind="Dataset")),
        ModelRecord(
            model=Model(id="mistral-7b", name="Mistral 7B", family="Mistral"),
            claims=(
                claim("mistral-7b", "license", "Apache 2.0", None, "s4"),
                claim("mistral-7b", "input_price", "$0.25", 0.25, "s4"),
            ),
        ),
    ]
    return Catalog(
        records={r.model.id: r for r in recs},
        source_titles={"s1": "URL: https://a.example", "s2": "B page", "s5": "Price list"},
        source_models={"s5": ("mistral-7b", "gpt-4o")},
    )


@pytest.fixture
def catalog() -> Catalog:
    return build_catalog()
