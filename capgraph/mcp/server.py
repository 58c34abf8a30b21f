"""The MCP server: the same queries as the CLI and the HTTP API, as typed tools an agent can call.

Each tool is a thin call into the shared services; a domain error becomes a tool error whose text is the
CLI's message (no traceback ever reaches the client). `ingest_text` and `feedback` exist only when the operator opens
writes (`capgraph mcp --allow-writes`); reads are always available.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, TypeVar

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

from capgraph.app import Services
from capgraph.app.keys import WRITE_KEY_NEEDED, WriteKey, key_accepts
from capgraph.app.queries import ModelFacts
from capgraph.app.settings import Settings
from capgraph.errors import CapgraphError, StoreUnavailable
from capgraph.graph import match
from capgraph.graph.class_browser import ClassView
from capgraph.graph.compare import Comparison
from capgraph.graph.paging import DEFAULT_PAGE, MAX_PAGE, next_offset
from capgraph.graph.rank import Rank
from capgraph.graph.resolve import ResolveAnswer
from capgraph.graph.search.alternatives import AlternativesAnswer
from capgraph.graph.search.hybrid import SearchAnswer
from capgraph.graph.search.leaderboard import Leaderboard
from capgraph.graph.usage import MAX_FEEDBACK_MODELS, MAX_QUERY_CHARS, Feedback

T = TypeVar("T")

MAX_K = 50
"""Largest k a tool accepts: an agent gets a ranked shortlist, never the whole graph."""

INSTRUCTIONS = (
    "capgraph answers questions about AI models and tools from a graph built out of comparison pages: "
    "`resolve` answers an intent with the artifact to use, why and its fallbacks in one call, "
    "`search` finds models for a need in words, `alternatives` and `overlap` explain how models relate, "
    "`compare` puts two side by side, `model` lists a model's sourced facts, `rank` gives capgraph's own rank "
    "with its parts. Every fact names its source."
)

READ_ONLY = ToolAnnotations(readOnlyHint=True, openWorldHint=False)

K = Annotated[int, Field(ge=1, le=MAX_K, description=f"how many results (1-{MAX_K})")]
ModelName = Annotated[str, Field(min_length=1, max_length=200, description="a model name, alias or id")]
Offset = Annotated[int, Field(ge=0, description="where the page starts: 0, or the previous answer's `next_offset`")]
Limit = Annotated[int, Field(ge=1, le=MAX_PAGE, description=f"items in one page (1-{MAX_PAGE})")]


class BenchmarkPage(BaseModel):
    """One page of the benchmarks with scores, by name."""

    benchmarks: dict[str, list[str]] = Field(description="normalized name -> the spellings sources use")
    total: int = Field(description="every benchmark with scores")
    next_offset: int | None = Field(description="`offset` of the next page; None on the last page")


class IngestResult(BaseModel):
    """What `ingest_text` stored."""

    source_id: str
    created: bool = Field(description="false when the same text was already stored")
    models: int
    capabilities: int
    claims: int
    scores: int
    warnings: list[str]


class RankAnswer(BaseModel):
    """capgraph's own rank (graph.rank), never a site's claimed rank."""

    ranks: list[Rank]
    total: int


def _answer(call: Callable[[], T]) -> T:
    """Run a query; a domain error becomes a tool error with the same one-line message as the CLI."""
    try:
        return call()
    except StoreUnavailable as exc:
        raise ToolError(f"store unavailable: {exc}") from None
    except CapgraphError as exc:
        raise ToolError(str(exc)) from None


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """The HTTP API's Host allowlist (and write origins) for the MCP HTTP transport too, whatever address it
    binds: the SDK checks Host and Origin only when told to, and by itself only on a loopback bind."""
    if "*" in settings.allowed_hosts:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    names = [f"[{h}]" if ":" in h else h for h in settings.allowed_hosts]
    origins = [f"{scheme}://{n}{port}" for scheme in ("http", "https") for n in names for port in ("", ":*")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[*names, *(f"{n}:*" for n in names)],
        allowed_origins=[*origins, *settings.allowed_origins],
    )


def _require_key(ctx: Context, writes: WriteKey | None) -> None:
    """The HTTP API's key rule for a write tool called over streamable HTTP: the X-API-Key header must hold
    the key (unless the operator opened writes). Over stdio there is no request: the agent runs as the
    operator's own process, which opened the write tools with --allow-writes."""
    request = ctx.request_context.request
    if writes is None or request is None:
        return
    if not key_accepts(writes, request.headers.get("x-api-key")):
        raise ToolError(WRITE_KEY_NEEDED)


