"""The facts orders report (see docs/events.md for the catalog, with each event's details)."""

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
