"""Input and output shapes of the orders API. Inputs forbid unknown fields and take JSON types
as documented ("2" is no integer, true no quantity); every value is bounded to what is stored."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from ordino.core.params import (
    MAX_INT,
    MAX_LINE_QUANTITY,
    Amount,
    Code,
    Country,
    Currency,
    IsoDate,
    IsoDateTime,
    PlacedAt,
    Tags,
)
from ordino.orders.commands import (
    CaptureOrder,
    CapturePayment,
    EditOrder,
    LineItem,
    OrderAddress,
    OrderCustomer,
)
from ordino.orders.domain.status import STATUSES

# the days a channel may promise: what every database stores and a date steps past
FIRST_PROMISE, LAST_PROMISE = date(1970, 1, 1), date(9998, 12, 31)
LineNo = Annotated[int, Field(gt=0, le=MAX_INT)]
Quantity = Annotated[int, Field(gt=0, le=MAX_LINE_QUANTITY)]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class OrderAddressIn(StrictIn):
    name: str = Field("", max_length=255)
    company: str = Field("", max_length=255)
    line1: str = Field(..., min_length=1, max_length=255)
    line2: str = Field("", max_length=255)
    city: str = Field(..., min_length=1, max_length=128)
    region: str = Field("", max_length=128)
    postal_code: str = Field("", max_length=32)
    country: Country
    phone: str = Field("", max_length=32)
    latitude: Decimal | None = Field(None, ge=-90, le=90, decimal_places=6, strict=False)
    longitude: Decimal | None = Field(None, ge=-180, le=180, decimal_places=6, strict=False)

    def command(self) -> OrderAddress:
        # __dict__: the fields as parsed, nothing else (extra fields are forbidden); the fast way
        return OrderAddress(**self.__dict__)


class OrderCustomerIn(StrictIn):
    external_id: str = Field("", max_length=128)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    first_name: str = Field("", max_length=128)
    last_name: str = Field("", max_length=128)

    def command(self) -> OrderCustomer:
        return OrderCustomer(**self.__dict__)


class OrderLineIn(StrictIn):
    sku: Code
    quantity: Quantity
    unit_price: Amount
    discount: Amount = Field(Decimal(0), description="Line-level discount amount")
    tax: Amount | None = Field(
        None,
        description="Tax amount of this line (included in the price when the channel's prices "
        "include tax); omitted: computed from the tax rates (docs/tax.md). Give it on every "
        "line or on none.",
    )
    name: str = Field("", max_length=255)
    external_id: str = Field("", max_length=128)

    def command(self) -> LineItem:
        return LineItem(**self.__dict__)


class OrderPaymentIn(StrictIn):
    """A payment of the order: the provider's token, never a card number (refused)."""

    method: Literal[
        "card", "bank_transfer", "cash_on_delivery", "marketplace", "store_credit", "other"
    ]
    provider: Literal["offline", "test", "stripe", "store_credit"]
    token: str = Field("", max_length=255, description="The provider's payment-method token")
    amount: Amount | None = Field(None, description="Default: what the order's total leaves")
    brand: str = Field("", max_length=32)
    last4: str = Field("", max_length=4, pattern=r"^(\d{4})?$")
    card_fingerprint: str = Field(
        "", max_length=128, pattern=r"^[A-Za-z0-9_\-]*$",
        description="The provider's fingerprint of the card (fraud screening's velocity)",
    )  # fmt: skip
    card_holder: str = Field("", max_length=255, description="The name on the card")

    def command(self) -> CapturePayment:
        return CapturePayment(**self.__dict__)


