"""The HTTP API: `create_app(settings)` builds the FastAPI app; its lifespan opens the services once.

Start-up opens the store and starts loading the embedding model in the background: /health answers at
once (the model's `loaded` says when searches stop waiting for it). A store that cannot be reached at
start-up does not stop the server: /health answers 503 until it can be opened.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from capgraph.api import docs, errors, openapi
from capgraph.api.deps import AppState
from capgraph.api.guard import RequestGuard, StrictCORS
from capgraph.api.routers import browser, classes, cypher, graph, match, models, resolve, sources
from capgraph.api.routers import rank as rank_routes
from capgraph.app import Services
from capgraph.app.keys import WriteKey, write_key
from capgraph.app.settings import Settings
from capgraph.errors import CapgraphError

log = logging.getLogger("capgraph.api")


def _warm_up(state: AppState) -> None:
    """Load the model (torch and sentence-transformers: seconds) off the start-up path."""
    try:
        state.services.encoder.warm_up()
    except CapgraphError as exc:
        state.model_error = str(exc)
        log.warning("embedding model unavailable: %s", exc)


def _open(state: AppState) -> None:
    """Open the store now and start loading the model in the background, so /health answers at once
    (model.loaded false, status "degraded" until it is in; a search meanwhile waits for it)."""
    services = state.services
    try:
        services.encoder.check_available()
    except CapgraphError as exc:
        state.model_error = str(exc)
        log.warning("embedding model unavailable: %s", exc)
    else:
        threading.Thread(target=_warm_up, args=(state,), name="capgraph-model-load", daemon=True).start()
    try:
        info = services.store.embedding_info()
    except CapgraphError as exc:
        log.warning("store unavailable at start-up (retried on each request): %s", exc)
        return
    if state.model_error is None and info is not None and info[0] != services.encoder.name:
        log.warning(
            "the store's vectors come from %s but the model is %s; run `capgraph reembed`",
            info[0],
            services.encoder.name,
        )


def _announce(writes: WriteKey) -> None:
    """Say once, at the start that created it, what the key is; later starts only say where it is."""
    if writes.key is None:
        log.warning("writes are open to anyone who can reach this server (the operator opened them)")
    elif writes.created:
        print(
            f"capgraph: writes (POST, DELETE) need the header X-API-Key: {writes.key.get_secret_value()}\n"
            f"capgraph: the key is kept in {writes.path} (mode 0600); `capgraph key` prints it again",
            file=sys.stderr,
            flush=True,
        )
    elif writes.path is not None:
        log.info("writes need the API key kept in %s", writes.path)


class BodyLimit:
    """413 for a body over `max_bytes`: at once when Content-Length says so, else as soon as the bytes
    actually received pass the limit (a client can lie about the length or stream it chunked)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            response = errors.too_large_response(f"The request body is over the {self.max_bytes}-byte limit.")
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise errors.BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The app. `services` lets a caller share already-open services (tests, benchmarks); the app then
    leaves closing them to the caller."""
    settings = settings or (services.settings if services is not None else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        writes = write_key(settings)  # fails start-up rather than leave writes unguarded
        _announce(writes)
        state = AppState(settings=settings, services=services or Services(settings), writes=writes)
        await anyio.to_thread.run_sync(_open, state)
        app.state.capgraph = state
        try:
            yield
        finally:
            if services is None:
                state.services.close()

    app = FastAPI(
        title="capgraph",
        version="0.1.0",
        summary="A capability knowledge graph of AI models, and the match queries over it.",
        description="Ingest comparison texts with `POST /sources`; ask which models are alternatives, where "
        "two overlap, and which fit a need in words. Every answer carries its evidence.",
        lifespan=lifespan,
        responses=errors.APP_RESPONSES,
        # operation ids are the route names (`search`, `alternatives`), so generated clients read well
        generate_unique_id_function=openapi.operation_id,
        docs_url=None,  # /docs is served from local assets by `docs.install` (works offline)
        redoc_url=None,
    )
    # The Neo4j Browser (at `settings.browser_origins`) fetches the style and the guide from here (`:style`,
    # `:play`) with pragma/cache-control headers, so the preflight must allow them;
    # GET only, so no preflight ever opens a write.
    app.add_middleware(StrictCORS, allow_origins=settings.browser_origins, allow_methods=["GET"], allow_headers=["*"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # outermost: a foreign Host or a cross-origin write is refused before anything else runs
    app.add_middleware(RequestGuard, allowed_hosts=settings.allowed_hosts, allowed_origins=settings.allowed_origins)
    errors.install(app)
    openapi.install(app)
    docs.install(app)
    app.include_router(rank_routes.router)  # first: its /models/{id}/rank precedes /models/{model:path}
    for router in (sources.router, models.router, match.router, graph.router, cypher.router, browser.router):
        app.include_router(router)
    app.include_router(classes.router)
    app.include_router(resolve.router)
    return app
