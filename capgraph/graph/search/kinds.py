"""What an artifact is (kind), what it takes in and gives out (modalities), and its primary job.

Derived from the stored kind (from the pages' own "Type" rows), the name, claims and capability texts,
by keyword evidence. The job decides who can be whose alternative: an image generator is no alternative
to a chat model, a benchmark or dataset is no alternative to anything. The keyword lists are general
vocabulary of the field and the names of well-known model families, not facts of any one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from capgraph.graph.search.records import ModelRecord

Kind = Literal["model", "tool", "product", "mcp_server", "dataset", "benchmark"]
Job = Literal[
    "llm",
    "image_generation",
    "speech_recognition",
    "speech_synthesis",
    "embedding",
    "image_tool",
    "coding_assistant",
    "agent_framework",
    "mcp_server",
    "runtime",
    "benchmark",
    "other",
]

_STORED_KIND: dict[str, Kind] = {
    "model": "model",
    "mcp server": "mcp_server",
    "repository": "tool",
    "cli tool": "tool",
    "extension": "tool",
    "framework": "tool",
    "library": "tool",
    "tool": "tool",
    "product": "product",
    "api": "product",
    "app": "product",
    "dataset": "dataset",
    "benchmark": "benchmark",
}

# job -> (name keywords, text keywords); a name hit counts 3, a text hit 1 (names are the strongest signal)
JOB_KEYWORDS: dict[Job, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "image_generation": (
        ("stable diffusion", "sdxl", "dall-e", "dall·e", "midjourney", "flux", "imagen", "firefly"),
        ("image generation", "text-to-image", "diffusion model", "inpainting", "generate images", "image synthesis"),
    ),
    "image_tool": (("comfyui", "automatic1111", "a1111", "forge", "invokeai"), ("node-based", "webui", "workflow ui")),
    "speech_recognition": (
        ("whisper", "deepgram", "assemblyai", "speech-to-text", "transcribe", "nova-", "wav2vec", "speech"),
        ("speech recognition", "transcription", "word error rate", "wer", "audio transcription", "speech-to-text"),
    ),
    "speech_synthesis": (("elevenlabs", "tts", "bark"), ("text-to-speech", "speech synthesis", "voice cloning")),
    "embedding": (("embed", "minilm", "e5-", "bge-"), ("sentence embeddings", "embedding model")),
    "coding_assistant": (
        ("copilot", "cursor", "cody", "windsurf", "tabnine", "intellicode", "codeium", "pieces"),
        ("code completion", "autocomplete", "ide extension", "pair programmer"),
    ),
    "agent_framework": (
        ("langchain", "langgraph", "crewai", "autogen", "llamaindex"),
        ("multi-agent", "orchestration"),
    ),
    "runtime": (("vllm", "llama.cpp", "ollama", "mlx", "lm studio", "tgi"), ("inference server", "inference runtime")),
    "mcp_server": (("mcp",), ("model context protocol", "mcp server")),
    "llm": (
        (
            "gpt",
            "claude",
            "gemini",
            "llama",
            "mistral",
            "mixtral",
            "qwen",
            "gemma",
            "phi-",
            "deepseek",
            "grok",
            "o1",
            "o3",
            "o4",
            "command r",
            "yi-",
            "falcon",
            "tinyllama",
            "stratos",
        ),
        ("language model", "chat", "reasoning", "context window", "tokens", "function calling", "instruction"),
    ),
}
_BENCHMARK_NAMES = re.compile(
    r"^(mmlu|math|gsm8k|humaneval|gpqa|aime|swe-?bench|mbpp|hellaswag|arc|truthfulqa|big-?bench|mt-?bench|"
    r"chatbot arena|livecodebench|codeforces|winogrande|drop|ifeval|math-500)\b",
    re.I,
)
_DATASET_WORDS = ("dataset", "corpus", "benchmark suite")
# Last words that make a name a part or accessory of a product rather than the product: "Cursor Rules" is a
# repository of rules files for Cursor and must not take Cursor's job (its alternatives would be editors).
_ACCESSORY_WORDS = frozenset(
    """rules rule config configs configuration settings prompts templates snippets docs documentation examples
    cookbook recipes themes dotfiles""".split()  # noqa: SIM905
)
# Jobs done by software one runs or installs, not by a trained model: an artifact stored with the default kind
# "Model" whose job is one of these is a tool (LangChain is a framework, as CrewAI is).
TOOL_JOBS = frozenset({"agent_framework", "image_tool", "coding_assistant", "runtime"})
MODALITY_WORDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "chat", "language", "tokens"),
    "image": ("image", "vision", "visual", "screenshot", "photo", "diagram"),
    "audio": ("audio", "speech", "voice", "transcri"),
    "video": ("video",),
    "code": ("code", "programming", "coding"),
}


@dataclass(frozen=True)
class Profile:
    kind: Kind
    job: Job
    modalities: tuple[str, ...]

    @property
    def is_artifact_to_use(self) -> bool:
        """Benchmarks and datasets are measured against, not used instead of something."""
        return self.kind not in ("dataset", "benchmark")


def _text(rec: ModelRecord) -> str:
    parts = [c.description for c in rec.capabilities] + [f"{c.attribute} {c.value}" for c in rec.claims]
    return " ".join(parts).lower()


def kind_of(rec: ModelRecord, benchmark_names: frozenset[str] = frozenset()) -> Kind:
    name = rec.model.name.lower()
    if _BENCHMARK_NAMES.match(name):
        return "benchmark"
    if name in benchmark_names and not (rec.capabilities or rec.claims or rec.scores):
        return "benchmark"  # named like a scored benchmark and states nothing itself (a misread table can
        # score a benchmark called "GPT-4o": a model with facts of its own stays a model)
    stored = _STORED_KIND.get(rec.model.kind.lower().strip())
    text = _text(rec)
    if stored in (None, "model") and any(w in name for w in _DATASET_WORDS):
        return "dataset"
    words = re.split(r"[^a-z0-9]+", name)
    if "mcp" in words or name.startswith("mcp") or "modelcontextprotocol" in words or stored == "mcp_server":
        return "mcp_server"
    if stored in (None, "model") and re.search(r"\b(cli|sdk)\b", name):
        return "tool"
    if stored in (None, "model") and re.search(r"\bapi\b", name):
        return "product"
    if stored is None and "dataset" in text[:400]:
        return "dataset"
    return stored or "model"


def job_of(rec: ModelRecord, kind: Kind) -> Job:
    """The job with the most keyword evidence; names weigh 3, texts 1; LLM is the default for models."""
    if kind in ("benchmark", "dataset"):
        return "benchmark"
    if kind == "mcp_server":
        return "mcp_server"
    if is_accessory_name(rec.model.name):
        return "other"
    name = f"{rec.model.name} {rec.model.family or ''}".lower()
    text = _text(rec)
    best: tuple[float, Job] = (0.0, "llm" if kind == "model" else "other")
    for job, (name_words, text_words) in JOB_KEYWORDS.items():
        score = 3.0 * sum(w in name for w in name_words) + sum(min(text.count(w), 3) for w in text_words) / 3
        if job == "llm":
            score *= 0.5  # generic words ("tokens", "chat") appear in every kind of page
        if score > best[0]:
            best = (score, job)
    job = best[1]
    if kind == "tool" and job == "llm":
        return "other"
    return job


def is_accessory_name(name: str) -> bool:
    """ "Cursor Rules", "Copilot prompts": a product's name followed by a word for a part of it."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return len(words) >= 2 and words[-1] in _ACCESSORY_WORDS


