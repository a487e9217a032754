"""Units came back: the order's side of a return (the returns module calls it, in the
transaction of its receipt). Orders owns its lines, so the `returned` bucket moves here, with
the change record (its money effect: the refund decision), the timeline and `order.returned`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import F

from ordino.core.domain.errors import Conflict, NotFound
from ordino.orders.events import OrderReturned
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.orders.timeline import order_record


@dataclass(frozen=True)
class ReturnedLine:
    line_no: int
    quantity: int  # units that came back (restocked, damaged or on hold; missing ones are not)
    amount: Decimal  # their share of the line's total: what the customer no longer pays for
    returned_before: int  # the line's returned units the amount was worked out after
    tax: Decimal = Decimal(0)  # the tax part of `amount` (an exchange's credit note states it)


def order_lines_return(
    *,
    order_id: int,
    lines: list[ReturnedLine],
    reference: str,
    actor: str,
    now: datetime,
    message: str,
) -> Order:
    """Count `lines` as returned (never more than shipped, and only if the line's returned units
    are still those the amounts were worked out after: 409 otherwise), lower the order's
    current total by their amount (current_total = grand_total + every change's amount_delta),
    record the change, the timeline row and the event. The caller holds the transaction."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        raise NotFound("order", order_id)
    by_no = {line.line_no: line for line in OrderLine.objects.filter(order_id=order_id)}
    for item in lines:
        row = by_no.get(item.line_no)
        moved = row is not None and OrderLine.objects.filter(
            pk=row.pk,
            quantity_returned=item.returned_before,  # a concurrent return's share is not ours
            quantity_shipped__gte=F("quantity_returned") + item.quantity,
        ).update(quantity_returned=F("quantity_returned") + item.quantity)
        if not moved:
            raise Conflict("order_changed", "The order changed meanwhile; retry.")
    delta = -sum((item.amount for item in lines), Decimal(0))
    updated = Order.objects.filter(pk=order.pk, version=order.version).update(
        version=F("version") + 1, current_total=F("current_total") + delta, updated_at=now
    )
    if not updated:
        raise Conflict("order_changed", "The order changed meanwhile; retry.")
    order.refresh_from_db()
    data = {
        "reference": reference,
        # each line's money too: payments' balance tells an exchange's units apart per line
        "lines": [
            {"line_no": i.line_no, "quantity": i.quantity, "amount": str(i.amount)} for i in lines
        ],
    }
    OrderChange.objects.create(
        order=order,
        kind="return",
        version=order.version,
        amount_delta=delta,
        data=data,
        reason=reference,
        actor=actor,
        created_at=now,
    )
    order_record(
        order=order,
        kind="returned",
        message=message,
        actor=actor,
        data=data,
        event=OrderReturned,
        payload={"amount_delta": str(delta), **data},
        now=now,
    )
    return order
