"""The hot path's SQL helpers: statements whose text is built once and reused.

Order capture is Ordino's hot path (docs/performance.md): building a query through the ORM
costs ~1 ms of Python per statement, about ten times what the database then spends on it. These
helpers keep the models as the single description of each table (column names, how a value is
stored) but build each statement's text once per shape and cache it. Only the module that owns
a table calls them for it (docs/architecture.md, "One owner per table").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import Decimal
from functools import cache, partial
from typing import TypeVar

from django.db import connection
from django.db.models import DateTimeField, DecimalField, Field, Model

M = TypeVar("M", bound=Model)


def instances_insert(instances: Sequence[M]) -> list[M]:
    """Insert model instances of one model in one statement, as `bulk_create` would, and set
    their ids: the same values stored (each field's `pre_save` and `get_db_prep_save`), without
    the query compiler. Returns the instances."""
    if not instances:
        return []
    model = type(instances[0])
    batch = _batch.get()
    if batch is not None and batch.takes(model, len(instances)):
        return batch.queue(instances)
    fields = _insert_fields(model)
    preparers = _preparers(connection.vendor, model)
    sql = _insert_sql(connection.vendor, model, len(instances))
    params: list = []
    for obj in instances:
        for field, prepare in zip(fields, preparers, strict=True):
            params.append(prepare(field.pre_save(obj, True)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(instances, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return list(instances)


class InsertBatch:
    """PostgreSQL: the rows of one use case inserted in one statement (a WITH of INSERTs), their
    ids taken beforehand from their sequences in one statement (`ids_take`). A model the batch
    has no ids for, or no ids left for, is inserted at once as usual: a wrong count costs a
    statement, never a row. Foreign keys are checked at commit (Django makes them deferrable), so
    the rows may go in any order."""

    def __init__(self) -> None:
        self.ids: dict[type[Model], list[int]] = {}
        self.rows: list[tuple[type[Model], list]] = []

    def ids_take(self, counts: dict[type[Model], int]) -> None:
        """Ids for `counts[model]` rows of each model, in one statement."""
        wanted = [(model, n) for model, n in counts.items() if n > 0]
        if not wanted:
            return
        params: list = []
        for i, (model, n) in enumerate(wanted):
            params += [i, model._meta.db_table, model._meta.pk.column, n]
        with connection.cursor() as cursor:
            cursor.execute(_ids_sql(len(wanted)), params)
            for i, pk in cursor.fetchall():
                self.ids.setdefault(wanted[i][0], []).append(pk)
        for pool in self.ids.values():
            pool.sort(reverse=True)  # popped from the end: rows get ascending ids

    def takes(self, model: type[Model], rows: int) -> bool:
        return len(self.ids.get(model, ())) >= rows

    def queue(self, instances: Sequence[M]) -> list[M]:
        model = type(instances[0])
        pool = self.ids[model]
        fields = (model._meta.pk, *_insert_fields(model))
        preparers = (_int, *_preparers(connection.vendor, model))
        for obj in instances:
            obj.pk = pool.pop()
            values = [
                prepare(f.pre_save(obj, True)) for f, prepare in zip(fields, preparers, strict=True)
            ]
            self.rows.append((model, values))
            obj._state.adding = False
            obj._state.db = connection.alias
        return list(instances)

    def flush(self) -> None:
        """The queued rows, in one statement."""
        if not self.rows:
            return
        shape: list[tuple[type[Model], int]] = []
        params: list = []
        for model, values in self.rows:
            if shape and shape[-1][0] is model:
                shape[-1] = (model, shape[-1][1] + 1)
            else:
                shape.append((model, 1))
            params += values
        self.rows = []
        with connection.cursor() as cursor:
            cursor.execute(_batch_sql(tuple(shape)), params)


def _int(value):
    return value


_batch: ContextVar[InsertBatch | None] = ContextVar("ordino_insert_batch", default=None)


@contextmanager
def inserts_batched() -> Iterator[InsertBatch | None]:
    """Within the block, on PostgreSQL, `instances_insert` of a model the batch holds ids for
    (`batch.ids_take`) queues its rows; they are inserted in one statement when the block ends
    without an error. Elsewhere (SQLite) it yields None and every insert runs at once."""
    if connection.vendor != "postgresql" or _batch.get() is not None:
        yield None
        return
    batch = InsertBatch()
    token = _batch.set(batch)
    try:
        yield batch
        batch.flush()
    finally:
        _batch.reset(token)


@cache
def _ids_sql(models: int) -> str:
    one = "SELECT %s::int, nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s::int)"
    return " UNION ALL ".join([one] * models)


@cache
def _batch_sql(shape: tuple[tuple[type[Model], int], ...]) -> str:
    quote = connection.ops.quote_name
    inserts = []
    for model, rows in shape:
        fields = (model._meta.pk, *_insert_fields(model))
        columns = ", ".join(quote(f.column) for f in fields)
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        table = quote(model._meta.db_table)
        inserts.append(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}")
    *first, last = inserts
    if not first:
        return last
    named = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(first))
    return f"WITH {named} {last}"


@cache
def _insert_fields(model: type[Model]) -> tuple[Field, ...]:
    return tuple(f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created))


@cache
def _preparers(vendor: str, model: type[Model]) -> tuple:
    """Per field, what turns its value into the driver's: `get_db_prep_save`, except for the
    two types every hot row has, where its result is known: a Decimal is stored as it is, and an
    aware datetime as the backend adapts it (no naive-time warning path)."""
    adapt_datetime = connection.ops.adapt_datetimefield_value
    found = []
    for field in _insert_fields(model):
        general = partial(field.get_db_prep_save, connection=connection)
        if isinstance(field, DecimalField):
            found.append(partial(_decimal_prepared, general))
        elif isinstance(field, DateTimeField):
            found.append(partial(_datetime_prepared, general, adapt_datetime))
        else:
            found.append(general)
    return tuple(found)


def _decimal_prepared(general, value):
    return value if type(value) is Decimal else general(value)


def _datetime_prepared(general, adapt, value):
    if type(value) is datetime and value.tzinfo is not None:
        return adapt(value)
    return general(value)


@cache
def _insert_sql(vendor: str, model: type[Model], rows: int) -> str:
    # `vendor` keys the cache: a test process may switch databases between runs.
    quote = connection.ops.quote_name
    fields = _insert_fields(model)
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = ", ".join([row] * rows)
    pk = quote(model._meta.pk.column)
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values} RETURNING {pk}"


# --- reads -----------------------------------------------------------------------------------


def columns(model: type[Model], alias: str) -> str:
    """`alias.column, …` for every concrete field of `model`, in `instances_of` order."""
    return _columns(connection.vendor, model, alias)


@cache
def _columns(vendor: str, model: type[Model], alias: str) -> str:
    quote = connection.ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


def instances_of(model: type[M], rows: Sequence[Sequence], extra: int = 0) -> list[tuple[M, tuple]]:
    """Model instances from rows that start with `columns(model, …)`, each with the row's last
    `extra` values: values converted exactly as the ORM converts them (JSON, decimals, booleans
    and datetimes on SQLite)."""
    fields = model._meta.concrete_fields
    names = [f.attname for f in fields]
    convert = row_converter(tuple(fields))
    count = len(fields)
    found = []
    for row in rows:
        values = convert(row[:count])
        found.append((model.from_db(connection.alias, names, values), tuple(row[count:])))
    return found


def row_converter(fields: tuple[Field | None, ...]):
    """A function turning a raw row into the values the ORM would give for `fields` (None: the
    value as the driver gave it). A shorter row is converted as far as it goes."""
    readers = _readers(connection.vendor, fields)

    def convert(row: Sequence) -> list:
        values = list(row)
        for i, steps in readers:
            if i >= len(values):
                break
            value = values[i]
            for step, expression in steps:
                value = step(value, expression, connection)
            values[i] = value
        return values

    return convert


@cache
def _readers(vendor: str, fields: tuple[Field | None, ...]) -> tuple:
    readers = []
    for i, field in enumerate(fields):
        if field is None:
            continue
        expression = field.get_col(field.model._meta.db_table)
        steps = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        if steps:
            readers.append((i, tuple((step, expression) for step in steps)))
    return tuple(readers)
