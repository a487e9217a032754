"""Reads of inventory: balances, availability (per location, network, channel, bulk), the ledger.

`scope` (core/domain/scope.py) limits every read to the locations and channels a caller may see
(unrestricted by default: the services' own reads).
Availability counts active locations only; kits are computed from their components.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Max, QuerySet, Sum, Value
from django.db.models.functions import Greatest

from ordino.catalog.models import KitComponent, Sku
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.inventory.domain.availability import channel_available, kit_available
from ordino.inventory.domain.ledger import (
    AVAILABLE,
    EXTERNAL,
    FIELDS,
    INCOMING,
    UNAVAILABLE,
    Movement,
    Quantities,
    balances_project,
)
from ordino.inventory.models import StockBalance, StockFeed, StockMovement, StockTransfer
from ordino.locations.models import Location

BULK_MAX_SKUS = 1000

AVAILABLE_SQL = Greatest(
    F("on_hand") - F("committed") - F("safety_stock") - F("unavailable"), Value(0)
)


# --- lookups -------------------------------------------------------------------------------


def location_get(*, code: str, scope: Scope = UNRESTRICTED) -> Location:
    """A location by code; one the caller may not see is as unknown as one that does not exist."""
    location = Location.objects.filter(code=code).first()
    if location is None or not scope.sees_location(location.id):
        raise NotFound("location", code, field="location")
    return location


def sku_get(*, code: str, field: str = "sku") -> Sku:
    sku = Sku.objects.filter(code=code).first()
    if sku is None:
        raise NotFound("sku", code, field=field)
    return sku


def sku_get_stockable(*, code: str, field: str = "sku") -> Sku:
    """A SKU that holds stock of its own: kits are refused, their stock is their components'."""
    sku = sku_get(code=code, field=field)
    if sku.kind == Sku.KIT:
        raise DomainError(
            "kit_not_stockable",
            f"SKU {code!r} is a kit: it has no stock of its own. Its availability is computed "
            "from its components; receive, count or adjust the components instead.",
            field=field,
        )
    return sku


def channel_get(*, code: str, scope: Scope = UNRESTRICTED) -> Channel:
    channel = Channel.objects.filter(code=code).first()
    if channel is None or not scope.sees_channel(channel.id):
        raise NotFound("channel", code, field="channel")
    return channel


