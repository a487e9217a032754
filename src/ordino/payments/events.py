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
class PaymentConfirmed(PaymentEvent):
    """An authorization the provider confirmed later (Stripe's webhook after "processing" or
    a lost answer): what shipments made due meanwhile is to capture."""

    name = "payment.confirmed"


@dataclasses.dataclass(frozen=True)
class PaymentDisputed(PaymentEvent):
    """The customer disputed a captured payment with their bank (a chargeback, told by
    Stripe's webhook): `amount` is disputed; a person answers in Stripe's dashboard."""

    name = "payment.disputed"
    dispute_id: str = ""
    status: str = ""  # Stripe's: needs_response, warning_needs_response, ...
    reason: str = ""  # Stripe's: fraudulent, product_not_received, ...


@dataclasses.dataclass(frozen=True)
class PaymentDisputeClosed(PaymentEvent):
    """A dispute ended: `status` won (the money stays) or lost (the card network took
    `amount` back: booked as a chargeback, no longer refundable)."""

    name = "payment.dispute_closed"
    dispute_id: str = ""
    status: str = ""  # won, lost, warning_closed
    reason: str = ""


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
class RefundReversed(RefundEvent):
    """A refund the provider had accepted failed later (Stripe: the refund's status `failed`,
    e.g. the card was closed): the money came back, the customer is owed it again (`amount`,
    the part reversed); `message` says why. The refund's status is `reversed` until it is
    sent again (`refund.recorded` then `refund.succeeded`, its credit note unchanged)."""

    name = "refund.reversed"
    message: str = ""


@dataclasses.dataclass(frozen=True)
class PaymentRefundedOutside(PaymentEvent):
    """The provider refunded money Ordino did not ask for (Stripe's dashboard): `amount` was
    booked as a refund of the order (`transaction_id`); `unbooked`, more than the payment had
    captured and not refunded, could not be: a person looks."""

    name = "payment.refunded_outside"
    unbooked: str = "0"


@dataclasses.dataclass(frozen=True)
class PaymentAuthorizationExpiring(PaymentEvent):
    """An authorization lapses soon and the renewal job could not renew it (declined, or the
    provider cannot authorize again without the customer): `amount` is still held for goods
    not shipped; a person asks the customer for another payment."""

    name = "payment.authorization_expiring"


@dataclasses.dataclass(frozen=True)
class PaymentRetryRequested(PaymentEvent):
    """A person asked to send a payment's failed transactions again: the worker sends them."""

    name = "payment.retry_requested"


@dataclasses.dataclass(frozen=True)
class StoreCreditEvent(Event):
    """A change of a customer's store credit (docs/payments.md, "Store credit"). About the
    customer: their account's story reads in order; `order_id` names the order it concerns."""

    aggregate_type = "customer"

    customer_id: int
    currency: str
    amount: str  # decimal text, exact in the currency
    balance: str  # spendable after it
    held: str  # held after it
    entry_id: int
    kind: str  # the entry's kind: issued, goodwill, adjusted, held, redeemed, released, expired
    order_id: int | None = None
    payment_id: int | None = None
    refund_id: int | None = None
    reason: str = ""


@dataclasses.dataclass(frozen=True)
class StoreCreditIssued(StoreCreditEvent):
    """Credit given: a refund to store credit, a store-credit payment refunded, goodwill."""

    name = "store_credit.issued"


@dataclasses.dataclass(frozen=True)
class StoreCreditAdjusted(StoreCreditEvent):
    """Staff took credit back, with a reason."""

    name = "store_credit.adjusted"


@dataclasses.dataclass(frozen=True)
class StoreCreditHeld(StoreCreditEvent):
    """A store-credit payment set credit aside (its authorization)."""

    name = "store_credit.held"


@dataclasses.dataclass(frozen=True)
class StoreCreditRedeemed(StoreCreditEvent):
    """Held credit spent: the store-credit payment was captured."""

    name = "store_credit.redeemed"


@dataclasses.dataclass(frozen=True)
class StoreCreditReleased(StoreCreditEvent):
    """Held credit given back to the balance: the store-credit payment was voided."""

    name = "store_credit.released"


@dataclasses.dataclass(frozen=True)
class StoreCreditExpired(StoreCreditEvent):
    """What was left of an issued credit when its expiry passed left the balance."""

    name = "store_credit.expired"
