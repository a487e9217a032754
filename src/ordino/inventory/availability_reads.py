"""The hot path of availability reads: one SKU, and up to 1,000 SKUs at once, in hand-written SQL.

Why a hot path: storefronts, marketplace connectors and POS tills ask "how many can I sell?" far
more often than stock changes, and a bulk call reads 1,000 SKUs × every location. Through the
ORM, building the queries and turning 50,000 rows into objects cost 6–12 times the SQL itself
(docs/performance.md, "Availability reads"). Here each read is a fixed handful of statements
through `connection.cursor()` (one for a SKU, one more with a channel; three for a bulk call,
one more with kits, one more with a channel), rows stay tuples, and the bulk answer is plain
dicts of location code → available.

What is not here: the rules. What one location can promise (`location_available`), what a kit
can make (`kit_available_by_location`) and what a channel may sell (`channel_available`) are
decided in `inventory/domain/availability.py`; `Quantities.available` asks the same
`location_available`. Every read keeps to the active locations the caller's scope sees
(core/domain/scope.py); a channel outside it is unknown (404), like an unknown SKU. The SKU,
location and channel tables are only read here, as selectors may (docs/architecture.md).
`tests/inventory/test_availability_reads.py` holds the answers equal to the ORM's, and the
statement counts to their number.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from ordino.catalog.models import Sku
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.inventory.domain.availability import (
    channel_available,
    kit_available_by_location,
    location_available,
)
from ordino.inventory.domain.ledger import Quantities

BULK_MAX_SKUS = 1000


class LocationStock(NamedTuple):
    """One location's line (a named tuple: a SKU has one per location, built by the thousand)."""

    location_id: int
    location_code: str
    available: int
    quantities: Quantities | None  # None for a kit: it has no named quantities of its own


@dataclass(frozen=True)
class ChannelView:
    code: str
    stock_buffer: int
    excluded_location_codes: list[str]
    available: int


@dataclass(frozen=True)
class SkuAvailability:
    sku_code: str
    kind: str
    locations: list[LocationStock]  # active locations the caller sees, by priority
    network: int  # sum over those locations
    channel: ChannelView | None = None


@dataclass(frozen=True)
class BulkItem:
    sku_code: str
    kind: str
    network: int  # available over the active locations the caller sees
    channel: int | None  # available to the channel asked for, if one was
    locations: dict[str, int]  # location code → available, by priority


@dataclass(frozen=True)
class BulkAvailability:
    items: list[BulkItem]  # in the order asked, without duplicates
    unknown_sku_codes: list[str]


@dataclass(frozen=True)
class _Channel:
    code: str
    stock_buffer: int
    excluded: set[int]  # every location the channel may not sell from
    shown: dict[int, str]  # those of them that are active and that the caller sees


def _params(values: Collection) -> str:
    return ", ".join(["%s"] * len(values))


def _scope_clause(scope: Scope, column: str) -> tuple[str, list[int]]:
    """` AND <column> IN (...)` for a location-limited caller (never an empty IN list)."""
    if scope.location_ids is None:
        return "", []
    ids = sorted(scope.location_ids)
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({_params(ids)})", ids


# --- one SKU ---------------------------------------------------------------------------------

# The SKU and its balances, by location priority: one row with NULL balance columns when it has
# none. A balance at a location that is inactive or that the caller does not see comes back
# without its location (l.id NULL) and is skipped: cheaper than keeping it out in the join.
_SKU_STOCK_SQL = """
SELECT s.id, s.kind, l.id, l.code, b.on_hand, b.committed, b.safety_stock, b.unavailable,
       b.incoming
FROM catalog_sku s
LEFT JOIN inventory_stockbalance b ON b.sku_id = s.id
LEFT JOIN locations_location l ON l.id = b.location_id AND l.is_active{scope}
WHERE s.code = %s
ORDER BY l.priority, l.id
"""


