"""The facts orders report (see docs/events.md for the catalog, with each event's details).

What a location does to an order (fulfillment tells the order through `fulfillment/ports.py`) is
reported here too, as the order's events: the order records it on its timeline."""

from __future__ import annotations

import dataclasses
from typing import Any, Self

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class OrderEvent(Event):
    """Something happened to an order: its id, its status after, and the event's details
    (flat beside them in the payload, as the order's timeline records them)."""

    aggregate_type = "order"

    order_id: int
    status: str
    details: dict[str, Any] = dataclasses.field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "status": self.status, **self.details}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        details = {k: v for k, v in payload.items() if k not in ("order_id", "status")}
        return cls(order_id=payload["order_id"], status=payload["status"], details=details)


@dataclasses.dataclass(frozen=True)
class OrderCaptured(OrderEvent):
    name = "order.captured"


@dataclasses.dataclass(frozen=True)
class OrderEdited(OrderEvent):
    name = "order.edited"


@dataclasses.dataclass(frozen=True)
class OrderCancelled(OrderEvent):
    """The whole order was cancelled."""

    name = "order.cancelled"


@dataclasses.dataclass(frozen=True)
class OrderLinesCancelled(OrderEvent):
    """Some of the order's units were cancelled; the rest goes on."""

    name = "order.lines_cancelled"


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


@dataclasses.dataclass(frozen=True)
class OrderReturned(OrderEvent):
    """Units came back in a return (orders/services/returns.py): the returned bucket moved."""

    name = "order.returned"


# The event of each timeline kind the order records for its locations' work.
EVENT_OF_KIND: dict[str, type[OrderEvent]] = {
    "fulfillment_accepted": FulfillmentAccepted,
    "fulfillment_picking": FulfillmentPickingStarted,
    "fulfillment_packed": FulfillmentPacked,
    "fulfillment_on_hold": FulfillmentPutOnHold,
    "fulfillment_open": FulfillmentReopened,
    "ready_for_pickup": OrderReadyForPickup,
    "picked_up": OrderPickedUp,
    "pickup_expired": OrderPickupExpired,
    "rejected": OrderRerouted,
    "shipped": OrderShipped,
    "delivered": OrderDelivered,
}
