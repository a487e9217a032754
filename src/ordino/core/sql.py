"""The hot path's SQL helpers: statements whose text is built once and reused.

Order capture is Ordino's hot path (docs/performance.md): building a query through the ORM
costs ~1 ms of Python per statement, about ten times what the database then spends on it. These
helpers keep the models as the single description of each table (column names, how a value is
stored) but build each statement's text once per shape and cache it. Only the module that owns
a table calls them for it (docs/architecture.md, "One owner per table").
"""

from __future__ import annotations

from collections.abc import Sequence
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