def build_server(services: Services, *, allow_writes: bool = False, writes: WriteKey | None = None) -> MCPServer:
    """An MCP server over `services` (opened by the caller, who also closes them). `writes` is the key rule
    that write tools called over HTTP follow (see `_require_key`)."""
    server: MCPServer = MCPServer("capgraph", instructions=INSTRUCTIONS, version="0.1.0", log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    def search(need: Annotated[str, Field(min_length=1, max_length=2000)], k: K = 5) -> SearchAnswer:
        """Models and tools that fit a need in words, best first, with the evidence that matched; constraints
        ("under 10B parameters", "open weights") are checked against sourced claims; empty when nothing fits."""
        return _answer(lambda: services.queries.search(need, k))

    @server.tool(annotations=READ_ONLY)
    def resolve(
        intent: Annotated[str, Field(min_length=1, max_length=2000, description="the need, in words")],
        k: Annotated[int, Field(ge=1, le=20, description="how many artifacts (1-20)")] = 3,
        alternatives: Annotated[int, Field(ge=0, le=10, description="alternatives per artifact (0-10)")] = 3,
    ) -> ResolveAnswer:
        """The artifact to use for an intent, in one call: the best models or tools, each with the capability
        that matched, why in one sentence, the sourced facts bearing on the intent (constraints such as "open
        weights" or "under 10B parameters" checked against claims) and its top alternatives with reasons;
        `nothing_fits` with near misses when nothing does."""
        return _answer(lambda: services.queries.resolve(intent, k, alternatives))

    @server.tool(annotations=READ_ONLY)
    def alternatives(model: ModelName, k: K = 5) -> AlternativesAnswer:
        """Other models that do the same job as `model`, each with a reason in words (comparisons, benchmarks,
        claims, shared capabilities); its own variants are listed apart."""
        return _answer(lambda: services.queries.alternatives(model, k))

    @server.tool(annotations=READ_ONLY)
    def overlap(a: ModelName, b: ModelName) -> match.Overlap:
        """Where two models overlap: capability pairs they share and what each has alone."""
        return _answer(lambda: services.queries.overlap(a, b))

    @server.tool(annotations=READ_ONLY)
    def compare(a: ModelName, b: ModelName) -> Comparison:
        """Two models side by side: the facts that differ (with sources and conflicts), shared benchmarks,
        classes each has alone, sites' own numbers as claims, capgraph's rank of each and a verdict."""
        return _answer(lambda: services.queries.compare(a, b))

    @server.tool(name="capability_class", annotations=READ_ONLY)
    def capability_class(
        name: Annotated[str, Field(min_length=1, max_length=300)], offset: Offset = 0, limit: Limit = DEFAULT_PAGE
    ) -> ClassView:
        """One capability class by name or id: which models have it, each under its own words (one page of
        members; `size` counts them all, `next_offset` pages on)."""
        return _answer(lambda: services.queries.capability_class(name, offset, limit))

    @server.tool(name="model", annotations=READ_ONLY)
    def model_facts(name: ModelName, offset: Offset = 0, limit: Limit = DEFAULT_PAGE) -> ModelFacts:
        """Everything the graph holds on one model: claims and scores, each with its sources, and one page of
        its capabilities (`capabilities_total` counts them all, `next_offset` pages on)."""
        return _answer(lambda: services.queries.model_facts(name, offset, limit))

    @server.tool(annotations=READ_ONLY)
    def leaderboard(
        benchmark: Annotated[str, Field(min_length=1, max_length=200, description="a benchmark, any spelling")],
        k: Annotated[int, Field(ge=1, le=500, description="how many rows (1-500)")] = 20,
    ) -> Leaderboard:
        """Models ranked by their sourced scores on one benchmark, conflicting sources side by side; an unknown
        benchmark is an error naming known ones (`benchmarks` lists them all)."""
        return _answer(lambda: services.queries.leaderboard(benchmark, k))

    @server.tool(annotations=READ_ONLY)
    def benchmarks(offset: Offset = 0, limit: Limit = DEFAULT_PAGE) -> BenchmarkPage:
        """The benchmarks with scores in the graph, by name, with the spellings sources use; one page."""
        found, total = _answer(lambda: services.queries.benchmarks(offset, limit))
        return BenchmarkPage(benchmarks=dict(found), total=total, next_offset=next_offset(offset, limit, total))

    @server.tool(annotations=READ_ONLY)
    def rank(model: Annotated[str | None, Field(min_length=1, max_length=200)] = None, k: K = 10) -> RankAnswer:
        """capgraph's own 0-100 rank from the graph's evidence (not a site's claimed rank): one model's with
        every component, its inputs and sources; or, without `model`, the top `k`."""
        if model is not None:
            return RankAnswer(ranks=[_answer(lambda: services.queries.rank(model))], total=1)
        found, total = _answer(lambda: services.queries.ranks(None, k))
        return RankAnswer(ranks=found, total=total)

    @server.resource(
        "capgraph://models/{name}",
        name="model-profile",
        description="a model's profile: sourced claims, benchmark scores and the first page of its capabilities "
        "(JSON; the `model` tool pages on)",
        mime_type="application/json",
    )
    def model_profile(name: str) -> str:
        return json.dumps(_answer(lambda: services.queries.model_facts(name)).model_dump(mode="json"))

    if allow_writes:

        @server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=True))
        def ingest_text(
            text: Annotated[str, Field(min_length=1, max_length=5_000_000)],
            ctx: Context,
            title: Annotated[str | None, Field(max_length=500)] = None,
            url: Annotated[str | None, Field(max_length=2000)] = None,
        ) -> IngestResult:
            """Add a comparison page, blog post or spec page to the graph (the same text twice is stored once).
            Over HTTP the request needs the X-API-Key header, as the HTTP API's writes do."""
            _require_key(ctx, writes)
            report = _answer(lambda: services.ingest.text(text, title=title, url=url))
            summary = report.result.summary
            return IngestResult(
                source_id=report.result.source_id,
                created=report.result.created,
                models=summary.models,
                capabilities=summary.capabilities,
                claims=summary.claims,
                scores=summary.scores,
                warnings=report.warnings,
            )

        @server.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=False, idempotentHint=False))
        def feedback(
            models: Annotated[list[str], Field(min_length=1, max_length=MAX_FEEDBACK_MODELS)],
            useful: bool,
            ctx: Context,
            query: Annotated[str | None, Field(max_length=MAX_QUERY_CHARS)] = None,
        ) -> Feedback:
            """Say whether an answer (its `models`, for `query`) was useful: nudges their rank within a bound.
            Over HTTP the request needs the X-API-Key header, as the HTTP API's writes do."""
            _require_key(ctx, writes)
            return _answer(lambda: services.feedback.give(models, useful, query))

    return server
