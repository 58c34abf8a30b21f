"""The `capgraph` command. Readable tables by default, JSON with --json; errors as one clear line."""

from __future__ import annotations

import json
import logging
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import typer
from pydantic import BaseModel, ValidationError

from capgraph.api import cli_lists, cli_rank, progress, remote, render
from capgraph.app import Services
from capgraph.app.keys import load_or_create, write_key
from capgraph.app.settings import Settings
from capgraph.errors import CapgraphError, StoreUnavailable

M = TypeVar("M", bound=BaseModel)

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="capgraph: a capability knowledge graph of AI models.",
)
out, err = render.out, render.err


def _print_version(wanted: bool) -> None:
    if wanted:
        try:
            out.print(f"capgraph {version('capgraph')}")
        except PackageNotFoundError:  # running from a checkout that was never installed
            out.print("capgraph (not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """capgraph: a capability knowledge graph of AI models."""


JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
ModelArg = Annotated[str, typer.Argument(help="a model id, name or alias")]
Store = Annotated[
    str | None, typer.Option("--store", help="store folder or neo4j:// URL (default: $CAPGRAPH_STORE or ./data)")
]


def _settings(store: str | None = None) -> Settings:
    """The environment's settings with --store applied; a bad value is a usage error, not a traceback."""
    try:
        return Settings().with_store(store)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors())
        raise CapgraphError(f"invalid configuration: {problems}") from None


def _services(store: str | None, *, recover: bool = False) -> Services:
    return Services(_settings(store), recover=recover)


def _from_server(
    store: str | None, kind: type[M], method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
) -> M | None:
    """A running `capgraph serve`'s answer for a read (see api/remote.py), noted on stderr; None: answer here."""
    settings = _settings(store)
    base = remote.server_for(settings)
    data = remote.ask(base, method, path, params, body) if base else None
    if data is None:
        return None
    err.print(f"[dim]answered by the capgraph server at {base} (CAPGRAPH_USE_SERVER=false to answer here)[/]")
    return kind.model_validate(data)


def _emit_json(value: Any) -> None:
    if isinstance(value, BaseModel):
        out.print_json(value.model_dump_json())
    else:
        out.print_json(json.dumps(value, default=str))


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="a text file to parse (nothing is stored)")],
    as_json: JsonFlag = False,
) -> None:
    """Parse one text and print its extraction."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CapgraphError(f"Cannot read {file}: {exc.strerror or exc}") from exc
    ex = Services(_settings()).ingest.parse(data)
    if as_json:
        _emit_json(ex)
        return
    render.extraction(ex)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders of texts")],
    store: Store = None,
    as_json: JsonFlag = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="list every warning, not only counts")] = False,
) -> None:
    """Ingest texts into the store (re-ingesting a known text changes nothing)."""
    from capgraph.app.ingest import expand_paths

    services = _services(store)
    files = list(expand_paths(paths))
    if not files:
        raise CapgraphError("No text files found in the given paths.")
    if sys.stderr.isatty() and not as_json:
        with progress.ingest_progress(err, services.encoder) as bar:
            task = bar.add_task("ingest", total=len(files))
            report = services.ingest.paths(files, progress=progress.Advance(bar, task))
    else:
        report = services.ingest.paths(files)
    services.close()
    if as_json:
        _emit_json(report)
    else:
        progress.print_warnings(err, report.warnings, verbose)
        for path, reason in report.failed.items():
            err.print(f"[red]failed:[/] {path}: {reason}")
        out.print(
            f"sources: {report.new} new, {report.unchanged} unchanged, {len(report.failed)} failed; "
            f"store now holds {report.models} models and {report.capabilities} capabilities "
            f"({report.encoded} capability texts encoded)"
        )
    if report.failed:  # a partly failed run is not a success: scripts must see it (each file is listed above)
        if not as_json:
            err.print(f"[red]{len(report.failed)} of {len(files)} files failed[/]")
        raise typer.Exit(1)


@app.command()
def alternatives(
    model: ModelArg,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="how many alternatives")] = 10,
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Models that can replace MODEL, ranked, with why (own variants listed apart)."""
    from capgraph.graph.search.alternatives import AlternativesAnswer  # each answer type where used: cold start

    result = _from_server(
        store, AlternativesAnswer, "GET", f"/models/{quote(model, safe='')}/alternatives", {"k": k}
    ) or _services(store).queries.alternatives(model, k)
    if as_json:
        _emit_json(result)
        return
    render.alternatives(result)


