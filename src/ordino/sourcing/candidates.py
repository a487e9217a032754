"""The candidates query in SQL: every stock row of the locations that may serve an order, with
its SKU, its location and the location's sourcing schedule, in one statement.

Order capture reads stock with this query (it is on the hot path, docs/performance.md): the
text is written once per shape and cached, because building it through the ORM cost ten times
what the database spends running it. `facts.candidates_load` turns the rows into a Snapshot;
the values are converted exactly as the ORM converts them (`core.sql.row_converter`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.db import connection

from ordino.catalog.models import Sku
from ordino.channels.models import Channel
from ordino.core.sql import row_converter
from ordino.inventory.models import StockBalance
from ordino.locations.models import Location
from ordino.sourcing.models import LocationSchedule, SourcingProfile, SourcingProfileVersion

ANY, PICKUP, SHIPS = "any", "pickup", "ships"  # which locations may serve (see `Where`)


@dataclass(frozen=True)
class Where:
    """The shape of one candidates query: its text depends on this, its values do not."""

    by_codes: bool  # SKUs named by code (active SKUs only), else by id
    skus: int  # how many
    excluded: int  # locations left out
    serving: str  # ANY active location, the PICKUP store only, or those that SHIP
    channel: bool  # SHIPS: leave out the locations the channel excludes
    revision: bool  # also read the revision of the profile version in effect


def candidate_rows(
    where: Where,
    *,
    skus: Iterable,
    excluded: Iterable[int],
    pickup_location_id: int | None,
    channel_id: int | None,
    now: datetime | None,
) -> list[list]:
    """The rows, as `facts._snapshot` reads them (STOCK, LOCATION, then the revision)."""
    params: list = []
    if where.revision:
        params += [SourcingProfileVersion.ACTIVE, connection.ops.adapt_datetimefield_value(now)]
    params += list(skus)
    params += list(excluded)
    if where.serving == PICKUP:
        params.append(pickup_location_id)
    elif where.serving == SHIPS and where.channel:
        params.append(channel_id)
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, where), params)
        rows = cursor.fetchall()
    convert = row_converter(_FIELDS)
    return [convert(row) for row in rows]


def _field(model, name):
    return model._meta.get_field(name)


_FIELDS = (
    *[None] * 9,
    _field(Sku, "tags"),
    *[None] * 6,
    _field(Location, "latitude"),
    _field(Location, "longitude"),
    _field(Location, "ships"),
    _field(Location, "pickup"),
    None,
    _field(LocationSchedule, "calendar"),
    _field(LocationSchedule, "cost_per_shipment"),
    _field(SourcingProfileVersion, "revision"),
)


@cache
def _sql(vendor: str, where: Where) -> str:
    # `vendor` keys the cache: a test process may switch databases between runs.
    q = connection.ops.quote_name
    excluded_through = Channel.excluded_locations.through._meta.db_table
    select = (
        "b.id, b.location_id, b.sku_id, b.on_hand, b.committed, b.safety_stock, b.unavailable, "
        "s.code, s.name, s.tags, l.code, l.kind, l.priority, l.country, l.region, "
        "l.postal_code, l.latitude, l.longitude, l.ships, l.pickup, l.daily_capacity, "
        "ls.calendar, ls.cost_per_shipment"
    )
    if where.revision:
        select += (
            f", (SELECT v.revision FROM {q(SourcingProfileVersion._meta.db_table)} v"
            f" JOIN {q(SourcingProfile._meta.db_table)} p ON v.profile_id = p.id"
            " WHERE p.is_default AND v.status = %s"
            " AND (v.effective_from IS NULL OR v.effective_from <= %s)"
            " ORDER BY v.effective_from DESC NULLS LAST, v.number DESC LIMIT 1)"
        )
    marks = ", ".join(["%s"] * where.skus)
    conditions = ["l.is_active"]
    conditions += (
        [f"s.code IN ({marks})", "s.is_active"] if where.by_codes else [f"b.sku_id IN ({marks})"]
    )
    if where.excluded:
        conditions.append(f"b.location_id NOT IN ({', '.join(['%s'] * where.excluded)})")
    if where.serving == PICKUP:
        conditions.append("b.location_id = %s")
    elif where.serving == SHIPS:
        conditions.append("l.ships")
        if where.channel:
            conditions.append(
                f"NOT EXISTS (SELECT 1 FROM {q(excluded_through)} x"
                " WHERE x.channel_id = %s AND x.location_id = b.location_id)"
            )
    return (
        f"SELECT {select} FROM {q(StockBalance._meta.db_table)} b"
        f" JOIN {q(Location._meta.db_table)} l ON l.id = b.location_id"
        f" JOIN {q(Sku._meta.db_table)} s ON s.id = b.sku_id"
        f" LEFT JOIN {q(LocationSchedule._meta.db_table)} ls ON ls.location_id = l.id"
        f" WHERE {' AND '.join(conditions)}"
    )
