"""The facts payments report (catalog: docs/events.md). About the order (aggregate "order"),
so an order's events read as one story."""

from __future__ import annotations

import dataclasses
from typing import Any

from ordino.events.types import Event


@dataclasses.dataclass(frozen=True)
class PaymentEvent(Event):
    aggregate_type = "order"

    order_id: int
    payment_id: int
    amount: str  # decimal text, exact in the currency
    currency: str
    transaction_id: int | None = None
    message: str = ""


@dataclasses.dataclass(frozen=True)
class PaymentAdded(PaymentEvent):
    """A payment recorded (at capture or later): to authorize."""

    name = "payment.added"


@dataclasses.dataclass(frozen=True)
class PaymentAuthorized(PaymentEvent):
    name = "payment.authorized"


@dataclasses.dataclass(frozen=True)
class PaymentDeclined(PaymentEvent):
    name = "payment.declined"


@dataclasses.dataclass(frozen=True)
class PaymentCaptured(PaymentEvent):
    name = "payment.captured"


@dataclasses.dataclass(frozen=True)
class PaymentVoided(PaymentEvent):
    name = "payment.voided"


@dataclasses.dataclass(frozen=True)
class RefundEvent(Event):
    aggregate_type = "order"

    order_id: int
    refund_id: int
    amount: str
    currency: str
    lines: list[dict[str, Any]] = dataclasses.field(
        default_factory=list
    )  # line_no, quantity, amount, tax
    shipping: str = "0"
    goodwill: str = "0"
    reason: str = ""
    source: str = ""


@dataclasses.dataclass(frozen=True)
class RefundRecorded(RefundEvent):
    """Recorded, to send to the providers; invoices issue a credit note from it."""

    name = "refund.recorded"


@dataclasses.dataclass(frozen=True)
class RefundSucceeded(RefundEvent):
    name = "refund.succeeded"


@dataclasses.dataclass(frozen=True)
class RefundFailed(RefundEvent):
    name = "refund.failed"


@dataclasses.dataclass(frozen=True)
class PaymentRetryRequested(PaymentEvent):
    """A person asked to send a payment's failed transactions again: the worker sends them."""

    name = "payment.retry_requested"