@app.command()
def overlap(a: ModelArg, b: ModelArg, store: Store = None, as_json: JsonFlag = False) -> None:
    """Which capabilities A and B share, and which are unique to each."""
    from capgraph.graph import match

    result = _from_server(store, match.Overlap, "GET", "/overlap", {"a": a, "b": b}) or _services(
        store
    ).queries.overlap(a, b)
    if as_json:
        _emit_json(result)
        return
    render.overlap(result)


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="the need, in words (constraints included)")],
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="how many models")] = 10,
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Models that fit a need in words; constraints like "under 10B parameters" are checked against claims."""
    from capgraph.graph.search.hybrid import SearchAnswer

    result = _from_server(store, SearchAnswer, "GET", "/search", {"q": text, "k": k}) or _services(
        store
    ).queries.search(text, k)
    if as_json:
        _emit_json(result)
        return
    render.search(result)


@app.command()
def resolve(
    intent: Annotated[str, typer.Argument(help="what you need, in words (constraints included)")],
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="how many artifacts")] = 3,
    alternatives: Annotated[int, typer.Option("--alternatives", "-a", min=0, max=10, help="per artifact")] = 3,
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """The artifact to use for INTENT: why it fits, its sourced facts, and its alternatives."""
    from capgraph.graph.resolve import ResolveAnswer

    body = {"intent": intent, "k": k, "alternatives": alternatives}
    result = _from_server(store, ResolveAnswer, "POST", "/resolve", body=body) or _services(store).queries.resolve(
        intent, k, alternatives
    )
    if as_json:
        _emit_json(result)
        return
    render.resolution(result)


@app.command()
def leaderboard(
    benchmark: Annotated[str, typer.Argument(help="a benchmark name, as sources write it (SWE-bench, MMLU)")],
    k: Annotated[int, typer.Option("-k", min=1, max=500, help="how many rows")] = 50,
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Models ranked by their sourced scores on BENCHMARK; conflicting sources side by side."""
    from capgraph.graph.search.leaderboard import Leaderboard

    board = _from_server(store, Leaderboard, "GET", f"/benchmarks/{quote(benchmark, safe='')}", {"k": k}) or _services(
        store
    ).queries.leaderboard(benchmark, k)
    if as_json:
        _emit_json(board)
        return
    render.leaderboard(board)


@app.command()
def compare(a: ModelArg, b: ModelArg, store: Store = None, as_json: JsonFlag = False) -> None:
    """A and B side by side: the facts that differ with sources, shared benchmarks, classes, a verdict."""
    from capgraph.graph.compare import Comparison

    result = _from_server(store, Comparison, "GET", "/compare", {"a": a, "b": b}) or _services(store).queries.compare(
        a, b
    )
    if as_json:
        _emit_json(result)
        return
    render.comparison(result)