class OrderCreateIn(StrictIn):
    channel: Code = Field(..., description="Channel code")
    external_id: str = Field(..., min_length=1, max_length=128)
    currency: Currency
    placed_at: PlacedAt | None = Field(
        None, description="When the channel took the order: 1970 to a day from now; default now"
    )
    customer: OrderCustomerIn | None = None
    shipping_address: OrderAddressIn | None = None
    billing_address: OrderAddressIn | None = None
    delivery_method: Literal["ship", "pickup", "ship_to_store"] = Field(
        "ship",
        description="ship: to the shipping address; pickup: collected at `pickup_location` from "
        "its own shelves; ship_to_store: shipped to `pickup_location`, collected there",
    )
    pickup_location: str | None = Field(
        None, max_length=64, description="Store code, for pickup and ship_to_store"
    )
    origin_location: str | None = Field(
        None,
        max_length=64,
        description="The till (location code) capturing the order; a token limited to one "
        "location sets it by itself",
    )
    promised_delivery: IsoDate | None = Field(
        None,
        ge=FIRST_PROMISE,
        le=LAST_PROMISE,
        description="The day the channel promised delivery by (its checkout's estimate); the "
        "rate shop's promise for cheapest_on_time. Not before the day the order was placed.",
    )
    lines: list[OrderLineIn] = Field(..., min_length=1, max_length=500)
    shipping_price: Amount = Decimal(0)
    shipping_tax: Amount | None = Field(
        None,
        description="Omitted: computed with the lines' tax when they omit it, else 0",
    )
    discount: Amount = Field(
        Decimal(0),
        description="Order-level discount, allocated to lines by largest remainder",
    )
    total: Amount | None = Field(
        None, description="The channel's grand total; refused when it differs from ours"
    )
    tags: Tags = Field(default_factory=list)
    raw_payload: dict[str, Any] | None = Field(
        None,
        description="The channel's payload, kept as is; at most ORDINO_RAW_PAYLOAD_MAX_BYTES "
        "as compact JSON (default 64 KiB)",
    )
    payments: list[OrderPaymentIn] = Field(
        default_factory=list,
        max_length=10,
        description="How the order is paid; amounts in its currency, adding up to at most its "
        "total (docs/payments.md)",
    )

    @field_validator("raw_payload")
    @classmethod
    def _raw_payload_capped(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        limit = settings.ORDINO_RAW_PAYLOAD_MAX_BYTES
        if value is not None and _json_size(value) > limit:
            raise PydanticCustomError(
                "raw_payload_too_large",
                "The raw payload is larger than {limit} bytes of JSON.",
                {"limit": limit},
            )
        return _json_storable(value) if value is not None else None

    def command(self) -> CaptureOrder:
        """The capture as the use case takes it (`orders/commands.py`)."""
        return CaptureOrder(
            channel=self.channel,
            external_id=self.external_id,
            currency=self.currency,
            lines=tuple(line.command() for line in self.lines),
            placed_at=self.placed_at,
            customer=self.customer.command() if self.customer is not None else None,
            shipping_address=_address(self.shipping_address),
            billing_address=_address(self.billing_address),
            delivery_method=self.delivery_method,
            pickup_location=self.pickup_location,
            origin_location=self.origin_location,
            promised_delivery=self.promised_delivery,
            shipping_price=self.shipping_price,
            shipping_tax=self.shipping_tax,
            discount=self.discount,
            total=self.total,
            tags=tuple(self.tags),
            raw_payload=self.raw_payload,
            payments=tuple(p.command() for p in self.payments),
        )


def _address(value: OrderAddressIn | None) -> OrderAddress | None:
    return value.command() if value is not None else None


def _json_storable(value: Any) -> Any:
    """The payload as both databases' JSON columns take it: numbers (read as Decimal, so that
    amounts stay exact) become JSON numbers again; one no double holds (1e400, NaN) its text."""
    if isinstance(value, dict):
        return {key: _json_storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_storable(item) for item in value]
    if isinstance(value, Decimal | float):
        number = float(value)
        return number if math.isfinite(number) else str(Decimal(value))
    return value


def _json_size(value: Any) -> int:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    return len(text.encode())


class OrderCancelLineIn(StrictIn):
    line_no: LineNo
    quantity: Quantity


class OrderCancelIn(StrictIn):
    reason: str = Field("", max_length=255)
    lines: list[OrderCancelLineIn] | None = Field(
        None, max_length=500, description="Omit to cancel everything not yet shipped"
    )


class OrderEditLineIn(StrictIn):
    line_no: LineNo
    quantity: Quantity = Field(
        ...,
        description="The quantity the customer is to receive (ordered − cancelled); "
        "use remove_lines to remove a line",
    )


class OrderEditIn(StrictIn):
    expected_version: int | None = Field(
        None,
        ge=1,
        le=MAX_INT,
        description="Refuse the edit (409 order_changed) unless the order is at it",
    )
    add_lines: list[OrderLineIn] = Field(default_factory=list, max_length=500)
    change_lines: list[OrderEditLineIn] = Field(default_factory=list, max_length=500)
    remove_lines: list[LineNo] = Field(
        default_factory=list, max_length=500, description="Line numbers to remove"
    )
    shipping_address: OrderAddressIn | None = Field(
        None, description="The new shipping address (ship orders only)"
    )
    reason: str = Field("", max_length=255)

    def command(self, order_id: int) -> EditOrder:
        """The edit as the use case takes it (`orders/commands.py`)."""
        return EditOrder(
            order_id=order_id,
            expected_version=self.expected_version,
            add_lines=tuple(line.command() for line in self.add_lines),
            change_lines=tuple((line.line_no, line.quantity) for line in self.change_lines),
            remove_lines=tuple(self.remove_lines),
            shipping_address=_address(self.shipping_address),
            reason=self.reason,
        )


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
    tax_rate: str | None = Field(
        None, description="The rate (%) Ordino taxed the line at; null: the channel's tax"
    )
    tax_rate_name: str = ""
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
    origin_location: str | None
    promised_delivery: date | None
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


class OrderCommentIn(StrictIn):
    text: str = Field(
        ..., min_length=1, max_length=2000, description="The comment, 1..2000 characters"
    )


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    message: str
    actor: str
    data: dict[str, Any]


class OrderFilters(Schema):
    channel: str | None = Field(None, max_length=64)
    status: Literal[STATUSES] | None = None  # type: ignore[valid-type]
    customer: int | None = Field(None, ge=1, le=MAX_INT, description="Customer id")
    external_id: str | None = Field(None, max_length=128)
    created_after: IsoDateTime | None = None
    created_before: IsoDateTime | None = None
