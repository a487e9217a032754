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
from ordino.fulfillment.placement import Placed
from ordino.fulfillment.selectors import rejections_by_location
from ordino.holds.services import order_work_restop
from ordino.inventory.selectors import stock_last_arrivals
from ordino.orders.models import Order, OrderLine
from ordino.orders.reservation import reservation_place


@dataclass(frozen=True)
class Routed:
    placed: Placed
    allocated: dict[int, int]  # order line id → items placed
    location_codes: dict[int, str]


@dataclass(frozen=True)
class _Existing:
    """The order lines re-routed items belong to: they exist already."""

    order_id: int
    line_ids: list[int]  # by demand key


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
    placement = reservation_place(
        demands=demands,
        channel_id=order.channel_id,
        delivery_method=order.delivery_method,
        pickup_location_id=order.pickup_location_id,
        lines_write=lambda _: _Existing(order.pk, [line.pk for line, _ in entries]),
        actor=actor,
        now=now,
        trigger="reroute",
        order=order,
        exclude_location_ids=excluded,
        note=reason,
    )
    reservation, placed = placement.reservation, placement.placed
    if placed.fulfillment_orders:  # a held order's new work waits too (docs/holds.md)
        order_work_restop(order_id=order.pk, actor=actor)
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
