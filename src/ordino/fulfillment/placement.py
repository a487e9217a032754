"""Writing a reservation plan down as fulfillment orders: one per location, with its lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ordino.fulfillment.domain.allocation import AllocationPlan, LineDemand
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
    fulfillment_orders = FulfillmentOrder.objects.bulk_create(
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
    lines = FulfillmentLine.objects.bulk_create(
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
