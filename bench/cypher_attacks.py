"""Every write, escape and resource attack we could think of against the read-only Cypher path, on a real
Neo4j, through `QueryService.cypher` (what `POST /cypher` and `capgraph cypher` call).

Each attempt is judged:
- write / leak: must be refused (a 4xx: QueryRefused -> 403, or the request model's 422) before it runs;
- resource: refused, stopped (timeout -> 504, memory -> 403) or bounded (at most the row limit returned).
After every attempt Neo4j must answer `RETURN 1`; at the end the data, tokens, schema, users and databases
must be what they were before. Prints one line per attempt and the totals; exits 1 if any check failed.

usage: .venv/bin/python bench/cypher_attacks.py --uri bolt://127.0.0.1:7722 [--password-file .neo4j/password]
(an empty database is first filled with the first --seed pages of ../shared/corpus)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import neo4j
from pydantic import ValidationError

from capgraph.api.errors import status_for
from capgraph.app import Services
from capgraph.app.settings import Settings
from capgraph.errors import CapgraphError
from capgraph.graph.cypher import CypherParams

ROOT = Path(__file__).resolve().parents[1]
V = "$v"  # a 384-dimension query vector, passed as a parameter

WRITES = [
    "CREATE (n:Evil) RETURN n",
    "MERGE (n:Evil {id: 1})",
    "MATCH (m:Model) SET m.name = 'pwned'",
    "MATCH (m:Model) SET m += {name: 'pwned'}",
    "MATCH (c:Capability) DELETE c",
    "MATCH (n) DETACH DELETE n",
    "MATCH (m:Model) REMOVE m.name",
    "MATCH (m:Model) REMOVE m:Model",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'file:///etc/hostname' AS row RETURN row",
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS row CREATE (:Evil {v: row[0]})",
    "CALL db.createLabel('Evil')",
    "CALL `db.createLabel`('Evil')",
    "CALL db.createProperty('evil')",
    "CALL db.createRelationshipType('EVIL')",
    "MATCH (c:Capability) WITH c LIMIT 1 CALL db.create.setNodeVectorProperty(c, 'embedding', [1.0]) RETURN c",
    "CREATE INDEX evil IF NOT EXISTS FOR (n:Model) ON (n.kind)",
    "CREATE VECTOR INDEX evil_vec IF NOT EXISTS FOR (n:Evil) ON n.e OPTIONS {indexConfig: {`vector.dimensions`: 3}}",
    "CREATE CONSTRAINT evil IF NOT EXISTS FOR (n:Evil) REQUIRE n.id IS UNIQUE",
    "DROP INDEX model_name_text",
    "DROP CONSTRAINT model_id",
    "CREATE DATABASE evil",
    "STOP DATABASE neo4j",
    "ALTER DATABASE neo4j SET ACCESS READ ONLY",
    "CREATE OR REPLACE DATABASE neo4j",
    "CREATE USER evil SET PASSWORD 'password123'",
    "ALTER USER neo4j SET PASSWORD 'password123'",
    "GRANT ROLE admin TO evil",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "MATCH (m:Model) CALL (m) { SET m.name = 'pwned' } RETURN m.id",
    "CALL { CREATE (n:Evil) RETURN n } RETURN n",
    "MATCH (m:Model) WITH m LIMIT 1 CREATE (m)-[:EVIL]->(:Evil) RETURN m",
    "FOREACH (x IN [1, 2] | CREATE (:Evil {x: x}))",
    "UNWIND [1] AS x CALL (x) { CREATE (:Evil) } IN TRANSACTIONS RETURN x",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
    "MATCH (n) RETURN count(n); CREATE (:Evil)",
    "/* read */ MATCH (m:Model) // harmless\nSET m.name = 'pwned'",
    "PROFILE CREATE (:Evil)",
    "EXPLAIN CREATE (:Evil)",
    "CYPHER runtime=slotted CREATE (:Evil)",
    "USE system CREATE USER evil2 SET PASSWORD 'password123'",
    "CALL dbms.setConfigValue('db.transaction.timeout', '0')",
    "CALL dbms.security.createUser('evil', 'password123', false)",
]
LEAKS = [
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD currentQuery RETURN currentQuery",
    "SHOW SETTINGS",
    "SHOW SETTINGS YIELD name, value WHERE name STARTS WITH 'dbms' RETURN name, value",
    "SHOW USERS",
    "SHOW ROLES",
    "SHOW PRIVILEGES",
    "SHOW DATABASES",
    "SHOW SERVERS",
    "SHOW ALIASES FOR DATABASE",
    "USE system MATCH (n) RETURN n",
    "CALL db.stats.collect('QUERIES')",
    "CALL db.stats.retrieve('GRAPH COUNTS')",
    "CALL db.stats.status()",
    "CALL db.stats.clear('QUERIES')",
    "CALL `db`.`stats`.`collect`('QUERIES')",
    "MATCH (m:Model) CALL { CALL db.stats.collect('TOKENS') YIELD success RETURN success } RETURN m",
    "CALL db.clearQueryCaches()",
    "CALL db.prepareForReplanning()",
    "CALL db.resampleOutdatedIndexes()",
    "CALL db.info()",
    "CALL dbms.components()",
    "CALL dbms.info()",
    "CALL dbms.listConfig()",
    "CALL dbms.queryJmx('*:*')",
    "CALL dbms.listConnections()",
    "CALL dbms.showCurrentUser()",
    "CALL tx.setMetaData({evil: 1})",
    "CALL db.index.vector.queryNodes('capability_embedding', 100000000, $v) YIELD node RETURN node",
    "CALL db.index.vector.queryNodes('capability_embedding', 0x5F5E100, $v) YIELD node RETURN node",
    "CALL db.index.vector.queryNodes('capability_embedding', $k, $v) YIELD node RETURN node",
    "CALL db.index.vector.queryNodes('capability_embedding', 10 * 10000000, $v) YIELD node RETURN node",
    "MATCH (m:Model) WITH count(m) * 100000000 AS k "
    "CALL db.index.vector.queryNodes('capability_embedding', k, $v) YIELD node RETURN node",
    "CALL db.index.vector.queryNodes('capability_embedding', /* 5, */ 100000000, $v) YIELD node RETURN node",
    "CALL db.index.vector.queryNodes",
]
RESOURCES = [
    ("RETURN range(1, 5000000) AS r", None),
    ("UNWIND range(1, 3000000) AS x RETURN collect(x) AS c", None),
    ("RETURN [x IN range(1, 100000000) | toString(x)] AS xs", None),
    ("RETURN reduce(s = '', x IN range(1, 2000000) | s + 'xxxxxxxxxx') AS s", None),
    ("UNWIND range(1, 2000000000) AS x RETURN x", None),
    ("MATCH (a), (b), (c), (d) RETURN count(*) AS n", None),
    ("MATCH (n) WITH collect(n) AS ns UNWIND ns AS a UNWIND ns AS b UNWIND ns AS c RETURN a, b, c", None),
    ("MATCH p = (a)-[*]-(b) RETURN p", None),
    ("MATCH (a), (b) MATCH p = shortestPath((a)-[*]-(b)) RETURN count(p) AS n", None),
    ("CALL db.index.fulltext.queryNodes('model_name_text', 'g*', {limit: 100000000}) YIELD node RETURN node", None),
    ("CALL db.index.vector.queryNodes('capability_embedding', 1000, $v) YIELD node RETURN node", None),
    ("RETURN [x IN range(1, 1000) | [y IN range(1, 1000000) | toString(y)]] AS xs", None),
    ("RETURN [x IN range(1, 10000 * 10000) | x] AS xs", None),
    ("MATCH (m:Model) WITH count(m) AS n RETURN range(1, n * 100000000) AS xs", None),
    ("RETURN size([x IN range(1, $n) | toString(x)]) AS n", None),
    ("UNWIND $xs AS a UNWIND $xs AS b UNWIND $xs AS c WITH a WHERE a + b + c = -1 RETURN count(a)", 300.0),  # 300 s?
    ("UNWIND $xs AS a UNWIND $xs AS b UNWIND $xs AS c WITH a WHERE a + b + c = -1 RETURN count(a)", 30.0),
]


def snapshot(driver: neo4j.Driver) -> dict[str, Any]:
    """Everything an attack could have changed: data, tokens, schema, users, databases."""
    with driver.session() as session:
        one = session.run(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels, "
            "collect(DISTINCT n.name) AS names"
        ).single(strict=True)
        labels = sorted(r[0] for r in session.run("CALL db.labels()"))
        keys = sorted(r[0] for r in session.run("CALL db.propertyKeys()"))
        indexes = sorted(r[0] for r in session.run("SHOW INDEXES YIELD name RETURN name"))
        constraints = sorted(r[0] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name"))
    with driver.session(database="system") as system:
        users = sorted(r[0] for r in system.run("SHOW USERS YIELD user RETURN user"))
        dbs = sorted((r[0], r[1]) for r in system.run("SHOW DATABASES YIELD name, currentStatus"))
    return {
        "nodes": one["nodes"], "rels": one["rels"], "names": sorted(one["names"]), "labels": labels,
        "keys": keys, "indexes": indexes, "constraints": constraints, "users": users, "dbs": dbs,
    }  # fmt: skip


def up(driver: neo4j.Driver) -> bool:
    try:
        driver.execute_query("RETURN 1")
    except Exception:  # any failure means down
        return False
    return True


def attempt(services: Services, query: str, params: dict[str, Any], timeout_s: float | None) -> tuple[str, int, int]:
    """(outcome, status, rows): refused | stopped | ran."""
    try:
        request = CypherParams(query=query, params=params, timeout_s=timeout_s, row_limit=None)
    except ValidationError:
        return "refused", 422, 0
    try:
        result = services.queries.cypher(request)
    except CapgraphError as exc:
        status = status_for(exc)
        return ("stopped" if status == 504 or "memory" in str(exc) else "refused"), status, 0
    except Exception as exc:  # a bug: reported as a server error
        print(f"    !! {type(exc).__name__}: {str(exc)[:200]}")
        return "server-error", 500, 0
    return "ran", 200, len(result.rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--password-file", type=Path, default=ROOT / ".neo4j" / "password")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--seed", type=int, default=8, help="corpus pages ingested into an empty database")
    args = parser.parse_args()
    settings = Settings(store=args.uri, neo4j_password_file=args.password_file)
    services = Services(settings)
    password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
    driver = neo4j.GraphDatabase.driver(args.uri, auth=("neo4j", password), notifications_min_severity="OFF")
    if not services.store.list_sources():
        services.ingest.paths(sorted(args.corpus.glob("*.txt"))[: args.seed])
    info = services.store.embedding_info()
    params: dict[str, Any] = {
        "v": [0.05] * (info[1] if info else 384),
        "k": 100_000_000,
        "n": 100_000_000,
        "xs": list(range(2000)),
        "indexName": "capability_embedding",
        "numberOfNearestNeighbours": 100_000_000,
        "query": [0.05] * (info[1] if info else 384),
    }
    row_limit = settings.cypher_row_limit
    before = snapshot(driver)
    cases: list[tuple[str, str, float | None]] = [("write", q, None) for q in WRITES]
    cases += [("leak", q, None) for q in LEAKS] + [("resource", q, t) for q, t in RESOURCES]
    failures, down, tally = 0, 0, {"refused": 0, "stopped": 0, "bounded": 0}
    started = time.perf_counter()
    for kind, query, timeout_s in cases:
        t0 = time.perf_counter()
        outcome, status, rows = attempt(services, query, params, timeout_s)
        ok = outcome == "refused" if kind in ("write", "leak") else outcome != "server-error"
        ok = ok and not (outcome == "ran" and rows > row_limit)
        alive = up(driver)
        down += not alive
        label = "bounded" if outcome == "ran" else outcome
        if ok and alive:
            tally[label] = tally.get(label, 0) + 1
        failures += not (ok and alive)
        mark = "ok  " if ok and alive else "FAIL"
        line = " ".join(query.split())[:90]
        print(f"{mark} {kind:8} {label:8} {status} rows={rows:<5} {time.perf_counter() - t0:6.2f}s  {line}")
    after = snapshot(driver)
    changed = sorted(k for k in before if before[k] != after[k])
    print(
        f"\n{len(cases)} attempts in {time.perf_counter() - started:.0f} s: {tally['refused']} refused, "
        f"{tally['stopped']} stopped, {tally['bounded']} bounded; {failures} failed; "
        f"Neo4j down after {down} attempts; data changed: {changed or 'nothing'}"
    )
    driver.close()
    services.close()
    return 1 if failures or down or changed else 0


if __name__ == "__main__":
    sys.exit(main())
