"""The facts fulfillment reports about orders (see docs/events.md for the catalog)."""

from __future__ import annotations

import dataclasses

from ordino.fulfillment.domain import status as fs
from ordino.orders.events import OrderEvent


@dataclasses.dataclass(frozen=True)
class FulfillmentAccepted(OrderEvent):
    name = "fulfillment.accepted"


@dataclasses.dataclass(frozen=True)
class FulfillmentPickingStarted(OrderEvent):
    name = "fulfillment.picking"


@dataclasses.dataclass(frozen=True)
class FulfillmentPacked(OrderEvent):
    name = "fulfillment.packed"


@dataclasses.dataclass(frozen=True)
class FulfillmentPutOnHold(OrderEvent):
    name = "fulfillment.on_hold"


@dataclasses.dataclass(frozen=True)
class FulfillmentReopened(OrderEvent):
    """Released from hold before it was ever accepted: open again."""

    name = "fulfillment.open"


# A location's step through its queue, by the fulfillment order's new status (a release from
# hold after acceptance reports "accepted" again).
STEPPED: dict[str, type[OrderEvent]] = {
    fs.ACCEPTED: FulfillmentAccepted,
    fs.PICKING: FulfillmentPickingStarted,
    fs.PACKED: FulfillmentPacked,
    fs.ON_HOLD: FulfillmentPutOnHold,
    fs.OPEN: FulfillmentReopened,
}


@dataclasses.dataclass(frozen=True)
class OrderReadyForPickup(OrderEvent):
    name = "order.ready_for_pickup"


@dataclasses.dataclass(frozen=True)
class OrderPickedUp(OrderEvent):
    name = "order.picked_up"


@dataclasses.dataclass(frozen=True)
class OrderPickupExpired(OrderEvent):
    name = "order.pickup_expired"


@dataclasses.dataclass(frozen=True)
class OrderRerouted(OrderEvent):
    name = "order.rerouted"


@dataclasses.dataclass(frozen=True)
class OrderShipped(OrderEvent):
    name = "order.shipped"


@dataclasses.dataclass(frozen=True)
class OrderDelivered(OrderEvent):
    name = "order.delivered"


@dataclasses.dataclass(frozen=True)
class OrderBackorderFilled(OrderEvent):
    name = "order.backorder_filled"
