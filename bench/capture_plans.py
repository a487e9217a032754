"""The query plans of capture's statements (run inside Django via django_call, on a database
with many orders stored): one order captured through the use case and one over HTTP
(django.test.Client: token, Idempotency-Key), every statement recorded, then each distinct one
EXPLAINed with its own parameters. A full scan of a table holding more than SMALL rows is what
makes capture slow down as orders pile up; bench/ingest_loaded.py reports them."""

from __future__ import annotations

import json
import re

from django.db import connection
from django.test import Client

from bench.ingest.ordino_side import _http, _use_case

SMALL = 1_000  # rows: a full scan of a table this small costs nothing worth reporting
EXPLAINED = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
SQLITE_NODE = re.compile(
    r"(SCAN|SEARCH) (?:TABLE )?(\w+)(?: AS \w+)?(?: USING (?:COVERING )?INDEX (\w+))?"
)
ALIAS = re.compile(r'"(\w+)"\s+(?:AS\s+)?"?([A-Z]\d+)\b')  # Django's `"table" U0` aliases


def _recorded(action) -> list[tuple[str, list]]:
    statements: list[tuple[str, list]] = []

    def record(execute, sql, params, many, context):
        first = list(params[0]) if many and params else list(params or ())
        statements.append((sql, first))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return statements


def _rows(table: str, cache: dict) -> int | None:
    """The table's row count; None for what is no table (a VALUES list, a subquery)."""
    if "?tables" not in cache:
        cache["?tables"] = set(connection.introspection.table_names())
    if table not in cache["?tables"]:
        return None
    if table not in cache:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            cache[table] = cursor.fetchone()[0]
    return cache[table]


def _postgres_plan(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        (plan,) = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        todo.extend(node.get("Plans", []))
        if "Relation Name" in node:
            nodes.append(
                {
                    "table": node["Relation Name"],
                    "access": node["Node Type"],
                    "index": node.get("Index Name"),
                    "full_scan": node["Node Type"] == "Seq Scan",
                }
            )
    return nodes


def _sqlite_plan(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        details = [row[-1] for row in cursor.fetchall()]
    aliases = dict((alias, table) for table, alias in ALIAS.findall(sql))
    nodes = []
    for detail in details:
        match = SQLITE_NODE.match(detail)
        if match:
            verb, name, index = match.groups()
            nodes.append(
                {
                    "table": aliases.get(name, name),
                    "access": detail,
                    "index": index,
                    "full_scan": verb == "SCAN",  # SCAN: every row (of the table or an index)
                }
            )
    return nodes


def _explain(statements: list[tuple[str, list]]) -> list[dict]:
    plan_of = _postgres_plan if connection.vendor == "postgresql" else _sqlite_plan
    cache: dict = {}
    out, seen = [], set()
    for sql, params in statements:
        if not sql.lstrip().upper().startswith(EXPLAINED) or sql in seen:
            continue
        seen.add(sql)
        nodes = plan_of(sql, params)
        for node in nodes:
            node["rows"] = _rows(node["table"], cache)
        slow = [n for n in nodes if n["full_scan"] and (n["rows"] or 0) > SMALL]
        out.append({"sql": sql[:300], "nodes": nodes, "full_scans": slow})
    return out


def plans(*, token: str, order: dict) -> dict:
    """Capture `order` twice (use case, then HTTP, fresh external ids) and explain every
    statement sent; returns the statements whose plan scans a big table in full."""
    by_path = {
        "use_case": _recorded(lambda: _use_case({**order, "external_id": "PLAN-UC"})),
        "http": _recorded(
            lambda: _http(Client(), token, {**order, "external_id": "PLAN-HT"}, "PLAN-KEY")
        ),
    }
    explained = _explain(by_path["use_case"] + by_path["http"])
    return {
        "statements": {path: len(s) for path, s in by_path.items()},
        "explained": explained,
        "full_scans": [e for e in explained if e["full_scans"]],
    }
