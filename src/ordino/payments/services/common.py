"""What the payments use cases share: the order's payments locked (one place, id order), a
transaction opened with its idempotency key, a payment's status brought along, the timeline."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ordino.core.domain.display import money_display
from ordino.orders.timeline import order_timeline_add
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.domain.status import payment_status
from ordino.payments.models import Payment, PaymentTransaction, Refund
from ordino.payments.selectors import txn_value


def payments_lock(order_id: int) -> list[Payment]:
    """The order's payments, locked in id order (PostgreSQL; SQLite serialises transactions
    already): every check of what may still be captured, voided or refunded runs under it, so
    two concurrent requests never both take the same money (docs/payments.md, "Concurrency")."""
    return list(Payment.objects.select_for_update().filter(order_id=order_id).order_by("id"))


def txn_open(
    payment: Payment, kind: str, amount: Decimal, now: datetime, refund: Refund | None = None
) -> PaymentTransaction:
    """A pending transaction: its idempotency key names the payment, the kind and the count, so
    the worker's retry of the same transaction sends the same key (never a second charge)."""
    n = PaymentTransaction.objects.filter(payment_id=payment.pk, kind=kind).count() + 1
    return PaymentTransaction.objects.create(
        payment=payment,
        refund=refund,
        kind=kind,
        amount=amount,
        status="pending",
        idempotency_key=f"ordino-{payment.order_id}-{payment.pk}-{kind}-{n}",
        created_at=now,
    )


def payment_status_refresh(payment: Payment, now: datetime) -> str:
    txns = list(PaymentTransaction.objects.filter(payment_id=payment.pk).order_by("id"))
    balance = payment_balance(payment.pk, [txn_value(t) for t in txns])
    authorizes = [t for t in txns if t.kind == "authorize"]
    last = authorizes[-1] if authorizes else None
    status = payment_status(
        balance,
        declined=bool(last and last.declined),
        amount_authorizing=bool(last and last.status in ("pending", "unknown")),
    )
    if status != payment.status:
        Payment.objects.filter(pk=payment.pk).update(status=status, updated_at=now)
        payment.status = status
    return status


def timeline(order_id: int, kind: str, message: str, actor: str, data: dict, now) -> None:
    order_timeline_add(
        order_id=order_id, kind=kind, message=message, actor=actor, data=data, now=now
    )


def amount_text(amount: Decimal, currency: str) -> str:
    return money_display(amount, currency)