def availability_for_sku(
    *, sku_code: str, channel_code: str | None = None, scope: Scope = UNRESTRICTED
) -> SkuAvailability:
    """One SKU: every named quantity per location, the network total and, if asked, a channel's
    (buffer and excluded locations applied). A kit's availability comes from its components."""
    scope_sql, scope_ids = _scope_clause(scope, "l.id")
    with connection.cursor() as cursor:
        cursor.execute(_SKU_STOCK_SQL.format(scope=scope_sql), [*scope_ids, sku_code])
        rows = cursor.fetchall()
        if not rows:
            raise NotFound("sku", sku_code, field="sku")
        channel = _channel_read(cursor, channel_code, scope) if channel_code else None
        sku_id, kind = rows[0][0], rows[0][1]
        if kind == Sku.KIT:
            return _kit_for_sku(cursor, sku_id, sku_code, channel, scope)
    lines = [
        LocationStock(
            loc,
            code,
            location_available(on_hand, committed, safety, unavailable),
            Quantities(on_hand, committed, safety, unavailable, incoming),
        )
        for _, _, loc, code, on_hand, committed, safety, unavailable, incoming in rows
        if loc is not None
    ]
    per_location = {line.location_id: line.available for line in lines}
    return SkuAvailability(
        sku_code,
        kind,
        lines,
        sum(per_location.values()),
        channel=_channel_view(channel, per_location),
    )


def _kit_for_sku(
    cursor, kit_id: int, sku_code: str, channel: _Channel | None, scope: Scope
) -> SkuAvailability:
    location_codes = _locations_read(cursor, scope)
    needs = _kit_needs_read(cursor, [kit_id]).get(kit_id, {})
    stock = _stock_read(cursor, needs.keys(), location_codes)
    per_location = kit_available_by_location(needs, stock, location_codes)
    lines = [
        LocationStock(loc, location_codes[loc], qty, None) for loc, qty in per_location.items()
    ]
    return SkuAvailability(
        sku_code,
        Sku.KIT,
        lines,
        sum(per_location.values()),
        channel=_channel_view(channel, per_location),
    )


# --- many SKUs -------------------------------------------------------------------------------


def availability_bulk(
    *, sku_codes: list[str], channel_code: str | None = None, scope: Scope = UNRESTRICTED
) -> BulkAvailability:
    """Available per location, over the network and, if asked, to a channel, for up to 1,000
    SKUs in a fixed number of statements whatever their number."""
    codes = list(dict.fromkeys(sku_codes))
    if len(codes) > BULK_MAX_SKUS:
        raise DomainError(
            "too_many_skus",
            f"Ask for at most {BULK_MAX_SKUS} SKUs per call; got {len(codes)}.",
            field="skus",
        )
    with connection.cursor() as cursor:
        channel = _channel_read(cursor, channel_code, scope) if channel_code else None
        skus = _skus_read(cursor, codes)
        location_codes = _locations_read(cursor, scope)
        kit_ids = [sku_id for sku_id, kind in skus.values() if kind == Sku.KIT]
        needs = _kit_needs_read(cursor, kit_ids) if kit_ids else {}
        stock_ids = {sku_id for sku_id, kind in skus.values() if kind != Sku.KIT}
        stock_ids.update(c for components in needs.values() for c in components)
        stock = _stock_read(cursor, stock_ids, location_codes)
    items = []
    for code in codes:
        if code not in skus:
            continue
        sku_id, kind = skus[code]
        if kind == Sku.KIT:
            per_location = kit_available_by_location(needs.get(sku_id, {}), stock, location_codes)
        else:
            per_location = stock.get(sku_id, {})
        view = _channel_view(channel, per_location)
        items.append(
            BulkItem(
                code,
                kind,
                sum(per_location.values()),
                view.available if view else None,
                {
                    location_codes[loc]: per_location[loc]
                    for loc in location_codes
                    if loc in per_location
                },
            )
        )
    return BulkAvailability(items=items, unknown_sku_codes=[c for c in codes if c not in skus])


