"""Shapes of the fulfillment API. Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, MAX_LINE_QUANTITY, Code
from ordino.fulfillment.domain.status import STATUSES


class StrictIn(Schema):
    # strict: JSON types as documented (true is no line number, "1" no integer)
    model_config = ConfigDict(extra="forbid", strict=True)


TrackingNumber = Annotated[str, Field(min_length=1, max_length=64)]


class LineQuantityIn(StrictIn):
    line_no: int = Field(..., gt=0, le=MAX_INT)
    quantity: int = Field(..., gt=0, le=MAX_LINE_QUANTITY)


class PackageIn(StrictIn):
    weight_grams: int = Field(..., gt=0, le=1_000_000)
    tracking_number: str = Field("", max_length=64)


class ShipIn(StrictIn):
    carrier: str = Field(..., min_length=1, max_length=64)
    service: str = Field("", max_length=64)
    tracking_numbers: list[TrackingNumber] = Field(..., min_length=1, max_length=50)
    packages: list[PackageIn] = Field(default_factory=list, max_length=100)
    lines: list[LineQuantityIn] | None = Field(
        None,
        max_length=500,
        description="Omit to ship every open item; give lines for a partial shipment",
    )


class RejectIn(StrictIn):
    reason: Literal["not_found", "damaged", "no_capacity", "other"]
    lines: list[LineQuantityIn] | None = Field(
        None, max_length=500, description="Omit to reject every open item"
    )
    note: str = Field("", max_length=255)


class HoldIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=255)


class ReadyIn(StrictIn):
    pickup_days: int | None = Field(None, ge=1, le=90)


class PickedUpIn(StrictIn):
    pickup_code: str = Field(
        ...,
        min_length=1,
        max_length=16,
        description="The code the customer was given when the order became ready for pickup",
    )


class FulfillmentFilters(Schema):
    location: Code | None = None
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    order: int | None = Field(None, ge=1, le=MAX_INT, description="Order id")


class FulfillmentLineOut(Schema):
    line_no: int
    sku: str
    name: str
    quantity: int
    quantity_open: int
    quantity_shipped: int
    quantity_rejected: int
    quantity_cancelled: int


class ShipmentOut(Schema):
    id: int
    carrier: str
    service: str
    tracking_numbers: list[str]
    packages: list[dict[str, Any]]
    lines: list[dict[str, Any]]
    shipped_at: datetime
    delivered_at: datetime | None


class FulfillmentOut(Schema):
    id: int
    order_id: int
    order_external_id: str
    location: str
    status: str
    delivery_method: str
    version: int
    created_at: datetime
    updated_at: datetime
    accepted_at: datetime | None
    shipped_at: datetime | None
    ready_at: datetime | None
    pickup_deadline: datetime | None
    pickup_code: str = Field(
        description="Given to the customer when ready for pickup; asked at the handover"
    )
    closed_at: datetime | None
    shipping_address: dict[str, Any] | None
    lines: list[FulfillmentLineOut]
    shipments: list[ShipmentOut]


class RejectOut(Schema):
    fulfillment_order_id: int
    reason: str
    rejected: list[dict[str, Any]]
    rerouted_to: list[dict[str, Any]]
    backordered: list[dict[str, Any]]
