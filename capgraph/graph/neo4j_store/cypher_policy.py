"""What a read-only Cypher query may call, judged on the planner's EXPLAIN plan (see `neo4j_store.cypher`).

Allowlists, not denylists: a procedure or SHOW command that is not named here is refused, so a new
server version or plugin cannot add a way in. The planner calls `SHOW TRANSACTIONS` (other sessions'
queries), `SHOW SETTINGS` and `CALL db.stats.collect` (changes server state) reads; they are refused here.

Vector search allocates a queue of `k` entries before it looks at a single node, so a large `k` takes the
JVM down whatever the memory limits say. `k` must therefore be a known integer <= MAX_K: a parameter (its
value is checked) or an integer literal. The planner turns literals into `$autoint_N` parameters, so a
literal's value is read from the query text with a small tokenizer that skips strings and comments; when
the literals found there do not account for every call in the plan, the query is refused (fail closed).
For the same reason `range()` needs integer literal or parameter bounds, and the product of the lengths of
all its calls in a query is at most MAX_RANGE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

from capgraph.errors import QueryRefused

MAX_K: Final = 1000  # nearest neighbours one vector search may ask for (the default row limit)
# Elements all `range()` calls of one query may produce together (product of their lengths): expression
# values are not counted by the server's transaction memory limit, and a list of 1e8 strings ends the JVM.
MAX_RANGE: Final = 1_000_000

ALLOWED_PROCEDURES: Final = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.fulltext.listAvailableAnalyzers",
        "db.index.vector.queryNodes",
        "db.index.vector.queryRelationships",
        "db.ping",
    }
)
BOUNDED_K: Final = frozenset({"db.index.vector.queryNodes", "db.index.vector.queryRelationships"})
ALLOWED_SHOW: Final = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})

_TOKEN = re.compile(
    r"""(?P<skip>\s+|//[^\n]*|/\*.*?\*/)
      |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<name>`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*)
      |(?P<param>\$(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)*`))
      |(?P<num>0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)
      |(?P<sym>.)""",
    re.X | re.S,
)
_PARAM = re.compile(r"^\$`?([A-Za-z_][A-Za-z0-9_]*)`?$")
_AUTO = re.compile(r"^\$autoint_\d+$")
_AUTO_NAME = re.compile(r"^auto[a-z]+_\d+$")


def operators(plan: Any) -> Iterator[tuple[str, str]]:
    """(operator name without the @database suffix, its Details text) for every operator in the plan."""
    if not isinstance(plan, Mapping):
        return
    args = plan.get("args") or {}
    yield str(plan.get("operatorType", "")).split("@", 1)[0], str(args.get("Details", ""))
    for child in plan.get("children", []) or []:
        yield from operators(child)


def _split_args(text: str) -> list[str]:
    """Top-level comma-separated arguments of `text` (which starts after an opening parenthesis)."""
    args, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                args.append(text[start:i].strip())
                return args
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    return args


def _tokens(query: str) -> list[tuple[str, str]]:
    out = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "sym"
        if kind != "skip":
            value = m.group()
            out.append((kind, value[1:-1].replace("``", "`") if value.startswith("`") else value))
    return out


def _int_literal(text: str) -> int | None:
    digits = text.replace("_", "")
    if re.fullmatch(r"\d+", digits):
        return int(digits)
    if re.fullmatch(r"0[xX][0-9a-fA-F]+|0[oO][0-7]+", digits):
        return int(digits, 0)
    return None


def literal_ks(query: str, procedure: str) -> list[int | None]:
    """The `k` of each `procedure(index, k, ...)` call in the text whose k is a number literal (None when
    that literal is not an integer)."""
    toks, parts, found = _tokens(query), procedure.lower().split("."), []
    width = 2 * len(parts) - 1  # name . name . name
    for i in range(len(toks) - width):
        names = [toks[i + 2 * j] for j in range(len(parts))]
        dots = [toks[i + 2 * j + 1] for j in range(len(parts) - 1)]
        if [v.lower() for _, v in names] != parts or any(d != ("sym", ".") for d in dots) or names[0][0] != "name":
            continue
        j, depth, arg = i + width, 0, 0
        current: list[tuple[str, str]] = []
        if j >= len(toks) or toks[j] != ("sym", "("):
            continue
        for kind, value in toks[j + 1 :]:
            if depth == 0 and (kind, value) in (("sym", ","), ("sym", ")")):
                if arg == 1:
                    break
                arg, current = arg + 1, []
                if value == ")":
                    break
                continue
            depth += 1 if value in "([{" and kind == "sym" else -1 if value in ")]}" and kind == "sym" else 0
            current.append((kind, value))
        if arg == 1 and len(current) == 1 and current[0][0] == "num":
            found.append(_int_literal(current[0][1]))
    return found


def _check_k(k: str, params: Mapping[str, Any], procedure: str) -> bool:
    """Check one plan call's k expression; True when it is an auto-parameterized literal (checked on the text)."""
    if _AUTO.match(k):
        return True
    param = _PARAM.match(k)
    value: Any = params.get(param.group(1)) if param else (_int_literal(k) if k.isdigit() else None)
    if param and param.group(1) not in params:
        raise QueryRefused(f"{procedure} needs the parameter ${param.group(1)}.")
    if not isinstance(value, int) or isinstance(value, bool):
        raise QueryRefused(f"{procedure}: give k as an integer literal or parameter (at most {MAX_K}).")
    if value > MAX_K:
        raise QueryRefused(f"{procedure}: k = {value} is above the limit of {MAX_K}.")
    return False


