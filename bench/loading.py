"""Raw bulk loading for the suite's big data sets (run inside Django via django_call): COPY on
PostgreSQL, executemany in one transaction on SQLite. Columns not given get the model field's
default, computed once. Callers pass values the driver takes as they are (ints, strings,
datetimes; on SQLite datetimes as 'YYYY-MM-DD HH:MM:SS' text)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime


def when(dt: datetime):
    """A datetime as the raw driver should get it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return dt
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def bulk_load(
    model,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    fixed: dict | None = None,
    chunk: int = 50_000,
) -> int:
    """Insert `rows` (values for `columns`); every other column gets `fixed[name]` or the
    field's default."""
    from django.db import connection, transaction

    fixed = fixed or {}

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = list(columns)
    extra = [f for f in fields if f.attname not in given]
    defaults = []
    for f in extra:
        value = fixed[f.attname] if f.attname in fixed else f.get_default()
        if f.get_internal_type() == "DateTimeField" and value is None and not f.null:
            value = datetime.now(UTC)
        prepped = f.get_db_prep_save(value, connection)
        if connection.vendor != "postgresql" and isinstance(value, datetime):
            prepped = when(value)
        defaults.append(prepped)
    names = given + [f.column for f in extra]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(n) for n in names)
    tail = tuple(defaults)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor
            with raw.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *tail))
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['?'] * len(names))})"
            raw = cursor.cursor
            iterator = iter(rows)
            while True:
                batch = [(*r, *tail) for r in itertools.islice(iterator, chunk)]
                if not batch:
                    break
                raw.executemany(sql, batch)
                count += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    return count


def catalog_load(*, skus: int, locations: int, store_every: int = 0) -> dict:
    """`skus` SKUs (S000001…) with a product each, `locations` warehouses (L001…; every
    `store_every`-th a store). Returns the id ranges."""
    from ordino.catalog.models import Product, Sku
    from ordino.locations.models import Location

    bulk_load(Product, ["code", "name"], ((f"P{i:07d}", f"P{i}") for i in range(1, skus + 1)))
    first_product = Product.objects.order_by("id").values_list("id", flat=True).first()
    bulk_load(
        Sku,
        ["product_id", "code", "name", "kind", "weight_grams"],
        (
            (first_product + i - 1, f"S{i:07d}", f"S{i}", Sku.SIMPLE, 500)
            for i in range(1, skus + 1)
        ),
    )
    for n in range(1, locations + 1):
        kind = Location.STORE if store_every and n % store_every == 0 else Location.WAREHOUSE
        Location.objects.create(
            code=f"L{n:03d}", name=f"L{n}", kind=kind, priority=n, country="DE", ships=True
        )
    sku_ids = list(Sku.objects.order_by("id").values_list("id", flat=True)[:1])
    return {
        "first_sku": sku_ids[0],
        "location_ids": list(Location.objects.order_by("id").values_list("id", flat=True)),
    }
