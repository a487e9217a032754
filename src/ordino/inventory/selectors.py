"""Reads of inventory: balances, availability (per location, network, channel, bulk), the ledger.

Availability is read on a hot path of its own (`availability_reads.py`: hand-written SQL, rows as
tuples); its entry points are re-exported here, where the API and other modules look for reads.

`scope` (core/domain/scope.py) limits every read to the locations and channels a caller may see
(unrestricted by default: the services' own reads).
Availability counts active locations only; kits are computed from their components.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import datetime

from django.db.models import F, Max, QuerySet, Sum, Value
from django.db.models.functions import Greatest

from ordino.catalog.models import Sku
from ordino.channels.models import Channel
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.inventory.availability_reads import (  # noqa: F401 (re-exported: the module's reads)
    BULK_MAX_SKUS,
    BulkAvailability,
    BulkItem,
    ChannelView,
    LocationStock,
    SkuAvailability,
    availability_bulk,
    availability_for_sku,
)
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
