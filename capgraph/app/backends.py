"""The one place that turns a store location into a backend."""

from __future__ import annotations

from capgraph.app.settings import Settings
from capgraph.graph.store import GraphStore


def open_store(settings: Settings, *, location: str | None = None, recover: bool = False) -> GraphStore:
    """The configured store (or the one at `location`, e.g. `sync`'s target, with the same credentials).

    `recover=True` opens an unreadable embedded store as empty, keeping its texts, for `rebuild`.
    """
    target = settings.with_store(location) if location else settings
    if target.backend == "neo4j":
        from capgraph.graph.neo4j_store import Neo4jStore

        password = target.neo4j_password.get_secret_value() if target.neo4j_password else None
        store: GraphStore = Neo4jStore(
            target.store, user=target.neo4j_user, password=password, database=target.neo4j_database
        )
        return store
    from capgraph.graph.networkx_store import NetworkxStore

    return NetworkxStore(target.store, recover=recover)