def modalities_of(rec: ModelRecord, job: Job) -> tuple[str, ...]:
    stated = [c.value.lower() for c in rec.claims if c.attribute in ("modalities", "input_modalities", "modality")]
    text = " ".join(stated) or _text(rec)
    found = [m for m, words in MODALITY_WORDS.items() if any(w in text for w in words)]
    defaults = {"llm": ("text",), "image_generation": ("text", "image"), "speech_recognition": ("audio", "text")}
    return tuple(dict.fromkeys([*defaults.get(job, ()), *found]))


def profile(rec: ModelRecord, benchmark_names: frozenset[str] = frozenset()) -> Profile:
    kind = kind_of(rec, benchmark_names)
    job = job_of(rec, kind)
    if kind == "model" and (job in TOOL_JOBS or is_accessory_name(rec.model.name)):
        kind = "tool"
    return Profile(kind=kind, job=job, modalities=modalities_of(rec, job))


# What may follow a base name in a snapshot/edition/size name: a date, a version, a size, or an edition word.
_TAIL = re.compile(
    r"^(?:\d{4}(?: \d{2}(?: \d{2})?)?|\d{4}|v?\d+(?:\.\d+)*|\d+(?:\.\d+)?[bm]"
    r"|latest|preview|instruct|chat|it|base|hf|large|medium|small|tiny|xl)"
    r"(?: (?:instruct|chat|it|base|hf|preview|latest|v?\d+(?:\.\d+)*))?$",
    re.I,
)


