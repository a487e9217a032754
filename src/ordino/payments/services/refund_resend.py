"""A refund sent again: one the provider accepted and that failed later (`reversed`, Stripe's
refund `failed`) is owed to the customer; a person sends what was reversed back to the
payments or to the customer's store credit (docs/payments.md, "A refund that fails later").
The refund keeps its lines and its credit note (the goods came back and were credited once);
only its money moves again, as new transactions of the same refund."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError, NotFound
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.models import Order
from ordino.orders.selectors import order_get
from ordino.payments import events as ev
from ordino.payments.commands import REFUND_TO
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.domain.schedule import split_over
from ordino.payments.models import PaymentTransaction, Refund
from ordino.payments.selectors import order_money_read
from ordino.payments.services.common import amount_text, payments_lock, timeline, txn_open
from ordino.payments.services.credit_refund import refund_to_credit
from ordino.payments.services.refund import refund_order
from ordino.payments.services.send import refund_payload

ZERO = Decimal(0)


def refund_resend(
    *, order_id: int, refund_id: int, to: str, actor: str, scope: Scope = UNRESTRICTED
) -> Refund:
    """Send a reversed refund's money again: `to` "original" (split over the payments as a new
    refund is: 409 `refund_exceeds_captured` if they cannot take it) or "store_credit" (the
    order's customer's credit, at once). Only a `reversed` refund (409 `refund_not_reversed`)."""
    if to not in REFUND_TO:
        raise DomainError("invalid_choice", f"`to` is one of {', '.join(REFUND_TO)}.", field="to")
    with use_case_atomic():
        order = order_get(order_id=order_id, scope=scope, reach=CHANGE)
        payments = payments_lock(order.pk)
        refund = Refund.objects.filter(order_id=order.pk, pk=refund_id).first()
        if refund is None:
            raise NotFound("refund", refund_id)
        if refund.status != "reversed":
            raise Conflict(
                "refund_not_reversed",
                f"Refund {refund.pk} is {refund.status}: only a refund that failed after the "
                "provider accepted it is sent again.",
                field="refund_id",
            )
        if to == "store_credit" and order.customer_id is None:
            raise DomainError("customer_required",
                              "Store credit is a customer's: this order has no customer.",
                              field="to")  # fmt: skip
        own = list(PaymentTransaction.objects.filter(refund_id=refund.pk).order_by("id"))
        # the refund's money that is not at the customer: its reversals, not yet given again
        given = sum((t.amount for t in own if t.kind == "refund" and not t.declined), ZERO)
        owed = (
            refund.amount
            - given
            + sum((t.amount for t in own if t.kind == "refund_reversal"), ZERO)
        )
        read = order_money_read(order=Order.objects.get(pk=order.pk), payments=payments)
        txns = read.txn_values()
        by_id = {p.pk: p for p in payments}
        room = [(pid, payment_balance(pid, txns).refundable) for pid in refund_order(read, by_id)]
        if owed > sum((r for _, r in room), ZERO):
            raise Conflict(
                "refund_exceeds_captured",
                f"{amount_text(owed, order.currency)} is more than the payments can take back.",
                field="refund_id",
            )
        now = utcnow()
        opened = [
            txn_open(by_id[pid], "refund", part, now, refund=refund)
            for pid, part in split_over(owed, room)
        ]
        Refund.objects.filter(pk=refund.pk).update(status="pending")
        refund.status = "pending"
        timeline(order.pk, "refund_resent",
                 f"Refund {refund.pk}: {amount_text(owed, order.currency)} sent again "
                 f"({'to store credit' if to == 'store_credit' else 'to the payments'}).",
                 actor, {"refund_id": refund.pk, "amount": str(owed), "to": to}, now)  # fmt: skip
        if to == "store_credit":
            again = sum(1 for t in own if t.kind == "refund_reversal")
            refund_to_credit(refund, order.customer_id, opened, now, again=again)
        else:
            event_emit(event=ev.RefundRecorded(**{**refund_payload(refund), "amount": str(owed)}),
                       aggregate_id=order.pk, now=now)  # fmt: skip
        refund.refresh_from_db()
        return refund