# --- the statements --------------------------------------------------------------------------


def _skus_read(cursor, codes: list[str]) -> dict[str, tuple[int, str]]:
    """SKU code → (id, kind), for the codes that exist."""
    if not codes:
        return {}
    cursor.execute(
        f"SELECT code, id, kind FROM catalog_sku WHERE code IN ({_params(codes)})", codes
    )
    return {code: (sku_id, kind) for code, sku_id, kind in cursor.fetchall()}


def _locations_read(cursor, scope: Scope) -> dict[int, str]:
    """Active locations the caller sees: id → code, by priority (Location's own order)."""
    scope_sql, scope_ids = _scope_clause(scope, "id")
    cursor.execute(
        f"SELECT id, code FROM locations_location WHERE is_active{scope_sql} ORDER BY priority, id",
        scope_ids,
    )
    return dict(cursor.fetchall())


def _kit_needs_read(cursor, kit_ids: list[int]) -> dict[int, dict[int, int]]:
    """Kit id → component id → units of the component per kit."""
    cursor.execute(
        "SELECT kit_id, component_id, quantity FROM catalog_kitcomponent "
        f"WHERE kit_id IN ({_params(kit_ids)})",
        kit_ids,
    )
    needs: dict[int, dict[int, int]] = {}
    for kit_id, component_id, per_kit in cursor.fetchall():
        needs.setdefault(kit_id, {})[component_id] = per_kit
    return needs


def _stock_read(
    cursor, sku_ids: Collection[int], location_codes: dict[int, str]
) -> dict[int, dict[int, int]]:
    """SKU id → location id → available, at these locations, in one statement."""
    if not sku_ids or not location_codes:
        return {}
    ids = list(sku_ids)
    cursor.execute(
        "SELECT sku_id, location_id, on_hand, committed, safety_stock, unavailable "
        f"FROM inventory_stockbalance WHERE sku_id IN ({_params(ids)})",
        ids,
    )
    stock: dict[int, dict[int, int]] = {sku_id: {} for sku_id in ids}
    for sku_id, loc, on_hand, committed, safety, unavailable in cursor.fetchall():
        if loc in location_codes:
            stock[sku_id][loc] = location_available(on_hand, committed, safety, unavailable)
    return stock


_CHANNEL_SQL = """
SELECT c.id, c.code, c.stock_buffer, l.id, l.code, l.is_active
FROM channels_channel c
LEFT JOIN channels_channel_excluded_locations x ON x.channel_id = c.id
LEFT JOIN locations_location l ON l.id = x.location_id
WHERE c.code = %s
ORDER BY l.priority, l.id
"""


def _channel_read(cursor, code: str, scope: Scope) -> _Channel:
    """A channel the caller sees, with its excluded locations; any other is unknown (404)."""
    cursor.execute(_CHANNEL_SQL, [code])
    rows = cursor.fetchall()
    if not rows or not scope.sees_channel(rows[0][0]):
        raise NotFound("channel", code, field="channel")
    excluded = {row[3] for row in rows if row[3] is not None}
    shown = {loc: loc_code for _, _, _, loc, loc_code, active in rows if loc is not None and active}
    shown = {loc: loc_code for loc, loc_code in shown.items() if scope.sees_location(loc)}
    return _Channel(code=rows[0][1], stock_buffer=rows[0][2], excluded=excluded, shown=shown)


def _channel_view(channel: _Channel | None, per_location: dict[int, int]) -> ChannelView | None:
    if channel is None:
        return None
    return ChannelView(
        code=channel.code,
        stock_buffer=channel.stock_buffer,
        excluded_location_codes=[channel.shown[x] for x in channel.excluded if x in channel.shown],
        available=channel_available(
            per_location, excluded=channel.excluded, buffer=channel.stock_buffer
        ),
    )
