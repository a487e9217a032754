"""The availability reads as they were before the hot path (commit ad0e248,
`inventory/selectors.py`): through the ORM, model instances and querysets. Kept here as the
reference the hot path (`inventory/availability_reads.py`) must agree with, answer for answer
(tests/inventory/test_availability_reads.py). Not used by Ordino itself."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.inventory.availability_reads import (
    BULK_MAX_SKUS,
    BulkItem,
    ChannelView,
    LocationStock,
    SkuAvailability,
)
from ordino.inventory.domain.availability import channel_available, kit_available
from ordino.inventory.domain.ledger import FIELDS, Quantities
from ordino.inventory.models import StockBalance
from ordino.inventory.selectors import channel_get, sku_get
from ordino.locations.models import Location


@dataclass(frozen=True)
class BulkAvailability:
    items: list[SkuAvailability]  # in the order asked, without duplicates
    unknown_sku_codes: list[str]


def availability_for_sku(
    *,
    sku_code: str,
    channel_code: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> SkuAvailability:
    """One SKU: every named quantity per location, the network total and, if asked, a channel's."""
    sku_get(code=sku_code)
    result = availability_bulk(
        sku_codes=[sku_code],
        channel_code=channel_code,
        scope=scope,
        with_quantities=True,
    )
    return result.items[0]


def availability_bulk(
    *,
    sku_codes: list[str],
    channel_code: str | None = None,
    scope: Scope = UNRESTRICTED,
    with_quantities: bool = False,
) -> BulkAvailability:
    """Availability of up to 1,000 SKUs in a handful of queries, whatever their number:
    SKUs, kit components, locations, the channel, and one query over the balances."""
    codes = list(dict.fromkeys(sku_codes))
    if len(codes) > BULK_MAX_SKUS:
        raise DomainError(
            "too_many_skus",
            f"Ask for at most {BULK_MAX_SKUS} SKUs per call; got {len(codes)}.",
            field="skus",
        )
    channel = channel_get(code=channel_code, scope=scope) if channel_code else None
    skus = {s.code: s for s in Sku.objects.filter(code__in=codes).only("id", "code", "kind")}
    needs = _kit_needs([s.id for s in skus.values() if s.kind == Sku.KIT])
    locations = Location.objects.filter(is_active=True)
    if scope.location_ids is not None:
        locations = locations.filter(id__in=scope.location_ids)
    location_codes = dict(locations.values_list("id", "code"))  # ordered by priority, id
    stock_sku_ids = {s.id for s in skus.values() if s.kind != Sku.KIT}
    stock_sku_ids |= {c for components in needs.values() for c in components}
    stock = _stock_by_sku(stock_sku_ids, location_codes.keys())
    excluded = set(channel.excluded_locations.values_list("id", flat=True)) if channel else set()
    items = [
        _sku_availability(
            skus[code],
            needs=needs,
            stock=stock,
            location_codes=location_codes,
            channel=channel,
            excluded=excluded,
            with_quantities=with_quantities,
        )
        for code in codes
        if code in skus
    ]
    return BulkAvailability(items=items, unknown_sku_codes=[c for c in codes if c not in skus])


def _kit_needs(kit_ids: list[int]) -> dict[int, dict[int, int]]:
    """Kit id → component id → units of the component per kit."""
    needs: dict[int, dict[int, int]] = defaultdict(dict)
    for kit_id, component_id, per_kit in KitComponent.objects.filter(
        kit_id__in=kit_ids
    ).values_list("kit_id", "component_id", "quantity"):
        needs[kit_id][component_id] = per_kit
    return needs


def _stock_by_sku(
    sku_ids: Collection[int], location_ids: Iterable[int]
) -> dict[int, dict[int, Quantities]]:
    """SKU id → location id → the balance's quantities, in one query."""
    stock: dict[int, dict[int, Quantities]] = defaultdict(dict)
    rows = StockBalance.objects.filter(sku_id__in=sku_ids, location_id__in=location_ids)
    for sku_id, location_id, *values in rows.values_list("sku_id", "location_id", *FIELDS):
        stock[sku_id][location_id] = Quantities(*values)
    return stock


def _sku_availability(
    sku: Sku,
    *,
    needs: dict[int, dict[int, int]],
    stock: dict[int, dict[int, Quantities]],
    location_codes: dict[int, str],
    channel: Channel | None,
    excluded: set[int],
    with_quantities: bool,
) -> SkuAvailability:
    """One SKU's availability per location (a kit's from its components), over the network and,
    with a channel, for that channel."""
    if sku.kind == Sku.KIT:
        per_location = {
            loc: kit_available(
                needs[sku.id],
                {c: stock[c][loc].available for c in needs[sku.id] if loc in stock[c]},
            )
            for loc in location_codes
            if any(loc in stock[c] for c in needs[sku.id])
        }
        quantities: dict[int, Quantities | None] = dict.fromkeys(per_location)
    else:
        per_location = {loc: q.available for loc, q in stock[sku.id].items()}
        quantities = dict(stock[sku.id])
    lines = [
        LocationStock(
            loc,
            location_codes[loc],
            per_location[loc],
            quantities[loc] if with_quantities else None,
        )
        for loc in location_codes
        if loc in per_location
    ]
    view = None
    if channel is not None:
        view = ChannelView(
            code=channel.code,
            stock_buffer=channel.stock_buffer,
            excluded_location_codes=[location_codes[x] for x in excluded if x in location_codes],
            available=channel_available(
                per_location, excluded=excluded, buffer=channel.stock_buffer
            ),
        )
    return SkuAvailability(sku.code, sku.kind, lines, sum(per_location.values()), channel=view)


def as_bulk_item(item: SkuAvailability) -> BulkItem:
    """The old bulk answer's item in the shape the bulk API answered with (api.py's `_bulk_item`
    at ad0e248)."""
    return BulkItem(
        item.sku_code,
        item.kind,
        item.network,
        item.channel.available if item.channel else None,
        {line.location_code: line.available for line in item.locations},
    )
