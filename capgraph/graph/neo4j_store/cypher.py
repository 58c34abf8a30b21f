"""Read-only Cypher against the Neo4j store: what `capgraph cypher` and `POST /cypher` run.

Defence in depth, in this order:
1. `EXPLAIN` the query (nothing runs) and refuse unless the planner calls it read-only
   (`query_type == 'r'`; 'w', 'rw' and 's' mean writes, schema or DBMS/admin work). This catches
   CREATE/MERGE/SET/DELETE/REMOVE, writes inside CALL { } or after WITH, write and DBMS procedures,
   index and constraint commands, without a keyword list that a comment or a backtick could dodge.
   Two operators the planner counts as reads are refused too: LOAD CSV (reads server-side files and
   URLs) and TERMINATE TRANSACTIONS. Administration commands fail to plan on a user database and are
   refused with the server's reason. Procedures and SHOW commands are then checked against an
   allowlist, and vector searches must ask for at most `MAX_K` neighbours (`cypher_policy`).
2. Run it in a READ transaction (`execute_read`, READ access mode): the server rejects any write
   that got past step 1.
3. A server-side transaction timeout (at most `MAX_TIMEOUT_S`, whatever the caller asks) and a row limit
   (rows past it are never pulled); the server's per-transaction memory limit stops the rest.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from typing import Any, Final

import neo4j
from neo4j import ManagedTransaction
from neo4j.exceptions import ClientError, CypherSyntaxError, DriverError, Neo4jError

from capgraph.errors import QueryRefused, QueryTimedOut
from capgraph.graph.cypher import MAX_TIMEOUT_S, CypherResult
from capgraph.graph.neo4j_store.connection import Neo4jConnection
from capgraph.graph.neo4j_store.cypher_policy import check_plan, operators
from capgraph.graph.neo4j_store.queries import HIDDEN_PROPS

REFUSED_OPERATORS: Final = ("LoadCSV", "TerminateTransactions", "AdministrationCommand")
TIMEOUT_CODES: Final = (
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
)


def to_json(value: Any) -> Any:
    """Driver values -> JSON-ready values (see `CypherResult`)."""
    if isinstance(value, neo4j.graph.Node):
        props = {k: to_json(v) for k, v in value.items() if k not in HIDDEN_PROPS}
        return {"_id": value.element_id, "_labels": sorted(value.labels), **props}
    if isinstance(value, neo4j.graph.Relationship):
        props = {k: to_json(v) for k, v in value.items() if k not in HIDDEN_PROPS}
        start = value.start_node.element_id if value.start_node else None
        end = value.end_node.element_id if value.end_node else None
        return {"_id": value.element_id, "_type": value.type, "_start": start, "_end": end, **props}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [to_json(n) for n in value.nodes], "relationships": [to_json(r) for r in value.relationships]}
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return str(value)


def check_read_only(store: Neo4jConnection, query: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise QueryRefused unless the planner says `query` only reads (see the module docstring)."""

    def explain(tx: ManagedTransaction) -> neo4j.ResultSummary:
        return tx.run("EXPLAIN " + query, dict(params or {})).consume()

    try:
        with store.session(neo4j.READ_ACCESS) as session:
            summary = session.execute_read(explain)
    except CypherSyntaxError as exc:
        raise QueryRefused(f"Not a valid Cypher statement: {exc.message}") from exc
    except ClientError as exc:
        raise QueryRefused(f"Refused by the server: {exc.message}") from exc
    if summary.query_type != "r":
        kind = {"w": "writes", "rw": "writes", "s": "changes the schema or runs administration"}.get(
            str(summary.query_type), f"is of type {summary.query_type!r}"
        )
        raise QueryRefused(f"Only read-only Cypher is allowed; this query {kind}.")
    refused = sorted({op for op, _ in operators(summary.plan) if op in REFUSED_OPERATORS})
    if refused:
        raise QueryRefused(f"Only graph reads are allowed; this query uses {', '.join(refused)}.")
    check_plan(summary.plan, query, params or {})


def _pull(result: neo4j.Result, row_limit: int) -> tuple[list[str], list[list[Any]], bool]:
    """At most `row_limit` rows; one more is looked at to tell whether there were more (the rest never leave
    the server)."""
    rows: list[list[Any]] = []
    for record in result:
        if len(rows) == row_limit:
            return list(result.keys()), rows, True
        rows.append([to_json(v) for v in record.values()])
    return list(result.keys()), rows, False


def run_read_only(
    store: Neo4jConnection,
    query: str,
    params: Mapping[str, Any] | None = None,
    timeout_s: float = 10.0,
    row_limit: int = 1000,
) -> CypherResult:
    """Run one read-only Cypher statement: at most `row_limit` rows, stopped after `timeout_s` seconds
    (capped at `MAX_TIMEOUT_S`).

    Raises QueryRefused (writes, admin, LOAD CSV, procedures or SHOW commands outside the allowlist,
    k too large, invalid Cypher: nothing is run; or the query ran out of its memory), QueryTimedOut,
    or StoreUnavailable.
    """
    query = query.strip().rstrip(";").strip()
    timeout_s = min(timeout_s, MAX_TIMEOUT_S)
    if not query:
        raise QueryRefused("The query is empty.")
    with store.guard():
        check_read_only(store, query, params)

        started = time.perf_counter()
        try:
            # An explicit transaction, not `execute_read`: the driver would retry a query that ran out of
            # memory (a transient error) for seconds. The READ session still makes the server refuse writes.
            with store.session(neo4j.READ_ACCESS) as session:
                tx = session.begin_transaction(timeout=timeout_s)
                try:
                    columns, rows, truncated = _pull(tx.run(query, dict(params or {})), row_limit)
                finally:
                    with contextlib.suppress(Neo4jError, DriverError):
                        tx.close()  # rolls back: a read has nothing to commit
        except Neo4jError as exc:
            if exc.code in TIMEOUT_CODES:
                raise QueryTimedOut(f"The query ran longer than its {timeout_s:g} s limit and was stopped.") from exc
            if exc.code and "OutOfMemory" in exc.code:
                raise QueryRefused(
                    "The query needs more memory than one query may hold and was stopped; narrow it or add a LIMIT."
                ) from exc
            if exc.code and exc.code.startswith("Neo.ClientError.Statement.AccessMode"):
                raise QueryRefused(f"Only read-only Cypher is allowed: {exc.message}") from exc
            if isinstance(exc, ClientError) or (exc.code or "").startswith("Neo.DatabaseError.Statement."):
                raise QueryRefused(f"The server rejected the query: {exc.message}") from exc
            raise
    return CypherResult(
        columns=columns, rows=rows, truncated=truncated, elapsed_ms=round((time.perf_counter() - started) * 1000, 1)
    )
