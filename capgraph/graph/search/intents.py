"""What kind of artifact a query asks for, and which way a modality goes (read images vs make images).

Rule-based over the general vocabulary of the field, like the constraints: "a cheap LLM" asks for a
language model (the word is a kind, not a topic to match in texts), "a model that understands images"
asks for image *input*, so an image generator (image *output*) does not fit, and "generate images"
asks for image output. The results are checks shown in the answer, like the typed constraints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.graph.search.constraints import Check
from capgraph.graph.search.kinds import Profile

# "LLM" as the kind asked for; not when it is the object of running/serving ("run LLMs locally" asks for
# a runtime) or qualifies a tool ("LLM runtime", "LLM framework").
_LLM_RE = re.compile(
    r"(?<!\brun )(?<!\bruns )(?<!\brunning )(?<!\bserve )(?<!\bserving )(?<!\bhost )(?<!\bhosting )"
    r"(?<!\bdeploy )(?<!\ban )(?<!\bfor )"
    r"\b(?:large )?(?:llms?|language models?|chat ?bots?|chat models?)\b"
    r"(?!\s+(?:runtimes?|runners?|serv\w*|frameworks?|apps?|applications?|ui|tools?|inference|engines?|"
    r"orchestration|agents?|apis?|gateways?|routers?|providers?))",
    re.I,
)
# A runtime: named as one, or the thing that runs/serves language models ("serve an LLM", "run LLMs on a Mac").
_RUNTIME_RE = re.compile(
    r"\b(?:(?:llm|inference|model)\s+)?(?:runtimes?|runners?)\b|\binference (?:engines?|servers?)\b"
    r"|\b(?:run|runs|running|serve|serving|host|hosting)\s+(?:\w+\s+){0,2}(?:llms?|language models?)\b"
    r"|\b(?:llm|model|inference)\s+serving\b",
    re.I,
)
# A user interface for image generation ("Stable Diffusion web UI", "a node editor for SDXL").
_UI = r"(?:web ?ui|ui|gui|interfaces?|front-?ends?|(?:workflow |node )?editors?)"
_DIFFUSION = r"(?:stable diffusion|sdxl|sd ?\d(?:\.\d)?|image generation|diffusion models?)"
_IMAGE_UI_RE = re.compile(
    rf"\b{_UI}\b(?:\s+\w+){{0,4}}\s+{_DIFFUSION}\b|\b{_DIFFUSION}(?:\s+\w+){{0,2}}\s+{_UI}\b", re.I
)
_JOB_WORDS = {"llm": "language model", "runtime": "runtime", "image_tool": "image generation UI"}
_IMAGE = r"(?:images?|photos?|pictures?|screenshots?|diagrams?|charts?|visual)"
_READ = (
    r"(?:understand\w*|analy[sz]\w*|interpret\w*|describ\w*|read\w*|see\w*|recogni[sz]\w*|accept\w*|tak\w*|process\w*)"
)
_INPUT_RE: dict[str, re.Pattern[str]] = {
    "image": re.compile(
        rf"\b(?:vision|{_IMAGE}\s+(?:input|understanding|recognition|analysis)|{_READ}\s+(?:\w+\s+){{0,3}}{_IMAGE})\b",
        re.I,
    ),
    "video": re.compile(rf"\b(?:video\s+(?:input|understanding|analysis)|{_READ}\s+(?:\w+\s+){{0,3}}videos?)\b", re.I),
}
# Jobs whose artifacts make or edit images: they take prompts, they do not read images for an answer.
_IMAGE_MAKERS = frozenset({"image_generation", "image_tool"})


@dataclass(frozen=True)
class Intent:
    job: str | None  # the job asked for by a kind word ("llm"), or None
    inputs: tuple[str, ...]  # input modalities asked for ("image", "video")
    phrase: str  # the kind word removed from the need, "" when none


def parse_intent(need: str) -> tuple[Intent, str]:
    """The intent of a need and the need without the kind word (which says what, not about what)."""
    inputs = tuple(mod for mod, pattern in _INPUT_RE.items() if pattern.search(need))
    for job, pattern in (("runtime", _RUNTIME_RE), ("image_tool", _IMAGE_UI_RE)):
        m = pattern.search(need)
        if m:  # these words also say what the tool is about: they stay in the need
            return Intent(job=job, inputs=inputs, phrase=m.group(0)), need
    m = _LLM_RE.search(need)
    if m is None:
        return Intent(job=None, inputs=inputs, phrase=""), need
    return Intent(job="llm", inputs=inputs, phrase=m.group(0)), " ".join(need.replace(m.group(0), " ", 1).split())


def intent_checks(intent: Intent, prof: Profile) -> list[Check]:
    """The intent as checks on one artifact's profile: its job and what it takes in."""
    checks: list[Check] = []
    if intent.job is not None:
        ok = prof.job == intent.job
        checks.append(
            Check(
                constraint=f"kind {intent.phrase}",
                status="pass" if ok else "fail",
                detail=f"{'a' if ok else 'not a'} {_JOB_WORDS[intent.job]} (its job: {prof.job.replace('_', ' ')})",
                sources=["its kind (from its name, claims and capabilities)"],
            )
        )
    for modality in intent.inputs:
        if modality == "image" and prof.job in _IMAGE_MAKERS:
            checks.append(
                Check(
                    constraint="image input",
                    status="fail",
                    detail=f"makes images, does not read them (its job: {prof.job.replace('_', ' ')})",
                    sources=["its kind (from its name, claims and capabilities)"],
                )
            )
    return checks
