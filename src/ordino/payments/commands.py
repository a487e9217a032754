"""What the payments use cases are asked to do, as plain typed values (the API, the console,
returns and exchanges build the same commands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

METHODS = ("card", "bank_transfer", "cash_on_delivery", "marketplace", "store_credit", "other")
PROVIDERS = ("offline", "test", "stripe", "store_credit")
REFUND_TO = ("original", "store_credit")


@dataclass(frozen=True)
class NewPayment:
    """A payment to record on an order. `amount`: default the order's remainder (its current
    total less the other payments' amounts)."""

    method: str
    provider: str
    token: str = ""
    amount: Decimal | None = None
    brand: str = ""
    last4: str = ""


@dataclass(frozen=True)
class RefundLine:
    line_no: int
    quantity: int


@dataclass(frozen=True)
class RefundOrder:
    """Give money back: some shipped units of lines (their money, tax included), shipping, and
    goodwill. `source`: what asked for it, e.g. "return:12" (returns, exchanges)."""

    order_id: int
    lines: tuple[RefundLine, ...] = ()
    shipping: Decimal = Decimal(0)
    goodwill: Decimal = Decimal(0)
    reason: str = ""
    actor: str = ""
    source: str = ""
    to: str = "original"  # or "store_credit": the customer's credit, no provider call
    # to store credit only: when what is left of the credit expires (docs/payments.md)
    expires_at: datetime | None = None
