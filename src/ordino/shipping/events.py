"""The facts tracking reports (catalog: docs/events.md). About the order (aggregate "order"),
so an order's events read as one story; wiring.py subscribes fulfillment's delivery and the
inbox's cases to them (docs/shipping.md, "Tracking")."""

from __future__ import annotations

import dataclasses

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class TrackingNews(Event):
    aggregate_type = "order"

    order_id: int
    fulfillment_order_id: int
    shipment_id: int
    tracker_id: int
    carrier: str
    tracking_number: str
    status: str
    description: str = ""


@dataclasses.dataclass(frozen=True)
class TrackingDelivered(TrackingNews):
    """A parcel's tracking reached delivered: its fulfillment order is delivered once all its
    parcels are."""

    name = "tracking.delivered"


@dataclasses.dataclass(frozen=True)
class TrackingFailed(TrackingNews):
    """A parcel will not arrive (failure, returned to sender): one case in the inbox."""

    name = "tracking.failed"


@dataclasses.dataclass(frozen=True)
class TrackingOutForDelivery(TrackingNews):
    """A parcel's tracking first reached out for delivery: the customer's e-mail."""

    name = "tracking.out_for_delivery"
