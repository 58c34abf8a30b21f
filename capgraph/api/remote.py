"""The CLI's fast path: when a `capgraph serve` of the same store is up, read commands ask it over HTTP
instead of loading torch, the model and the store in a cold process (9-12 s for a search).

The server is looked for at the configured host and port (CAPGRAPH_HOST, CAPGRAPH_PORT) with a short
/health probe; it is used only when it reports the same store (its fingerprint) with the model loaded.
Any failure, an error answer included, falls back to answering locally, so output and exit codes are the
same either way; only the note on stderr says which answered. CAPGRAPH_USE_SERVER=false turns it off.
"""

from __future__ import annotations

import socket
from typing import Any

from capgraph.app.settings import Settings

PROBE_TIMEOUT_S = 2.0  # a server on this machine answers /health in milliseconds; a loaded one in a second
QUERY_TIMEOUT_S = 120.0
ANY_ADDRESS = {"0.0.0.0", "::", ""}


def server_for(settings: Settings) -> str | None:
    """The base URL of a running server of `settings.store` with its model loaded, else None."""
    if not settings.use_server:
        return None
    host = "127.0.0.1" if settings.host in ANY_ADDRESS else settings.host
    base = f"http://{f'[{host}]' if ':' in host else host}:{settings.port}"
    if not _listening(host, settings.port):
        return None
    import httpx  # ~0.15 s to import: only when something listens there (cold start of read commands)

    try:
        health = httpx.get(f"{base}/health", timeout=PROBE_TIMEOUT_S)
        body = health.json()
    except (httpx.HTTPError, ValueError):
        return None
    if health.status_code != 200 or not isinstance(body, dict):
        return None
    same_store = body.get("store", {}).get("fingerprint") == settings.store_fingerprint
    return base if same_store and body.get("model", {}).get("loaded") is True else None


def _listening(host: str, port: int) -> bool:
    """Whether anything accepts a TCP connection there: with no server up (the usual case) this answers in
    microseconds, so the CLI never imports an HTTP client for nothing."""
    try:
        with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def ask(base: str, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
    """The server's JSON answer, or None when it did not answer 200 (the caller then answers locally)."""
    import httpx

    try:
        response = httpx.request(method, f"{base}{path}", params=params, json=body, timeout=QUERY_TIMEOUT_S)
        return response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
