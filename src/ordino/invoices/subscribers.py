"""What invoices do when something happened elsewhere: the outbox subscribers wiring.py wires
(each idempotent: the relay delivers at least once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder
from ordino.invoices.events import DocumentEvent
from ordino.invoices.services.credit import CreditLineIn, credit_note_issue
from ordino.invoices.services.credit_exchange import credit_note_for_exchange_receipt
from ordino.invoices.services.issue import invoice_issue
from ordino.invoices.services.send import invoice_send
from ordino.orders.events import OrderEvent

ACTOR = "system:invoices"
PICKUP_METHODS = frozenset({"pickup", "ship_to_store"})


def invoice_on_shipped(event: OrderEvent) -> None:
    """A shipment left (all or part of the order): invoice the units it carried. A shipment to
    a store for pickup is invoiced when the customer picks it up."""
    data = event.details
    fo = FulfillmentOrder.objects.filter(pk=data.get("fulfillment_order_id")).first()
    if fo is None or fo.delivery_method in PICKUP_METHODS or "shipment_id" not in data:
        return
    billing: dict[int, int] = {}
    for line in data.get("lines", []):
        billing[line["line_no"]] = billing.get(line["line_no"], 0) + line["quantity"]
    invoice_issue(
        order_id=event.order_id,
        reference=f"shipment:{data['shipment_id']}",
        billing=billing,
        actor=ACTOR,
    )


def invoice_on_picked_up(event: OrderEvent) -> None:
    """Handed over at the counter: invoice every unit the fulfillment order handed over."""
    fo_id = event.details.get("fulfillment_order_id")
    billing: dict[int, int] = {}
    lines = FulfillmentLine.objects.filter(fulfillment_order_id=fo_id).select_related("order_line")
    for fl in lines:
        if fl.quantity_shipped:
            no = fl.order_line.line_no
            billing[no] = billing.get(no, 0) + fl.quantity_shipped
    if billing:
        invoice_issue(
            order_id=event.order_id, reference=f"pickup:{fo_id}", billing=billing, actor=ACTOR
        )


@dataclass(frozen=True)
class RefundRecordedIn:
    """The payload of payments' `RefundRecorded`, mirrored here: the subscriber reads only these
    fields, so it works with the event class payments defines, whatever else it carries."""

    order_id: int
    refund_id: Any
    lines: list[dict] = field(default_factory=list)  # [{line_no, quantity, amount, tax}]
    shipping: Decimal | str = "0"  # with its tax
    amount: Decimal | str = "0"
    currency: str = ""
    reason: str = ""
    source: str = ""
    goodwill: Decimal | str = "0"


def credit_note_on_refund(event: Any) -> None:
    """A refund succeeded: its credit note, once per refund. Takes payments' RefundSucceeded
    (the same payload as RefundRecorded; or anything with its fields, e.g. RefundRecordedIn).
    Not on RefundRecorded: a refund a provider declines gives nothing back, and its units may be
    refunded again — a credit note for it would credit them twice (docs/invoices.md). A goodwill
    refund alone credits no goods nor shipping: no credit note (the journal books it as
    goodwill; an exchange's difference given back is credited with the exchange's returned
    units instead, `credit_note_on_exchange_receipt`, docs/accounting.md)."""
    if not event.lines and not Decimal(str(event.shipping or 0)):
        return
    credit_note_issue(
        order_id=event.order_id,
        lines=[
            CreditLineIn(
                line_no=int(line["line_no"]),
                quantity=int(line.get("quantity", 0)),
                amount=Decimal(str(line["amount"])),
                tax=Decimal(str(line.get("tax", 0))),
            )
            for line in event.lines
        ],
        # a refund states shipping with its tax; the credit note splits it (docs/invoices.md)
        shipping_gross=Decimal(str(event.shipping or 0)),
        reason=event.reason or "",
        source=event.source or "refund",
        reference=f"refund:{event.refund_id}",
        actor=ACTOR,
    )


def credit_note_on_exchange_receipt(event: Any) -> None:
    """A receipt of an exchange's return (returns' `ReturnReceived`, read by its fields
    `return_id`, `number`, `order_id`, `details`): the units that came back (not the missing
    ones) credited at their refund decision, once per receipt; the new lines are invoiced as
    they ship. A plain return's units are credited by their refund instead."""
    details = event.details
    if "exchange_refund" not in details:
        return
    lines = [
        CreditLineIn(
            line_no=int(x["line_no"]),
            quantity=int(x["quantity"]),
            amount=Decimal(str(x["amount"])),
            tax=Decimal(str(x.get("tax", 0))),
        )
        for x in details.get("refund", [])
        if int(x["quantity"]) > 0
    ]
    if lines:
        credit_note_for_exchange_receipt(
            order_id=event.order_id,
            reference=f"return:{event.return_id}:{details.get('receipt', '')}"[:64],
            lines=lines,
            reason=f"exchange {event.number}: units returned",
            actor=ACTOR,
        )


def invoice_email_on_issued(event: DocumentEvent) -> None:
    """E-mail a new invoice or credit note to the order's address (once: a repeat does nothing)."""
    invoice_send(invoice_id=event.invoice_id, actor=ACTOR, again=False)
