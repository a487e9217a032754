"""Statement lists captured from Ordino, and their replay with the bare driver.

A capture (bench/ingest/ordino_side.py) records every statement Ordino sent for one order —
SQL, parameters, and the ids its INSERTs created — as plain JSON. A replay sends the same
statements through `sqlite3` / `psycopg` in one transaction, with fresh unique values: the
order's external id and Idempotency-Key get a new suffix, and every id an INSERT created in the
capture is replaced by the id the replay's own INSERT returned. That is the statement floor:
what the database must do for Ordino's design, without the Python that builds the statements.

Generated ids are made unmistakable before the capture (every table's sequence starts at
`ID_BASE` + a table's own 10,000,000 range), so an id is told from a quantity or a seed row's
key by its value alone.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from uuid import UUID

ID_BASE = 1_000_000_000
ID_RANGE = 10_000_000
CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK"})
_QMARK = re.compile(r"(?<!%)%s")
_INSERT_TABLE = re.compile(r'^\s*INSERT\s+INTO\s+"?(\w+)"?', re.IGNORECASE)


def first_word(sql: str) -> str:
    return sql.split(None, 1)[0].upper() if sql.strip() else "?"


def insert_table(sql: str) -> str | None:
    match = _INSERT_TABLE.match(sql)
    return match.group(1) if match else None


_ANY_INSERT = re.compile(r'INSERT\s+INTO\s+"?(\w+)"?', re.IGNORECASE)
NEXTVAL = "nextval(pg_get_serial_sequence("  # an insert batch taking ids (core/sql.py)


def insert_tables(sql: str) -> list[str]:
    """Every table the statement inserts into (an insert batch's WITH inserts into several)."""
    return _ANY_INSERT.findall(sql)


# --- parameters as JSON ----------------------------------------------------------------------


def param_encode(value):
    """A driver parameter as JSON, tagged where JSON has no type of its own."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list | tuple):
        return {"$list": [param_encode(v) for v in value]}
    if type(value).__name__ == "Binary":  # psycopg's wrapper for bytes (BinaryField)
        return param_encode(bytes(value.obj))
    if type(value).__name__ in ("Json", "Jsonb"):  # psycopg's wrappers (Django's JSONField)
        return {"$json": (getattr(value, "dumps", None) or json.dumps)(value.obj)}
    raise TypeError(f"cannot record a parameter of type {type(value).__name__}")


def param_decode(value, kind: str):
    """The parameter as the bare driver of `kind` ("sqlite" / "postgres") takes it."""
    if not isinstance(value, dict):
        return value
    (tag, raw), *_ = value.items()
    if tag == "$dec":
        return str(raw) if kind == "sqlite" else Decimal(raw)
    if tag == "$dt":
        return raw if kind == "sqlite" else datetime.fromisoformat(raw)
    if tag == "$date":
        return raw if kind == "sqlite" else date.fromisoformat(raw)
    if tag == "$time":
        return raw if kind == "sqlite" else time.fromisoformat(raw)
    if tag == "$uuid":
        return raw if kind == "sqlite" else UUID(raw)
    if tag == "$bytes":
        return base64.b64decode(raw)
    if tag == "$list":
        return [param_decode(v, kind) for v in raw]
    if tag == "$json":
        if kind == "sqlite":
            return raw
        from psycopg.types.json import Jsonb

        return Jsonb(json.loads(raw))
    raise ValueError(f"unknown parameter tag {tag}")


# --- a captured order ------------------------------------------------------------------------


@dataclass
class Statement:
    sql: str
    params: list
    many: bool = False

    def as_json(self) -> dict:
        return {"sql": self.sql, "params": self.params, "many": self.many}


@dataclass
class Capture:
    """The statements of one order, and what must be fresh when it is replayed."""

    statements: list[Statement]
    created: dict[str, list[int]]  # table → ids the capture's INSERTs created, in order
    unique: list[str] = field(default_factory=list)  # external id, Idempotency-Key
    _plans: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict) -> Capture:
        return cls(
            statements=[Statement(s["sql"], s["params"], s["many"]) for s in data["statements"]],
            created={t: list(ids) for t, ids in data["created"].items()},
            unique=list(data["unique"]),
        )

    def as_json(self) -> dict:
        return {
            "statements": [s.as_json() for s in self.statements],
            "created": self.created,
            "unique": self.unique,
        }

    @property
    def work(self) -> list[Statement]:
        """What a replay sends between its own BEGIN and COMMIT."""
        return [s for s in self.statements if first_word(s.sql) not in CONTROL]


def summary(statements: list[Statement] | list[dict]) -> dict:
    """Count and kinds of a statement list. `count` leaves out BEGIN/COMMIT/ROLLBACK (the
    driver sends them on PostgreSQL without a statement of Django's; every transaction has
    them), and counts SAVEPOINT/RELEASE (also apart, as `savepoints`)."""
    sqls = [s.sql if isinstance(s, Statement) else s["sql"] for s in statements]
    kinds: dict[str, int] = {}
    for sql in sqls:
        kinds[first_word(sql)] = kinds.get(first_word(sql), 0) + 1
    return {
        "count": sum(n for k, n in kinds.items() if k not in CONTROL),
        "savepoints": kinds.get("SAVEPOINT", 0) + kinds.get("RELEASE", 0),
        "by_kind": kinds,
        "statements": [sql[:160] for sql in sqls],
    }


# --- replay ------------------------------------------------------------------------------------


class _Fresh:
    """Old value → new value for one replay: unique strings by suffix, created ids as the
    replay's INSERTs return them."""

    def __init__(self, capture: Capture, suffix: str) -> None:
        self.strings = {old: f"{old}~{suffix}" for old in capture.unique}
        self.pending = {table: list(ids) for table, ids in capture.created.items()}
        self.ids: dict[int, int] = {}

    def value(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return self.ids.get(value, value)
        if isinstance(value, str):
            return self._text(value)
        if isinstance(value, dict):
            (tag, raw), *_ = value.items()
            if tag == "$json":
                return {tag: json.dumps(self._json(json.loads(raw)))}
            if tag == "$bytes":
                text = base64.b64decode(raw).decode("utf-8", "surrogateescape")
                fresh = self._text(text).encode("utf-8", "surrogateescape")
                return {tag: base64.b64encode(fresh).decode()}
            if tag == "$list":
                return {tag: [self.value(v) for v in raw]}
        return value

    def _text(self, text: str) -> str:
        for old, new in self.strings.items():
            if old in text:
                text = text.replace(old, new)
        if self.ids and any(ch.isdigit() for ch in text):
            text = re.sub(r"\b\d{10}\b", lambda m: str(self.ids.get(int(m[0]), m[0])), text)
        return text

    def _json(self, data):
        if isinstance(data, dict):
            return {k: self._json(v) for k, v in data.items()}
        if isinstance(data, list):
            return [self._json(v) for v in data]
        return self.value(data) if isinstance(data, int | str) else data

    def returned(self, table: str, ids: list[int]) -> None:
        olds = self.pending.get(table, [])
        for new in ids:
            if olds:
                self.ids[olds.pop(0)] = new


def _driver_sql(kind: str, sql: str) -> str:
    """Django writes %s placeholders; its SQLite backend turns them into ? as sqlite3 wants."""
    return _QMARK.sub("?", sql).replace("%%", "%") if kind == "sqlite" else sql


def _refers(value, unique: list[str], ids: set[int]) -> bool:
    """Whether a recorded parameter holds a value a replay must make fresh."""
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return value in ids
    if isinstance(value, str):
        return any(u in value for u in unique) or any(
            int(m) in ids for m in re.findall(r"\b\d{10}\b", value)
        )
    if isinstance(value, dict):
        (tag, raw), *_ = value.items()
        if tag == "$json":
            return _refers(raw, unique, ids)
        if tag == "$bytes":
            return _refers(base64.b64decode(raw).decode("utf-8", "replace"), unique, ids)
        if tag == "$list":
            return any(_refers(v, unique, ids) for v in raw)
    return False


@dataclass(frozen=True)
class _Step:
    sql: str  # in the driver's placeholder style
    recorded: Statement
    params: list  # decoded once; the `changing` positions are made fresh on every replay
    changing: tuple[int, ...]
    returns_into: str | None  # the table whose created ids the statement returns


def plan(capture: Capture, kind: str) -> list[_Step]:
    """The replay's steps, worked out once per capture (before any timing): the parameters
    that never change are decoded here, so a replay only touches the ones that do."""
    if kind not in capture._plans:
        ids = {i for created in capture.created.values() for i in created}
        steps = []
        for statement in capture.work:
            table = insert_table(statement.sql)
            returning = table if table and "RETURNING" in statement.sql.upper() else None
            if NEXTVAL in statement.sql:
                returning = NEXTVAL
            if statement.many:
                steps.append(_Step(_driver_sql(kind, statement.sql), statement, [], (), None))
                continue
            changing = tuple(
                i for i, p in enumerate(statement.params) if _refers(p, capture.unique, ids)
            )
            params = [param_decode(p, kind) for p in statement.params]
            steps.append(
                _Step(_driver_sql(kind, statement.sql), statement, params, changing, returning)
            )
        capture._plans[kind] = steps
    return capture._plans[kind]


def replay(db, conn, capture: Capture, suffix: str) -> int:
    """Send the capture's statements in one transaction of the bare driver (`db`: a
    bench.ingest.raw RawSqlite / RawPostgres); returns how many were sent, BEGIN/COMMIT
    excluded."""
    steps = plan(capture, db.kind)
    fresh = _Fresh(capture, suffix)
    db.begin(conn)
    try:
        for step in steps:
            cursor = conn.cursor()
            if step.recorded.many:
                rows = step.recorded.params
                cursor.executemany(
                    step.sql, [[param_decode(fresh.value(p), db.kind) for p in r] for r in rows]
                )
                continue
            params = list(step.params)
            for i in step.changing:
                params[i] = param_decode(fresh.value(step.recorded.params[i]), db.kind)
            cursor.execute(step.sql, params)
            if step.returns_into == NEXTVAL:
                _ids_taken(fresh, params, cursor.fetchall())
            elif step.returns_into is not None:
                fresh.returned(step.returns_into, [row[0] for row in cursor.fetchall()])
            elif cursor.description is not None:
                cursor.fetchall()
        db.commit(conn)
    except BaseException:
        db.rollback(conn)
        raise
    return len(steps)


def _ids_taken(fresh: _Fresh, params: list, rows: list) -> None:
    """An insert batch's ids (rows of (model index, id)): its parameters name each index's
    table (index, table, column, count)."""
    taken: dict[int, list[int]] = {}
    for index, pk in rows:
        taken.setdefault(index, []).append(pk)
    for index, ids in taken.items():
        fresh.returned(params[4 * index + 1], sorted(ids))
