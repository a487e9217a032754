"""Input and output shapes of the orders API. Inputs forbid unknown fields."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, IsoDateTime


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class AddressIn(StrictIn):
    name: str = Field("", max_length=255)
    company: str = Field("", max_length=255)
    line1: str = Field(..., min_length=1, max_length=255)
    line2: str = Field("", max_length=255)
    city: str = Field(..., min_length=1, max_length=128)
    region: str = Field("", max_length=128)
    postal_code: str = Field("", max_length=32)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    phone: str = Field("", max_length=32)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)


class CustomerIn(StrictIn):
    external_id: str = Field("", max_length=128)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    first_name: str = Field("", max_length=128)
    last_name: str = Field("", max_length=128)


class OrderLineIn(StrictIn):
    sku: str = Field(..., min_length=1, max_length=64)
    quantity: int = Field(..., gt=0, le=1_000_000)
    unit_price: Decimal = Field(..., ge=0)
    discount: Decimal = Field(Decimal(0), ge=0, description="Line-level discount amount")
    tax: Decimal = Field(Decimal(0), ge=0, description="Tax amount of this line")
    name: str = Field("", max_length=255)
    external_id: str = Field("", max_length=128)


class OrderCreateIn(StrictIn):
    channel: str = Field(..., min_length=1, max_length=64, description="Channel code")
    external_id: str = Field(..., min_length=1, max_length=128)
    currency: str = Field(..., min_length=3, max_length=3)
    placed_at: IsoDateTime | None = None
    customer: CustomerIn | None = None
    shipping_address: AddressIn | None = None
    billing_address: AddressIn | None = None
    delivery_method: Literal["ship", "pickup", "ship_to_store"] = Field(
        "ship",
        description="ship: to the shipping address; pickup: collected at `pickup_location` from "
        "its own shelves; ship_to_store: shipped to `pickup_location`, collected there",
    )
    pickup_location: str | None = Field(
        None, max_length=64, description="Store code, for pickup and ship_to_store"
    )
    lines: list[OrderLineIn] = Field(..., min_length=1, max_length=500)
    shipping_price: Decimal = Field(Decimal(0), ge=0)
    shipping_tax: Decimal = Field(Decimal(0), ge=0)
    discount: Decimal = Field(
        Decimal(0),
        ge=0,
        description="Order-level discount, allocated to lines by largest remainder",
    )
    total: Decimal | None = Field(
        None, ge=0, description="The channel's grand total; refused when it differs from ours"
    )
    tags: list[str] = Field(default_factory=list, max_length=50)
    raw_payload: dict[str, Any] | None = Field(
        None, description="The channel's payload, kept as is"
    )


class OrderCancelLineIn(StrictIn):
    line_no: int = Field(..., gt=0)
    quantity: int = Field(..., gt=0)


class OrderCancelIn(StrictIn):
    reason: str = Field("", max_length=255)
    lines: list[OrderCancelLineIn] | None = Field(
        None, description="Omit to cancel everything not yet shipped"
    )


class OrderEditLineIn(StrictIn):
    line_no: int = Field(..., gt=0)
    quantity: int = Field(
        ...,
        gt=0,
        le=1_000_000,
        description="The quantity the customer is to receive (ordered − cancelled); "
        "use remove_lines to remove a line",
    )


class OrderEditIn(StrictIn):
    expected_version: int | None = Field(
        None, ge=1, description="Refuse the edit (409 order_changed) unless the order is at it"
    )
    add_lines: list[OrderLineIn] = Field(default_factory=list, max_length=500)
    change_lines: list[OrderEditLineIn] = Field(default_factory=list, max_length=500)
    remove_lines: list[Annotated[int, Field(gt=0)]] = Field(
        default_factory=list, max_length=500, description="Line numbers to remove"
    )
    shipping_address: AddressIn | None = Field(
        None, description="The new shipping address (ship orders only)"
    )
    reason: str = Field("", max_length=255)


class OrderChangeOut(Schema):
    kind: str
    version: int
    amount_delta: str
    data: dict[str, Any]
    reason: str
    actor: str
    created_at: datetime


class AllocationOut(Schema):
    location: str
    quantity: int = Field(description="Items reserved at the location and not yet shipped")


class OrderFulfillmentLineOut(Schema):
    line_no: int
    quantity: int
    quantity_open: int
    quantity_shipped: int
    quantity_rejected: int
    quantity_cancelled: int


class OrderFulfillmentOut(Schema):
    id: int
    location: str
    status: str
    delivery_method: str
    lines: list[OrderFulfillmentLineOut]


class OrderLineOut(Schema):
    line_no: int
    sku: str
    name: str
    external_id: str
    quantity: int
    quantity_cancelled: int
    quantity_backordered: int
    quantity_allocated: int
    quantity_shipped: int
    quantity_delivered: int
    quantity_returned: int
    unit_price: str
    line_discount: str
    order_discount: str
    tax: str
    total: str
    allocations: list[AllocationOut]


class OrderOut(Schema):
    id: int
    channel: str
    external_id: str
    status: str
    version: int
    currency: str
    customer_id: int | None
    email: str
    phone: str
    delivery_method: str
    pickup_location: str | None
    shipping_address: dict[str, Any] | None
    billing_address: dict[str, Any] | None
    subtotal: str
    discount_total: str
    tax_total: str
    shipping_price: str
    shipping_tax: str
    grand_total: str
    current_total: str
    tags: list[str]
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    lines: list[OrderLineOut]
    fulfillment_orders: list[OrderFulfillmentOut]


class OrderCaptureOut(OrderOut):
    replayed: bool = Field(
        description="True when this request changed nothing: the same order had been captured "
        "before, or this is the stored answer replayed for its Idempotency-Key"
    )


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    message: str
    actor: str
    data: dict[str, Any]


class OrderFilters(Schema):
    channel: str | None = None
    status: str | None = None
    customer: int | None = Field(None, ge=1, le=MAX_INT, description="Customer id")
    external_id: str | None = None
    created_after: IsoDateTime | None = None
    created_before: IsoDateTime | None = None
