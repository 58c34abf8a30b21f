"""Request checks that run before any route: the Host allowlist, same-origin writes, and CORS refusals in
the one error shape.

Why: a web page can make a browser send a cross-origin `text/plain` POST without a preflight, and a name
the attacker controls can be rebound to 127.0.0.1 (DNS rebinding), so the browser believes the API is
same-origin. The first shows as a foreign `Origin` on a write; the second as a foreign `Host`.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from capgraph.api.errors import error_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that change nothing here; a CORS preflight (OPTIONS) is answered by `StrictCORS`."""

SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})
"""`Sec-Fetch-Site` values of a request the page's own origin (or the user, typing a URL) made."""


def host_name(host: str) -> str:
    """The name part of a Host header value, lower case: `[::1]:8000` -> `::1`, `Local:80` -> `local`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class RequestGuard:
    """400 for a Host outside `allowed_hosts` ('*' allows any); 403 for a write from another origin.

    A write may come from the API's own origin, from an origin in `allowed_origins`, or from a client that
    sends no `Origin` (curl, the CLI, scripts); a browser always sends `Origin` on a cross-origin POST.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.hosts = {h.strip("[]") for h in allowed_hosts}
        self.origins = set(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if "*" not in self.hosts and host_name(host) not in self.hosts:
            refusal = error_response(400, "HostNotAllowed", "The Host header names a host this server does not serve.")
            await refusal(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not self._same_origin(headers, scope):
            refusal = error_response(403, "OriginNotAllowed", "Writes are not accepted from another origin.")
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _same_origin(self, headers: Headers, scope: Scope) -> bool:
        origin = headers.get("origin")
        if origin is None:
            return headers.get("sec-fetch-site", "none").lower() in SAME_ORIGIN_FETCH
        origin = origin.strip().lower().rstrip("/")
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '').strip().lower()}"
        return origin == own or origin in self.origins


class StrictCORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the API's error shape."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        refusal = error_response(response.status_code, "CorsRefused", bytes(response.body).decode())
        refusal.headers.update({k: v for k, v in response.headers.items() if k.startswith("access-control")})
        return refusal