def name_key(name: str) -> str:
    """ "GPT-4o (2024-08-06)" -> "gpt 4o 2024 08 06": the form snapshot names are compared in."""
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", name.lower()).split())


def is_snapshot_name(base: str, other: str) -> bool:
    """ "GPT-4o (2024-08-06)" is a snapshot of "GPT-4o": the other name is the base plus one date/version word."""
    kb, ko = name_key(base), name_key(other)
    if not kb or kb == ko or not ko.startswith(kb + " "):
        return False
    return bool(_TAIL.match(ko[len(kb) + 1 :]))


def abbreviation_key(name: str) -> str | None:
    """ "AUTOMATIC1111" and "A1111" -> "a1111": first letter + trailing digits, for names that end in a number
    glued to letters. Two names with one key are candidates for `is_abbreviation`; others have none."""
    m = re.fullmatch(r"([a-z])[a-z]*([0-9]{2,})", re.sub(r"[^a-z0-9]", "", name.lower()))
    return f"{m.group(1)}{m.group(2)}" if m else None


def is_abbreviation(short: str, long: str) -> bool:
    """ "A1111" abbreviates "AUTOMATIC1111": the same first letter and number, the short name's letters in
    order within the long name's, at most 3 of them against at least 3 more in the long name. A page's short
    form of one artifact is the artifact itself (a variant spelling), never its alternative."""
    key = abbreviation_key(short)
    if key is None or key != abbreviation_key(long):
        return False
    letters_s = re.sub(r"[^a-z]", "", short.lower())
    letters_l = re.sub(r"[^a-z]", "", long.lower())
    rest = iter(letters_l)
    return len(letters_s) <= 3 and len(letters_l) >= len(letters_s) + 3 and all(ch in rest for ch in letters_s)


# Tier words of one release: "Gemini 2.5 Pro" and "Gemini 2.5 Flash" are two tiers of the same version.
_TIERS = frozenset(
    """pro flash lite mini nano turbo ultra plus max haiku sonnet opus scout maverick behemoth large medium
    small""".split()  # noqa: SIM905
)


def tier_prefix(name: str) -> str | None:
    """The name key before a last tier word when that part has a version ("gemini 2.5" of "Gemini 2.5 Pro"):
    where another tier of the same release would start; None for any other name (so no lookup is made)."""
    words = name_key(name).split()
    if len(words) >= 2 and words[-1] in _TIERS and any(ch.isdigit() for ch in "".join(words[:-1])):
        return " ".join(words[:-1])
    return None


def is_tier_sibling(a: str, b: str) -> bool:
    """Two tiers of one versioned release: the same name up to a last word that is a tier word in both, and
    a version number in the shared part ("Gemini 2.5 Pro" / "Gemini 2.5 Flash"; not "Gemini Pro" / "Gemini
    Flash", whose versions are unknown)."""
    ka, kb = name_key(a).split(), name_key(b).split()
    return (
        len(ka) == len(kb) >= 2
        and ka[:-1] == kb[:-1]
        and ka[-1] != kb[-1]
        and {ka[-1], kb[-1]} <= _TIERS
        and any(ch.isdigit() for ch in "".join(ka[:-1]))
    )
