"""A real uvicorn server on a free loopback port, for clients that need one (a browser, a generated client)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn

from capgraph.api.app import create_app
from capgraph.app import Services
from capgraph.app.settings import Settings


@contextlib.contextmanager
def serving(services: Services, settings: Settings | None = None) -> Iterator[str]:
    """The app over `services` (and `settings`, when given) in a thread until the block ends; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(settings, services=services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
