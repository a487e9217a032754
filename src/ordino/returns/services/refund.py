"""A return's money: each receipt's refund decision is given back through payments' refund,
after the receipt commits (the `return.received` subscriber in wiring.py), once per receipt
(docs/returns.md, "Refunds")."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.timeline import order_timeline_add
from ordino.payments.commands import RefundLine, RefundOrder
from ordino.payments.models import Refund
from ordino.payments.services import refund_create
from ordino.returns.events import ReturnReceived, ReturnRefundRefused

ACTOR = "system:returns"


def return_refund_issue(event: ReturnReceived) -> Refund | None:
    """The refund of the units one receipt took back (missing units are not refunded), recorded
    once per receipt: its `source` names the return and the receipt, and payments records a
    source once. Payments may refuse (nothing captured to give back: an unpaid or
    marketplace-settled order): the order's timeline says so, and the refund decision stays on
    the return for a person to settle. An exchange's receipt refunds only its
    `exchange_refund` (docs/returns.md, "Exchanges"), maybe nothing."""
    if "exchange_refund" in event.details:
        return _exchange_refund(event)
    lines = tuple(
        RefundLine(line_no=int(x["line_no"]), quantity=int(x["quantity"]))
        for x in event.details.get("refund", [])
        if int(x["quantity"]) > 0
    )
    if not lines:
        return None
    return _issue(
        event,
        RefundOrder(
            order_id=event.order_id,
            lines=lines,
            reason=f"return {event.number}",
            actor=ACTOR,
            source=_source(event),
        ),
    )


def _exchange_refund(event: ReturnReceived) -> Refund | None:
    """What the merchant owes of an exchange, as this receipt decided it: not a refund of the
    units (the new lines took their value) but of the difference."""
    amount = Decimal(str(event.details["exchange_refund"]))
    if amount <= 0:
        return None
    return _issue(
        event,
        RefundOrder(
            order_id=event.order_id,
            goodwill=amount,
            reason=f"exchange {event.number}: the difference",
            actor=ACTOR,
            source=_source(event),
        ),
    )


def _source(event: ReturnReceived) -> str:
    return f"return:{event.return_id}:{event.details.get('receipt', '')}"[:64]


def _issue(event: ReturnReceived, command: RefundOrder) -> Refund | None:
    try:
        with savepoint():  # a refusal rolls back only the refund, within the worker's delivery
            return refund_create(command=command)
    except DomainError as refused:
        with use_case_atomic():
            order_timeline_add(
                order_id=event.order_id,
                kind="return_refund_refused",
                message=f"Return {event.number}: no refund recorded: {refused.message}",
                actor=ACTOR,
                data={"return_id": event.return_id, "code": refused.code},
                now=utcnow(),
            )
            # a person settles it: cases opens one (docs/cases.md)
            details = {"receipt": event.details.get("receipt", ""), "code": refused.code,
                       "message": refused.message}  # fmt: skip
            event_emit(
                event=ReturnRefundRefused(
                    return_id=event.return_id,
                    number=event.number,
                    order_id=event.order_id,
                    state=event.state,
                    details=details,
                ),
                aggregate_id=event.return_id,
            )
        return None