def transfer_get(*, transfer_id: int, scope: Scope = UNRESTRICTED) -> StockTransfer:
    """A transfer the caller may see: one whose source or destination is theirs."""
    transfer = (
        StockTransfer.objects.select_related("source", "destination", "sku")
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None or not (
        scope.sees_location(transfer.source_id) or scope.sees_location(transfer.destination_id)
    ):
        raise NotFound("transfer", transfer_id)
    return transfer


# --- balances, transfers and the ledger ------------------------------------------------------


def balance_list(
    *,
    sku_code: str | None = None,
    location_code: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> QuerySet[StockBalance]:
    qs = StockBalance.objects.select_related("location", "sku").annotate(available=AVAILABLE_SQL)
    if scope.location_ids is not None:
        qs = qs.filter(location_id__in=scope.location_ids)
    if sku_code:
        qs = qs.filter(sku__code=sku_code)
    if location_code:
        qs = qs.filter(location__code=location_code)
    return qs


def balances_of(pairs: Iterable[tuple[int, int]]) -> list[StockBalance]:
    """The balance rows of (location_id, sku_id) pairs, with `available`, in a stable order."""
    wanted = set(pairs)
    location_ids = {loc for loc, _ in wanted}
    sku_ids = {sku for _, sku in wanted}
    rows = balance_list().filter(location_id__in=location_ids, sku_id__in=sku_ids)
    return sorted(
        (b for b in rows if (b.location_id, b.sku_id) in wanted),
        key=lambda b: (b.location_id, b.sku_id),
    )


def transfer_list(
    *,
    status: str | None = None,
    sku_code: str | None = None,
    location_code: str | None = None,
    scope: Scope = UNRESTRICTED,
) -> QuerySet[StockTransfer]:
    """Transfers the caller may see: those whose source or destination is theirs."""
    qs = StockTransfer.objects.select_related("source", "destination", "sku")
    if scope.location_ids is not None:
        ids = list(scope.location_ids)
        qs = qs.filter(source_id__in=ids) | qs.filter(destination_id__in=ids)
    if status:
        qs = qs.filter(status=status)
    if sku_code:
        qs = qs.filter(sku__code=sku_code)
    if location_code:
        qs = qs.filter(source__code=location_code) | qs.filter(destination__code=location_code)
    return qs


def movement_list(
    *,
    sku_code: str | None = None,
    location_code: str | None = None,
    reason: str | None = None,
    reference: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    scope: Scope = UNRESTRICTED,
) -> QuerySet[StockMovement]:
    """Ledger rows, filtered. `created_from` is inclusive, `created_to` exclusive."""
    qs = StockMovement.objects.select_related("location", "sku")
    if scope.location_ids is not None:
        qs = qs.filter(location_id__in=scope.location_ids)
    if sku_code:
        qs = qs.filter(sku__code=sku_code)
    if location_code:
        qs = qs.filter(location__code=location_code)
    if reason:
        qs = qs.filter(reason=reason)
    if reference:
        qs = qs.filter(reference=reference)
    if created_from:
        qs = qs.filter(created_at__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__lt=created_to)
    return qs


# --- availability ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationStock:
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


# --- the ledger projection -------------------------------------------------------------------


def ledger_totals() -> Iterator[Movement]:
    """The ledger summed in SQL per (location, SKU, from state, to state): a few rows per
    balance, however many millions of movements. Deltas are linear, so projecting the sums
    gives the same balances as projecting every movement."""
    rows = (
        StockMovement.objects.values("location_id", "sku_id", "from_state", "to_state")
        .annotate(total=Sum("quantity"))
        .order_by()
        .values_list("location_id", "sku_id", "from_state", "to_state", "total")
    )
    for location_id, sku_id, from_state, to_state, total in rows.iterator(chunk_size=5000):
        yield Movement(location_id, sku_id, from_state, to_state, total)


def ledger_balances() -> dict[tuple[int, int], Quantities]:
    """Every balance rebuilt from the ledger alone, keyed (location_id, sku_id)."""
    return balances_project(ledger_totals())


def stored_balances() -> dict[tuple[int, int], Quantities]:
    rows = StockBalance.objects.values_list("location_id", "sku_id", *FIELDS).order_by()
    return {(loc, sku): Quantities(*values) for loc, sku, *values in rows.iterator(chunk_size=5000)}


# --- bulk stock feeds ------------------------------------------------------------------------


def stock_feed_get(*, feed_id: int, actor: str | None = None) -> StockFeed:
    """A feed by id; with `actor`, only one that actor applied (location-restricted tokens see
    their own feeds only)."""
    feed = StockFeed.objects.filter(pk=feed_id).first()
    if feed is None or (actor is not None and feed.actor != actor):
        raise NotFound("stock_feed", feed_id)
    return feed


# States stock arrives from: a receipt, a count or adjustment up, a transfer received, a stock
# feed, units released from quality hold. A reservation given back (committed → available) is no
# arrival: those units were counted before.
ARRIVAL_SOURCES = (EXTERNAL, INCOMING, UNAVAILABLE)


def stock_last_arrivals(
    *, location_ids: Collection[int], sku_ids: Collection[int]
) -> dict[int, datetime]:
    """When sellable stock of any of these SKUs last arrived at each of these locations."""
    if not location_ids or not sku_ids:
        return {}
    rows = (
        StockMovement.objects.filter(
            location_id__in=location_ids,
            sku_id__in=sku_ids,
            to_state=AVAILABLE,
            from_state__in=ARRIVAL_SOURCES,
        )
        .values("location_id")
        .annotate(last=Max("created_at"))
        .values_list("location_id", "last")
    )
    return dict(rows)
