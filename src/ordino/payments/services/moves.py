"""When money moves (docs/payments.md, "When money moves"). Each use case opens its pending
transactions under the order's payments lock — what is due is computed from what is captured
or in flight, so a repeated delivery of the same event opens nothing twice — then sends them
after commit. The outbox subscribers in wiring.py call these."""

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
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.domain.schedule import capture_due, split_over
from ordino.payments.models import Payment, PaymentTransaction
from ordino.payments.providers.registry import provider_get
from ordino.payments.selectors import order_money_read
from ordino.payments.services.common import payments_lock, timeline, txn_open
from ordino.payments.services.send import SYSTEM, transactions_send


def payments_authorize(*, order_id: int, actor: str = SYSTEM) -> list[PaymentTransaction]:
    """Authorize the order's payments that have no authorization yet (captured order, payment
    added later). The marketplace collected its payments itself: captured at once."""
    with use_case_atomic():
        payments = payments_lock(order_id)
        now = utcnow()
        txns = [
            txn_open(p, "authorize", p.amount, now)
            for p in payments
            if p.status == "pending"
            and not PaymentTransaction.objects.filter(payment_id=p.pk, kind="authorize").exists()
        ]
    done = transactions_send([t.pk for t in txns], actor)
    if any(t.status == "succeeded" for t in done):
        payments_collect(order_id=order_id, actor=actor)
    return done


def payments_collect(*, order_id: int, actor: str = SYSTEM) -> list[PaymentTransaction]:
    """Capture what is due: the marketplace's payments whole, the rest as shipments make it due
    (the shipped units' money, the last shipment the remainder; schedule.capture_due)."""
    with use_case_atomic():
        payments = payments_lock(order_id)
        if not payments:
            return []
        read = order_money_read(order=Order.objects.get(pk=order_id), payments=payments)
        txns, now = read.txn_values(), utcnow()
        balances = {p.pk: payment_balance(p.pk, txns) for p in payments}
        opened = [
            txn_open(p, "capture", balances[p.pk].open, now)
            for p in payments
            if p.method == "marketplace" and balances[p.pk].open > 0
        ]
        taken = read.taken(balances.values())
        taken += sum((t.amount for t in opened), Decimal(0))
        due = capture_due(
            lines=read.lines, current_total=read.sold_total, currency=read.order.currency
        )
        others = [(p.pk, balances[p.pk].open) for p in payments if p.method != "marketplace"]
        by_id = {p.pk: p for p in payments}
        for pid, amount in split_over(due - taken, others):
            if amount < balances[pid].open and not _captures_partly(by_id[pid]):
                continue  # one capture per authorization: on the last shipment (see below)
            opened.append(txn_open(by_id[pid], "capture", amount, now))
    return transactions_send([t.pk for t in opened], actor)


def _captures_partly(payment: Payment) -> bool:
    """Whether the payment's provider keeps the rest authorized after a partial capture. Stripe
    without multicapture captures a PaymentIntent once and releases the rest
    (docs/payments-stripe.md): its payment is captured whole when the last shipment makes all of
    it due, or by the renewal job before the authorization lapses."""
    return bool(getattr(provider_get(payment.provider), "multicapture", True))


def payments_release_excess(*, order_id: int, actor: str = SYSTEM) -> list[PaymentTransaction]:
    """After a cancellation or an edit that lowered the total: void the authorized money the
    order no longer needs, from the last payment back."""
    with use_case_atomic():
        payments = payments_lock(order_id)
        if not payments:
            return []
        read = order_money_read(order=Order.objects.get(pk=order_id), payments=payments)
        txns, now = read.txn_values(), utcnow()
        balances = [payment_balance(p.pk, txns) for p in payments]
        taken = read.taken(balances)
        still_needed = max(Decimal(0), read.sold_total - taken)  # returned units stay captured
        excess = sum((b.open for b in balances), Decimal(0)) - still_needed
        by_id = {p.pk: p for p in payments}
        parts = split_over(excess, [(b.payment_id, b.open) for b in reversed(balances)])
        opened = [txn_open(by_id[pid], "void", amount, now) for pid, amount in parts]
    return transactions_send([t.pk for t in opened], actor)


def payment_capture_now(
    *, order_id: int, payment_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> PaymentTransaction:
    """Capture all a payment holds now (a bank transfer received, a person's decision), without
    waiting for shipments. Sent at once: the console's action, not an API request."""
    with use_case_atomic():
        order_get(order_id=order_id, scope=scope, reach=CHANGE)
        payments = {p.pk: p for p in payments_lock(order_id)}
        payment = payments.get(payment_id)
        if payment is None:
            raise NotFound("payment", payment_id)
        read = order_money_read(order=Order.objects.get(pk=order_id), payments=[payment])
        open_ = payment_balance(payment.pk, read.txn_values()).open
        if open_ <= 0:
            raise Conflict("nothing_to_capture", "This payment holds nothing to capture.")
        txn = txn_open(payment, "capture", open_, utcnow())
    return transactions_send([txn.pk], actor)[0]


def payment_retry(
    *, order_id: int, payment_id: int, actor: str, scope: Scope = UNRESTRICTED
) -> Payment:
    """Ask the worker to send a payment's failed or unanswered transactions again, with their
    own keys; a declined authorization gets a new one (the customer fixed their card)."""
    with use_case_atomic():
        order_get(order_id=order_id, scope=scope, reach=CHANGE)
        payments = {p.pk: p for p in payments_lock(order_id)}
        payment = payments.get(payment_id)
        if payment is None:
            raise NotFound("payment", payment_id)
        txns = list(PaymentTransaction.objects.filter(payment_id=payment.pk).order_by("id"))
        due = [t for t in txns if t.status in ("failed", "unknown", "pending") and not t.declined]
        now = utcnow()
        if not due and payment.status == "declined":
            due = [txn_open(payment, "authorize", payment.amount, now)]
        if not due:
            raise DomainError(
                "nothing_to_retry", "Nothing of this payment waits for a retry.", status=409
            )
        event_emit(
            event=ev.PaymentRetryRequested(
                order_id=order_id,
                payment_id=payment.pk,
                amount=str(payment.amount),
                currency=payment.currency,
                message=actor[:128],
            ),
            aggregate_id=order_id,
            now=now,
        )
        # The worker sends it as `system`: the person's request is their own step on the order
        # (a touch, docs/reports.md), so the timeline and the audit keep who asked.
        timeline(order_id, "payment_retry_requested",
                 f"Retry of payment {payment.sequence} requested.", actor,
                 {"payment_id": payment.pk}, now)  # fmt: skip
        return payment


def payment_retry_send(*, payment_id: int, actor: str = SYSTEM) -> list[PaymentTransaction]:
    due = PaymentTransaction.objects.filter(
        payment_id=payment_id, status__in=("failed", "unknown", "pending"), declined=False
    ).order_by("id")
    done = transactions_send(list(due.values_list("id", flat=True)), actor)
    if any(t.status == "succeeded" for t in done):
        payments_collect(order_id=done[0].payment.order_id, actor=actor)
    return done
