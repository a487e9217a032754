"""A return's money: each receipt's refund decision is given back through payments' refund,
after the receipt commits (the `return.received` subscriber in wiring.py), once per receipt
(docs/returns.md, "Refunds")."""

from __future__ import annotations

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.orders.timeline import order_timeline_add
from ordino.payments.commands import RefundLine, RefundOrder
from ordino.payments.models import Refund
from ordino.payments.services import refund_create
from ordino.returns.events import ReturnReceived

ACTOR = "system:returns"


def return_refund_issue(event: ReturnReceived) -> Refund | None:
    """The refund of the units one receipt took back (missing units are not refunded), recorded
    once per receipt: its `source` names the return and the receipt, and payments records a
    source once. Payments may refuse (nothing captured to give back: an unpaid or
    marketplace-settled order): the order's timeline says so, and the refund decision stays on
    the return for a person to settle."""
    lines = tuple(
        RefundLine(line_no=int(x["line_no"]), quantity=int(x["quantity"]))
        for x in event.details.get("refund", [])
        if int(x["quantity"]) > 0
    )
    if not lines:
        return None
    command = RefundOrder(
        order_id=event.order_id,
        lines=lines,
        reason=f"return {event.number}",
        actor=ACTOR,
        source=f"return:{event.return_id}:{event.details.get('receipt', '')}"[:64],
    )
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
        return None
