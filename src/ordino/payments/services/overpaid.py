"""Money captured beyond what the order still sells goes back by itself (docs/payments.md,
"When money moves"): a cancellation or an edit after a capture (staff captured early, the
marketplace collected at once) left the customer's money with the merchant. Run after each
reduction, under the payments lock; what earlier runs gave back (pending or done) counts, so a
repeated event refunds nothing twice."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.transactions import use_case_atomic
from ordino.orders.models import Order
from ordino.payments.commands import RefundOrder
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.models import Refund
from ordino.payments.selectors import OVERPAID_SOURCE, order_money_read, overpayment_refund
from ordino.payments.services.common import payments_lock
from ordino.payments.services.refund import refund_create
from ordino.payments.services.send import SYSTEM

ZERO = Decimal(0)


def payments_refund_overpaid(*, order_id: int, actor: str = SYSTEM) -> Refund | None:
    """Refund what is captured (and not charged back) beyond the sold total — the current
    total and the units plain returns took back, whose money their own refunds give back —
    less the overpayments already given back or on their way. None when nothing is over."""
    with use_case_atomic():
        payments = payments_lock(order_id)
        if not payments:
            return None
        read = order_money_read(order=Order.objects.get(pk=order_id), payments=payments)
        txns = read.txn_values()
        balances = [payment_balance(p.pk, txns) for p in payments]
        captured = sum((b.captured - b.disputed for b in balances), ZERO)
        given = [r for r in read.refunds if overpayment_refund(r) and r.status != "failed"]
        # a reversed one is owed again: a person sends it again (`refund_resend`), not this
        back = sum((r.goodwill for r in given), ZERO)
        refundable = sum((b.refundable for b in balances), ZERO)
        over = min(captured - read.sold_total - back, refundable)
        if over <= 0:
            return None
        command = RefundOrder(
            order_id=order_id,
            goodwill=over,
            reason="Captured beyond the order's total after a cancellation or an edit",
            actor=actor,
            source=f"{OVERPAID_SOURCE}{len(given) + 1}",
        )
        return refund_create(command=command)