def check_plan(plan: Any, query: str, params: Mapping[str, Any]) -> None:
    """Raise QueryRefused unless every procedure and SHOW command in the plan is allowed and every vector
    search has k <= MAX_K."""
    if any(_AUTO_NAME.match(name) for name in params):
        raise QueryRefused("Parameter names like autoint_0 are reserved for the server's own parameters.")
    check_ranges(query, params)
    literal_calls: dict[str, int] = {}
    for op, details in operators(plan):
        if op.startswith("Show") and op not in ALLOWED_SHOW:
            raise QueryRefused(f"Only graph reads are allowed; {op} is not ({', '.join(sorted(ALLOWED_SHOW))} are).")
        if op != "ProcedureCall":
            continue
        procedure = details.split("(", 1)[0].strip().strip("`")
        if procedure not in ALLOWED_PROCEDURES:
            raise QueryRefused(
                f"The procedure {procedure} is not allowed; allowed: {', '.join(sorted(ALLOWED_PROCEDURES))}."
            )
        if procedure in BOUNDED_K:
            args = _split_args(details.split("(", 1)[1]) if "(" in details else []
            if len(args) < 2:
                raise QueryRefused(f"{procedure}: cannot tell its k from the plan.")
            if _check_k(args[1], params, procedure):
                literal_calls[procedure] = literal_calls.get(procedure, 0) + 1
    for procedure, count in literal_calls.items():
        ks = literal_ks(query, procedure)
        if len(ks) != count:
            raise QueryRefused(f"{procedure}: give k as a plain integer literal or a parameter (at most {MAX_K}).")
        for value in ks:
            _check_k(str(value) if value is not None else "?", {}, procedure)


def _range_args(toks: list[tuple[str, str]], start: int) -> list[list[tuple[str, str]]]:
    args: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for kind, value in toks[start:]:
        if kind == "sym" and value in "([{":
            depth += 1
        elif kind == "sym" and value in ")]}":
            if depth == 0:
                return args
            depth -= 1
        elif kind == "sym" and value == "," and depth == 0:
            args.append([])
            continue
        args[-1].append((kind, value))
    return args


def _int_value(arg: list[tuple[str, str]], params: Mapping[str, Any]) -> int | None:
    sign = -1 if arg[:1] == [("sym", "-")] else 1
    arg = arg[1:] if sign < 0 else arg
    if len(arg) != 1:
        return None
    kind, value = arg[0]
    number = _int_literal(value) if kind == "num" else params.get(value[1:].strip("`")) if kind == "param" else None
    return sign * number if isinstance(number, int) and not isinstance(number, bool) else None


def check_ranges(query: str, params: Mapping[str, Any]) -> None:
    """Refuse `range()` calls whose bounds are not integer literals or parameters, or that together produce
    more than MAX_RANGE elements: length = max(0, (end - start) // step + 1)."""
    toks, total = _tokens(query), 1
    for i, (kind, value) in enumerate(toks[:-1]):
        if kind != "name" or value.lower() != "range" or toks[i + 1] != ("sym", "("):
            continue
        if i and toks[i - 1] == ("sym", "."):
            continue
        args = _range_args(toks, i + 2)
        values = [_int_value(a, params) for a in args]
        if len(values) not in (2, 3) or any(v is None for v in values) or (len(values) == 3 and values[2] == 0):
            raise QueryRefused("range() needs integer literals or parameters as its bounds and step.")
        start, end, step = values[0] or 0, values[1] or 0, values[2] if len(values) == 3 and values[2] else 1
        total *= max(0, (end - start) // step + 1)
        if total > MAX_RANGE:
            raise QueryRefused(f"range() would produce more than {MAX_RANGE:,} elements in this query.")
