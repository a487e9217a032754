"""Input and output shapes of the returns API. Inputs forbid unknown fields, take JSON types as
documented and are bounded to what is stored."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, MAX_LINE_QUANTITY, Code
from ordino.orders.schemas import OrderLineIn
from ordino.returns.commands import (
    CreateExchange,
    ReceiveLine,
    ReceiveReturn,
    RequestLine,
    RequestReturn,
)
from ordino.returns.domain.eligibility import REASONS
from ordino.returns.domain.states import STATES

LineNo = Annotated[int, Field(gt=0, le=MAX_INT)]
Quantity = Annotated[int, Field(gt=0, le=MAX_LINE_QUANTITY)]
Units = Annotated[int, Field(ge=0, le=MAX_LINE_QUANTITY)]
Reason = Literal[REASONS]  # type: ignore[valid-type]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class ReturnLineIn(StrictIn):
    line_no: LineNo
    quantity: Quantity
    reason: Reason | None = Field(None, description="The return's reason when omitted")


class ReturnRequestIn(StrictIn):
    location: Code = Field(..., description="The location code that receives the units")
    reason: Reason
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=500)
    customer_note: str = Field("", max_length=500)

    def command(self, *, order_id: int, actor: str) -> RequestReturn:
        return RequestReturn(
            order_id=order_id,
            lines=tuple(RequestLine(i.line_no, i.quantity, i.reason or "") for i in self.lines),
            reason=self.reason,
            location_code=self.location,
            customer_note=self.customer_note,
            actor=actor,
        )


class ReturnApproveIn(StrictIn):
    carrier: str = Field("", max_length=64)
    tracking_number: str = Field("", max_length=128)


class ReturnReasonIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=255)


class ReturnCancelIn(StrictIn):
    reason: str = Field("", max_length=255)


class ReturnReceiveLineIn(StrictIn):
    line_no: LineNo
    restock: Units = 0
    damaged: Units = 0
    needs_processing: Units = 0
    missing: Units = 0


class ReturnReceiveIn(StrictIn):
    lines: list[ReturnReceiveLineIn] = Field(..., min_length=1, max_length=500)

    def command(self, *, return_id: int, actor: str) -> ReceiveReturn:
        return ReceiveReturn(
            return_id=return_id,
            lines=tuple(
                ReceiveLine(i.line_no, i.restock, i.damaged, i.needs_processing, i.missing)
                for i in self.lines
            ),
            actor=actor,
        )


class ReturnFilters(Schema):
    order_id: int | None = Field(None, ge=1, le=MAX_INT)
    state: Literal[STATES] | None = None  # type: ignore[valid-type]


class ReturnLineOut(Schema):
    line_no: int
    sku: str
    quantity: int
    reason: str
    restock: int
    damaged: int
    needs_processing: int
    missing: int
    received: int
    refund_total: str
    refund_tax: str


class ReturnShipmentOut(Schema):
    location: str
    state: str
    carrier: str
    tracking_number: str
    received_at: datetime | None


class ReturnOut(Schema):
    id: int
    number: str
    order_id: int
    order_external_id: str
    state: str
    reason: str
    customer_note: str
    location: str
    created_via: str
    actor: str
    decline_reason: str
    currency: str
    refund_total: str
    refund_tax: str
    created_at: datetime
    approved_at: datetime | None
    received_at: datetime | None
    closed_at: datetime | None
    lines: list[ReturnLineOut]
    shipments: list[ReturnShipmentOut]


class ReturnPolicyIn(StrictIn):
    channel: Code | None = None
    sku: Code | None = None
    window_days: int = Field(..., ge=0, le=3650)
    returnable: bool = True


class ReturnPolicyOut(Schema):
    id: int
    channel: str | None
    sku: str | None
    window_days: int
    returnable: bool
    updated_at: datetime
    actor: str


class ReturnLinkOut(Schema):
    order_id: int
    path: str
    url: str
    expires_at: datetime


class ExchangeIn(StrictIn):
    """Return `lines` (to `location`) for `new_lines`; `preview`: answer what it would do and
    change nothing (docs/returns.md, "Exchanges")."""

    location: Code = Field(..., description="The location code that receives the returned units")
    reason: Reason
    lines: list[ReturnLineIn] = Field(..., min_length=1, max_length=500)
    new_lines: list[OrderLineIn] = Field(..., min_length=1, max_length=500)
    refund_now: bool = Field(
        False, description="When the merchant owes the difference: refund it now, not on receipt"
    )
    expected_version: int | None = Field(
        None, ge=1, le=MAX_INT, description="Refuse (409 order_changed) unless the order is at it"
    )
    customer_note: str = Field("", max_length=500)
    preview: bool = Field(False, description="Answer what the exchange would do; change nothing")

    def command(self, *, order_id: int, actor: str) -> CreateExchange:
        return CreateExchange(
            order_id=order_id,
            lines=tuple(RequestLine(i.line_no, i.quantity, i.reason or "") for i in self.lines),
            new_lines=tuple(line.command() for line in self.new_lines),
            reason=self.reason,
            location_code=self.location,
            actor=actor,
            refund_now=self.refund_now,
            expected_version=self.expected_version,
            note=self.customer_note,
        )


class ExchangeFilters(Schema):
    order_id: int | None = Field(None, ge=1, le=MAX_INT)


class ExchangeAllocationOut(Schema):
    location: str
    quantity: int


class ExchangeNewLineOut(Schema):
    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: str
    tax: str
    total: str
    allocated: list[ExchangeAllocationOut]
    backordered: int


class ExchangeOut(Schema):
    id: int | None = Field(..., description="The exchange's return id; null in a preview")
    preview: bool
    order_id: int
    currency: str
    order_version: int | None = Field(..., description="The order's change of kind exchange")
    direction: Literal["even", "customer_owes", "merchant_owes"]
    returned: str
    returned_tax: str
    added: str
    added_tax: str
    difference: str = Field(..., description="added − returned: the customer pays if positive")
    tax_difference: str
    charge: str = Field(..., description="Charged to the customer now (a new payment)")
    refund_now: str
    refund_on_receipt: str
    payment_id: int | None
    refund_id: int | None
    new_lines: list[ExchangeNewLineOut]
    created_at: datetime
    rma: ReturnOut = Field(..., description="The exchange's return: its lines, state, receipts")