@app.command()
def remove(
    source_id: Annotated[str, typer.Argument(help="the source id, or a unique prefix of it")],
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Remove a source and exactly what only it supported."""
    result = _services(store).ingest.remove(source_id, prefix=True)
    if as_json:
        _emit_json(result)
        return
    out.print(
        f"removed source {result.source_id[:12]}: {len(result.removed_models)} models and "
        f"{len(result.removed_capabilities)} capabilities that only it supported"
    )


@app.command()
def stats(store: Store = None, as_json: JsonFlag = False) -> None:
    """Counts of nodes and relationships."""
    result = _services(store).queries.stats()
    if as_json:
        _emit_json(result)
        return
    render.table(
        "store",
        ["what", "count"],
        [
            ["sources", result.sources],
            ["models", result.models],
            ["capabilities", result.capabilities],
            ["benchmarks", result.benchmarks],
        ]
        + [[k, v] for k, v in result.relationships.items()],
    )


@app.command()
def rebuild(store: Store = None, as_json: JsonFlag = False) -> None:
    """Recreate the graph from the stored raw texts (after a crash, a corrupt snapshot or a parser upgrade)."""
    report = _services(store, recover=True).ingest.rebuild()
    if as_json:
        _emit_json(report)
    else:
        out.print(
            f"rebuilt from {report.new} stored texts: {report.models} models, {report.capabilities} "
            f"capabilities ({report.encoded} texts encoded, {len(report.failed)} failed)"
        )


@app.command()
def reembed(store: Store = None) -> None:
    """Re-encode every capability with the configured model (after changing CAPGRAPH_MODEL)."""
    n = _services(store).ingest.reembed()
    out.print(f"re-encoded {n} capabilities")


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="graphml or json")] = "graphml",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="file to write (default: stdout)")] = None,
    store: Store = None,
) -> None:
    """Export the graph as GraphML (Gephi, Cytoscape) or node-link JSON."""
    if fmt not in ("graphml", "json"):
        raise CapgraphError("--format must be graphml or json")
    text = _services(store).queries.export(fmt)  # type: ignore[arg-type]
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")
    else:
        sys.stdout.write(text + "\n")


@app.command()
def sync(
    target: Annotated[str, typer.Argument(help="the Neo4j store to fill: neo4j://host:port or bolt://host:port")],
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Copy the store (default: the embedded one) into Neo4j: texts, extractions, vectors and similarity links."""
    if "://" not in target:
        raise CapgraphError(f"{target!r} is not a Neo4j URL (neo4j://host:7687 or bolt://host:7687).")
    services = _services(store)
    try:
        report = services.ingest.sync_to(_settings(target))
    finally:
        services.close()
    if as_json:
        _emit_json(report)
        return
    render.sync_report(report)


def _param(text: str) -> tuple[str, Any]:
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise CapgraphError(f"--param {text!r}: use name=value (value as JSON, or a plain string).")
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


@app.command()
def cypher(
    query: Annotated[str, typer.Argument(help="one read-only Cypher statement")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value (JSON or string)")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="row limit (default: settings)")] = None,
    timeout: Annotated[float | None, typer.Option(min=0.1, help="seconds (default: settings)")] = None,
    store: Store = None,
    as_json: JsonFlag = False,
) -> None:
    """Run a read-only Cypher query on the Neo4j store (writes are refused before anything runs)."""
    from capgraph.graph.cypher import CypherParams

    services = _services(store)
    try:
        result = services.queries.cypher(
            CypherParams(query=query, params=dict(_param(p) for p in param or []), timeout_s=timeout, row_limit=limit)
        )
    finally:
        services.close()
    if as_json:
        _emit_json(result)
        return
    render.table(
        f"{len(result.rows)} rows ({result.elapsed_ms:.0f} ms)",
        result.columns,
        [[json.dumps(v, default=str) if isinstance(v, dict | list) else v for v in row] for row in result.rows],
    )
    if result.truncated:
        err.print(f"[yellow]truncated:[/] more rows than the limit of {len(result.rows)}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    open_writes: Annotated[
        bool, typer.Option("--open-writes", help="writes need no key (as CAPGRAPH_OPEN_WRITES=true)")
    ] = False,
    store: Store = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs). Writes need the API key (`capgraph key`) unless opened."""
    import uvicorn

    from capgraph.api.app import create_app

    settings = _settings(store)
    if open_writes:
        settings = settings.model_copy(update={"open_writes": True})
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)


@app.command()
def key(
    path: Annotated[bool, typer.Option("--path", help="print where the key is kept instead")] = False,
    store: Store = None,
) -> None:
    """Print the API key that writes to `capgraph serve` need (generated now if the server has not yet)."""
    settings = _settings(store)
    if path:
        sys.stdout.write(f"{settings.key_file}\n")
        return
    configured = settings.api_key.get_secret_value() if settings.api_key is not None else ""
    secret = configured or load_or_create(settings.key_file)[0]
    sys.stdout.write(secret + "\n")  # plain, for $(capgraph key)


@app.command()
def mcp(
    transport: Annotated[
        str, typer.Option(help="stdio (for desktop agents) or http (streamable HTTP at /mcp)")
    ] = "stdio",
    host: Annotated[str, typer.Option(help="bind address for http")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port for http")] = 8001,
    allow_writes: Annotated[
        bool, typer.Option(help="offer the ingest_text and feedback tools (the operator's opt-in; closed by default)")
    ] = False,
    store: Store = None,
) -> None:
    """Serve the match queries to AI agents over MCP (resolve, search, alternatives, compare, model, ...)."""
    from capgraph.mcp.server import build_server, transport_security

    if transport not in {"stdio", "http"}:
        raise typer.BadParameter("--transport must be stdio or http")
    services = _services(store)
    try:
        # Over HTTP the write tools follow the HTTP API's key rule; over stdio the agent is the operator's own.
        writes = write_key(services.settings) if allow_writes and transport == "http" else None
        if writes is not None and writes.key is not None:
            err.print("capgraph: write tools need the header X-API-Key (`capgraph key` prints it)")
        server = build_server(services, allow_writes=allow_writes, writes=writes)
        if transport == "stdio":
            server.run("stdio")
        else:
            security = transport_security(services.settings)
            server.run("streamable-http", host=host, port=port, transport_security=security)
    finally:
        services.close()


cli_rank.register(app, _services, _emit_json)
cli_lists.register(app, _services, _emit_json)


def _debug() -> bool:
    try:
        return Settings().debug
    except ValidationError:
        return False


def _fail(exc: CapgraphError, code: int, label: str) -> None:
    """One line on stderr, or with --json the API's error shape on stdout (scripts parse one format)."""
    if "--json" in sys.argv[1:]:
        from capgraph.api.schemas import error_out

        out.print_json(error_out(exc).model_dump_json(exclude_none=True))
    else:
        err.print(f"[red]{label}:[/] {exc}")
    sys.exit(code)


def main() -> None:
    """Entry point: domain errors become one line on stderr and exit 1; nothing prints a traceback."""
    # The driver logs connection failures itself; the store turns them into one clear StoreUnavailable line.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    try:
        code = app(standalone_mode=False, prog_name="capgraph")
        if isinstance(code, int) and code:
            sys.exit(code)
    except StoreUnavailable as exc:
        _fail(exc, 3, "store unavailable")
    except CapgraphError as exc:
        _fail(exc, 1, "error")
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        # usage errors (missing argument, bad option) are click exceptions; typer vendors its own click,
        # so they are recognised by what they can do rather than by class
        show, exit_code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(exit_code, int):
            show()
            sys.exit(exit_code)
        if _debug():
            raise
        err.print(f"[red]internal error:[/] {type(exc).__name__}: {exc} (set CAPGRAPH_DEBUG=1 for details)")
        sys.exit(70)
