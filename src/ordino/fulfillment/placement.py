"""Writing a reservation plan down as fulfillment orders (one per location, with its lines), and
changing them for the order: more items placed by an edit, items cancelled (orders call these;
only fulfillment writes its tables)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F

from ordino.core.domain.errors import Conflict
from ordino.core.sql import instances_insert
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.domain.allocation import AllocationPlan, LineDemand, Pick
from ordino.fulfillment.domain.status import OPEN
from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder


@dataclass(frozen=True)
class Placed:
    fulfillment_orders: list[FulfillmentOrder]
    lines: list[FulfillmentLine]


def placement_write(
    *,
    order_id: int,
    order_line_ids: Sequence[int],
    demands: Sequence[LineDemand],
    plan: AllocationPlan,
    delivery_method: str,
    now: datetime,
) -> Placed:
    """Two statements for any number of locations and lines. `order_line_ids[d.key]` is the
    order line of demand `d`."""
    if not plan.picks:
        return Placed([], [])
    items: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for pick in plan.picks:
        items[pick.location_id][pick.key] += pick.quantity
    fulfillment_orders = instances_insert(
        [
            FulfillmentOrder(
                order_id=order_id,
                location_id=location_id,
                status=OPEN,
                delivery_method=delivery_method,
                created_at=now,
                updated_at=now,
            )
            for location_id in items
        ]
    )
    by_key = {d.key: d for d in demands}
    lines = instances_insert(
        [
            FulfillmentLine(
                fulfillment_order_id=fo.pk,
                order_line_id=order_line_ids[key],
                components={str(sku): per for sku, per in by_key[key].components.items()},
                quantity=quantity,
            )
            for fo in fulfillment_orders
            for key, quantity in items[fo.location_id].items()
        ]
    )
    return Placed(fulfillment_orders, lines)


def components_of(line: FulfillmentLine) -> dict[int, int]:
    return {int(sku): per for sku, per in line.components.items()}


def placement_merge(
    *,
    order_id: int,
    order_line_ids: Mapping[int, int],
    demands: Sequence[LineDemand],
    picks: Sequence[Pick],
    delivery_method: str,
    now: datetime,
) -> list[dict]:
    """Place more items of an order (an edit): into the order's open fulfillment order at the
    same location when there is one (the oldest), else into new ones. `order_line_ids[key]` is
    the order line of demand `key`. Returns what went where."""
    open_fos: dict[int, int] = {}
    for fo_id, location_id in (
        FulfillmentOrder.objects.filter(order_id=order_id, status=OPEN)
        .order_by("-id")
        .values_list("id", "location_id")
    ):
        open_fos[location_id] = fo_id  # the oldest open one per location wins
    merged: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    fresh = AllocationPlan()
    for pick in picks:
        if pick.location_id in open_fos:
            merged[open_fos[pick.location_id]][pick.key] += pick.quantity
        else:
            fresh.picks.append(pick)
    by_key = {d.key: d for d in demands}
    where = [
        _merge_into(fo_id, merged[fo_id], by_key, order_line_ids, now) for fo_id in sorted(merged)
    ]
    where_flat = [w for ws in where for w in ws]
    if fresh.picks:
        placed = placement_write(
            order_id=order_id,
            order_line_ids=order_line_ids,  # type: ignore[arg-type]  # indexed by key
            demands=demands,
            plan=fresh,
            delivery_method=delivery_method,
            now=now,
        )
        fo_by_location = {fo.location_id: fo.pk for fo in placed.fulfillment_orders}
        where_flat += [
            {
                "line_no": pick.key,
                "fulfillment_order": fo_by_location[pick.location_id],
                "quantity": pick.quantity,
            }
            for pick in fresh.picks
        ]
    return where_flat


def _merge_into(fo_id, items_by_key, by_key, order_line_ids, now) -> list[dict]:
    if not FulfillmentOrder.objects.filter(pk=fo_id, status=OPEN).update(
        version=F("version") + 1, updated_at=now
    ):
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    existing = {
        (fl.order_line_id, tuple(sorted(components_of(fl).items()))): fl.pk
        for fl in FulfillmentLine.objects.filter(fulfillment_order_id=fo_id)
    }
    new_rows, where = [], []
    for key, items in sorted(items_by_key.items()):
        needs = tuple(sorted(by_key[key].components.items()))
        fl_id = existing.get((order_line_ids[key], needs))
        if fl_id is not None:
            FulfillmentLine.objects.filter(pk=fl_id).update(quantity=F("quantity") + items)
        else:
            new_rows.append(
                FulfillmentLine(
                    fulfillment_order_id=fo_id,
                    order_line_id=order_line_ids[key],
                    components={str(sku): per for sku, per in needs},
                    quantity=items,
                )
            )
        where.append({"line_no": key, "fulfillment_order": fo_id, "quantity": items})
    FulfillmentLine.objects.bulk_create(new_rows)
    return where


def fulfillment_orders_claim(fo_ids: set[int], now: datetime) -> None:
    """Claim the open fulfillment orders an edit changes, in primary-key order: one that a
    location accepted meanwhile refuses the edit."""
    for fo_id in sorted(fo_ids):
        if not FulfillmentOrder.objects.filter(pk=fo_id, status=OPEN).update(
            version=F("version") + 1, updated_at=now
        ):
            raise Conflict(
                "line_released",
                f"Fulfillment order {fo_id} was released to its location meanwhile; reload.",
            )


def holdings_cancel(holdings: list[FulfillmentLine], cuts: list[tuple[int, int]], now) -> None:
    """Cancel items on fulfillment lines. A fulfillment order left with nothing open is done:
    shipped if it shipped part of its lines, else cancelled."""
    by_id = {h.pk: h for h in holdings}
    touched: set[int] = set()
    # Rows in primary-key order, like every multi-row writer (docs/architecture.md, "Lock order").
    for holding_id, items in sorted(cuts):
        holding = by_id[holding_id]
        updated = FulfillmentLine.objects.filter(
            pk=holding_id,
            quantity__gte=F("quantity_shipped")
            + F("quantity_rejected")
            + F("quantity_cancelled")
            + items,
        ).update(quantity_cancelled=F("quantity_cancelled") + items)
        if not updated:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
        holding.quantity_cancelled += items
        touched.add(holding.fulfillment_order_id)
    for fo_id in sorted(touched):
        fo = next(h.fulfillment_order for h in holdings if h.fulfillment_order_id == fo_id)
        lines = [h for h in holdings if h.fulfillment_order_id == fo_id]
        # `holdings` has every line of the order's active fulfillment orders.
        if any(h.open for h in lines):
            continue
        if any(h.quantity_shipped for h in lines):
            target = fs.fo_transition(fo.status, fs.SHIPPED)
            done = {"shipped_at": fo.shipped_at or now}
        else:
            target = fs.fo_transition(fo.status, fs.CANCELLED)
            done = {"closed_at": now}
        # Compare on the status (an edit may have claimed the version already).
        moved = FulfillmentOrder.objects.filter(pk=fo_id, status=fo.status).update(
            status=target, updated_at=now, version=F("version") + 1, **done
        )
        if not moved:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
