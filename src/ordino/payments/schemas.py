"""Input and output shapes of the payments API. Inputs forbid unknown fields, are strictly
typed and bounded to what is stored."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from ordino.core.params import MAX_INT, MAX_LINE_QUANTITY, Amount, IsoDateTime
from ordino.payments.commands import NewPayment, RefundLine, RefundOrder


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


class PaymentIn(StrictIn):
    """A payment of the order: the provider's token, never a card number (refused)."""

    method: Literal[
        "card", "bank_transfer", "cash_on_delivery", "marketplace", "store_credit", "other"
    ]
    provider: Literal["offline", "test", "stripe", "store_credit"] = Field(
        ..., description="store_credit with the method store_credit (the order's customer's)"
    )
    token: str = Field("", max_length=255, description="The provider's payment-method token")
    amount: Amount | None = Field(None, description="Default: what the order's total leaves")
    brand: str = Field("", max_length=32)
    last4: str = Field("", max_length=4, pattern=r"^(\d{4})?$")

    def command(self) -> NewPayment:
        return NewPayment(**self.__dict__)


class OrderRefundLineIn(StrictIn):
    line_no: Annotated[int, Field(gt=0, le=MAX_INT)]
    quantity: Annotated[int, Field(gt=0, le=MAX_LINE_QUANTITY)]


class OrderRefundIn(StrictIn):
    lines: list[OrderRefundLineIn] = Field(default_factory=list, max_length=500)
    shipping: Amount = Field(Decimal(0), description="Shipping to give back")
    goodwill: Amount = Field(Decimal(0), description="A gesture beyond the lines' money")
    reason: str = Field(..., min_length=1, max_length=255)
    to: Literal["original", "store_credit"] = Field(
        "original",
        description="original: back to the payments; store_credit: the customer's store credit",
    )
    expires_at: IsoDateTime | None = Field(
        None,
        description="with to=store_credit only: when what is left of the credit expires (after "
        "now, within ten years; spent soonest-expiring first); omit: never",
    )

    def command(self, order_id: int, actor: str) -> RefundOrder:
        return RefundOrder(
            order_id=order_id,
            lines=tuple(RefundLine(x.line_no, x.quantity) for x in self.lines),
            shipping=self.shipping,
            goodwill=self.goodwill,
            reason=self.reason,
            actor=actor,
            to=self.to,
            expires_at=self.expires_at,
        )


class RefundResendIn(StrictIn):
    to: Literal["original", "store_credit"] = Field(
        "original",
        description="original: back to the payments again; store_credit: the customer's credit",
    )


class PaymentOut(Schema):
    id: int
    sequence: int
    method: str
    provider: str
    brand: str
    last4: str
    amount: Decimal
    currency: str
    status: str
    authorization_expires_at: datetime | None


class OrderRefundLineOut(Schema):
    line_no: int
    quantity: int
    amount: Decimal
    tax: Decimal


class OrderRefundOut(Schema):
    id: int
    order_id: int
    amount: Decimal
    currency: str
    lines: list[OrderRefundLineOut]
    shipping: Decimal
    goodwill: Decimal
    reason: str
    source: str
    to: str
    status: str
    created_at: datetime


class PaymentBalanceOut(Schema):
    id: int
    sequence: int
    method: str
    provider: str
    brand: str
    last4: str
    amount: Decimal
    status: str
    authorization_expires_at: datetime | None
    authorized: Decimal
    captured: Decimal
    refunded: Decimal
    voided: Decimal
    disputed: Decimal = Field(description="Lost chargebacks: captured money the bank took back")
    dispute_status: str = Field(description="The last dispute's (Stripe's words), or empty")
    dispute_amount: Decimal = Field(description="The last dispute's amount")
    open: Decimal = Field(description="Authorized, not captured nor voided")
    refundable: Decimal
    outstanding: Decimal = Field(description="Of the payment's amount, not captured nor voided")
    retryable: bool


class LineMoneyOut(Schema):
    line_no: int = Field(description="0: the order's shipping and other order-level money")
    ordered: Decimal
    captured: Decimal
    refunded: Decimal
    returned: Decimal = Field(description="The returned units' share of the line's money")
    exchanged: Decimal = Field(
        description="Of returned, what exchanges took back: it paid for their new lines, so "
        "outstanding leaves it out"
    )
    outstanding: Decimal = Field(description="Of the line's money, not captured yet")


class PaymentTransactionOut(Schema):
    id: int
    payment_id: int
    kind: str
    amount: Decimal
    status: str
    declined: bool
    error: str
    created_at: datetime
    finished_at: datetime | None


class OrderRefundSummaryOut(Schema):
    id: int
    amount: Decimal
    shipping: Decimal
    goodwill: Decimal
    lines: list[OrderRefundLineOut]
    reason: str
    source: str
    to: str = "original"
    status: str
    created_at: datetime


class OrderBalanceOut(Schema):
    order_id: int
    currency: str
    ordered: Decimal = Field(description="The order's current total")
    authorized: Decimal
    captured: Decimal
    refunded: Decimal
    voided: Decimal
    outstanding: Decimal = Field(
        description="Still owed: the current total and refunds of returns, less captured"
    )
    disputed: Decimal = Field(description="Lost chargebacks: captured money that is gone")
    overpaid: Decimal = Field(description="Captured, not refunded, beyond the current total")
    goodwill_refunded: Decimal
    returns_refunded: Decimal = Field(
        description="Refunds that gave back what returns took off the total"
    )
    payments: list[PaymentBalanceOut]
    lines: list[LineMoneyOut]
    transactions: list[PaymentTransactionOut]
    refunds: list[OrderRefundSummaryOut]
