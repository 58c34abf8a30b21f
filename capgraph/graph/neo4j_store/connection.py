"""The Bolt connection and the schema/index lifecycle of the Neo4j store."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any, LiteralString, cast

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, ClientError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from pydantic import BaseModel, ConfigDict, Field

from capgraph.errors import StoreUnavailable
from capgraph.graph.neo4j_store.queries import (
    AWAIT_INDEXES,
    CREATE_VECTOR_INDEX,
    DROP_INDEX,
    READ_META,
    SCHEMA,
    VECTOR_INDEX,
    VECTOR_INDEX_INFO,
    Row,
    T,
)


class Neo4jOptions(BaseModel):
    """Connection options `open_store` passes through (from the CAPGRAPH_NEO4J_* settings)."""

    model_config = ConfigDict(extra="forbid")

    user: str | None = "neo4j"
    password: str | None = None
    database: str | None = None
    connection_timeout: float = Field(5.0, gt=0, description="seconds to open a connection")
    max_retry_time: float = Field(5.0, ge=0, description="seconds a transaction is retried on transient errors")


class Neo4jConnection:
    """The driver, sessions, error translation and the schema and index lifecycle: what reads and writes share."""

    def __init__(self, uri: str, **options: object):
        """`options` as `Neo4jOptions` (user, password, database, timeouts); no password = auth disabled.

        Nothing connects here: the first call does, and a call after the server comes back reconnects.
        """
        opts = Neo4jOptions.model_validate(options)
        self.uri = uri
        self.database = opts.database
        auth = (opts.user or "neo4j", opts.password) if opts.password else None
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=opts.connection_timeout,
                max_transaction_retry_time=opts.max_retry_time,
                connection_acquisition_timeout=opts.connection_timeout * 2,
            )
        except (ValueError, DriverError) as exc:
            raise StoreUnavailable(f"Cannot use {uri} as a Neo4j store: {exc}") from exc
        self._schema_ready = False
        self._exclusive = threading.RLock()
        self._exclusive_depth = 0  # nesting of `exclusive()` in the thread holding `_exclusive`
        self._local = threading.local()  # the read transaction of this thread's `reading()` block, if any

    # ------------------------------------------------------------------------------ plumbing
    @property
    def driver(self) -> neo4j.Driver:
        return self._driver

    def session(self, access_mode: str = neo4j.WRITE_ACCESS) -> neo4j.Session:
        return self._driver.session(database=self.database, default_access_mode=access_mode)

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Driver connection failures become StoreUnavailable; the next call reconnects."""
        try:
            yield
        except AuthError as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc.message}") from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j at {self.uri} is not reachable ({exc}); is the server running?") from exc
        except ClientError as exc:
            if exc.code and exc.code.startswith("Neo.ClientError.Database.DatabaseNotFound"):
                raise StoreUnavailable(f"Neo4j at {self.uri} has no database {self.database!r}.") from exc
            raise

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self.session() as session:
            for statement in SCHEMA:
                session.run(statement).consume()
        self._schema_ready = True

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        open_tx: ManagedTransaction | None = getattr(self._local, "tx", None)
        if open_tx is not None:
            with self.guard():
                return work(open_tx)
        with self.guard():
            self._ensure_schema()
            with self.session(neo4j.READ_ACCESS) as session:
                return session.execute_read(work)

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One read transaction for the whole block (nested blocks join it), so every read in it sees the
        same committed state; without a block each read is its own transaction."""
        if getattr(self._local, "tx", None) is not None:
            yield
            return
        with self.guard():
            self._ensure_schema()
            with self.session(neo4j.READ_ACCESS) as session, session.begin_transaction() as tx:
                # An explicit transaction runs queries like a managed one; the block's reads share it.
                self._local.tx = cast(ManagedTransaction, tx)
                try:
                    yield
                finally:
                    self._local.tx = None

    def _write(self, work: Callable[[ManagedTransaction], T]) -> T:
        with self.guard():
            self._ensure_schema()
            with self.session() as session:
                return session.execute_write(work)

    def _rows(self, query: LiteralString, **params: Any) -> list[Row]:
        def work(tx: ManagedTransaction) -> list[Row]:
            return [r.data() for r in tx.run(query, params)]

        return self._read(work)

    def _run_auto(self, query: LiteralString, **params: Any) -> list[Row]:
        """A statement in its own auto-commit transaction (schema changes, CALL ... IN TRANSACTIONS)."""
        with self.guard(), self.session() as session:
            return [r.data() for r in session.run(query, params)]

    def await_indexes(self, seconds: int = 300) -> None:
        """Block until every index is online (after creating one; tests call it after writes)."""
        self._run_auto(AWAIT_INDEXES, seconds=seconds)

    def _vector_index(self) -> tuple[str, int] | None:
        rows = self._run_auto(VECTOR_INDEX_INFO)
        if not rows:
            return None
        return str(rows[0]["name"]), int(rows[0]["config"]["vector.dimensions"])

    def _drop_vector_indexes(self) -> None:
        for row in self._run_auto(VECTOR_INDEX_INFO):
            self._run_auto(DROP_INDEX, name=row["name"])

    def _ensure_vector_index(self, dim: int) -> int | None:
        """(Re)create the vector index for `dim`; returns the previous dimension (None if there was none).

        A schema change cannot share a transaction with data writes, so this runs just before the write.
        """
        with self.guard():
            self._ensure_schema()
        current = self._vector_index()
        if current != (VECTOR_INDEX, dim):
            self._drop_vector_indexes()
            self._run_auto(CREATE_VECTOR_INDEX, dim=dim)
            self.await_indexes()
        return current[1] if current else None

    def _restore_vector_index(self, previous: int | None, dim: int) -> None:
        if previous == dim:
            return
        with contextlib.suppress(StoreUnavailable, Neo4jError):
            self._drop_vector_indexes()
            if previous is not None:
                self._run_auto(CREATE_VECTOR_INDEX, dim=previous)

    def _meta(self) -> Row:
        rows = self._rows(READ_META)
        return dict(rows[0]["meta"]) if rows else {}
