"""Input and output shapes of the invoices API (inputs strict and bounded like orders')."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, MAX_LINE_QUANTITY, Amount

LineNo = Annotated[int, Field(gt=0, le=MAX_INT)]
Units = Annotated[int, Field(ge=0, le=MAX_LINE_QUANTITY)]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class CreditLineIn(StrictIn):
    line_no: LineNo
    quantity: Units = 0
    amount: Amount = Field(..., description="Given back for the line, tax included")
    tax: Amount = Field(Decimal(0), description="The tax part of `amount`")


class CreditNoteIn(StrictIn):
    lines: list[CreditLineIn] = Field(default_factory=list, max_length=500)
    shipping: Amount = Decimal(0)
    shipping_tax: Amount = Decimal(0)
    reason: str = Field("", max_length=255)


class InvoiceLineOut(Schema):
    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Field(description="The units' share of the line's discounts (net after)")
    net: Decimal
    tax: Decimal
    tax_rate: Decimal | None = Field(description="The percentage the line was taxed at")
    total: Decimal


class InvoiceOut(Schema):
    id: int
    kind: str = Field(..., description="invoice | credit_note")
    number: str
    order_id: int
    reference: str = Field(..., description="shipment:<id>, pickup:<id>, refund:<id>, manual:…")
    reason: str
    issued_at: datetime
    currency: str
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    shipping_net: Decimal
    shipping_tax: Decimal
    status: str = Field(..., description="issued | sent")
    sent_at: datetime | None
    email: str
    seller: dict
    buyer: dict
    lines: list[InvoiceLineOut]
    pdf_url: str
