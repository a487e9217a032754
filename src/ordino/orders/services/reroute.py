"""Placing (again) the open units of an existing order: after a rejection, and when stock
arrives for backorders. Reserves with the same conditional updates as capture. Orders own this:
re-routing moves the order's lines between their buckets and asks sourcing and fulfillment below
(docs/architecture.md, "The direction of dependency")."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ordino.fulfillment.domain.allocation import LineDemand
from ordino.fulfillment.domain.rejections import rejecting_locations_excluded
from ordino.fulfillment.placement import Placed, placement_write
from ordino.fulfillment.selectors import rejections_by_location
from ordino.inventory.domain.ledger import AVAILABLE, COMMITTED, Movement
from ordino.inventory.ledger import LedgerContext, movements_log
from ordino.inventory.selectors import stock_last_arrivals
from ordino.orders.models import Order, OrderLine
from ordino.orders.reservation import stock_reserve


@dataclass(frozen=True)
class Routed:
    placed: Placed
    allocated: dict[int, int]  # order line id → items placed
    location_codes: dict[int, str]


def line_components(line: OrderLine) -> dict[int, int]:
    return {int(sku): per for sku, per in line.components.items()} or {line.sku_id: 1}


def lines_route(
    *,
    order: Order,
    wanted: Sequence[tuple[OrderLine, int]],
    actor: str,
    now: datetime,
    reason: str,
) -> Routed:
    """Reserve and place `wanted` items of these lines (not at a location that rejected this
    order, unless stock arrived there since). The caller moves the lines' buckets for what was
    placed."""
    entries = [(line, qty) for line, qty in wanted if qty]
    demands = [
        LineDemand(key=i, quantity=qty, components=line_components(line))
        for i, (line, qty) in enumerate(entries)
    ]
    if not demands:
        return Routed(Placed([], []), {}, {})
    excluded = _rejecting_locations_excluded(order, demands)
    reservation = stock_reserve(
        demands=demands,
        channel_id=order.channel_id,
        # only a pickup is served from its store's shelves; ship-to-store ships to the store
        pickup_location_id=order.pickup_location_id if order.delivery_method == "pickup" else None,
        exclude_location_ids=excluded,
        order=order,
        now=now,
    )
    placed = placement_write(
        order_id=order.pk,
        order_line_ids=[line.pk for line, _ in entries],
        demands=demands,
        plan=reservation.plan,
        delivery_method=order.delivery_method,
        now=now,
    )
    movements_log(
        [
            Movement(loc, sku, AVAILABLE, COMMITTED, qty)
            for (loc, sku), qty in sorted(reservation.units.items())
        ],
        context=LedgerContext(
            reason="reserve", actor=actor, reference=f"order:{order.pk}", note=reason
        ),
    )
    allocated: dict[int, int] = defaultdict(int)
    for pick in reservation.plan.picks:
        allocated[entries[pick.key][0].pk] += pick.quantity
    return Routed(placed, dict(allocated), reservation.location_codes)


def _rejecting_locations_excluded(order: Order, demands: Sequence[LineDemand]) -> frozenset[int]:
    rejected_at = rejections_by_location(order_id=order.pk)
    if not rejected_at:
        return frozenset()
    arrived_at = stock_last_arrivals(
        location_ids=rejected_at, sku_ids={sku for d in demands for sku in d.components}
    )
    return rejecting_locations_excluded(rejected_at, arrived_at)
