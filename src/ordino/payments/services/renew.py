"""Authorizations renewed before they lapse (cards: about 7 days; docs/payments.md,
"Authorizations that lapse"). The worker's hourly job finds the payments whose authorization
lapses within a day and still holds money for goods not captured, and for each:

- a provider that renews in place (the test provider) re-authorizes what it holds;
- a provider whose authorization is one object that cannot be extended (Stripe's
  PaymentIntent) and when nothing of it is captured or due: a *new* authorization for what it
  holds (a new PaymentIntent with the saved payment method, its own idempotency key), then the
  replaced one released (a void of nothing, sent to the old intent);
- when shipments made some of it due (Stripe without multicapture captures once, on the last
  shipment), or part of it is captured already: what shipped is captured now (the final
  capture), the rest released, and the rest asked for again as a new payment of the order,
  which the worker authorizes like any added payment.
What cannot be renewed without the customer (a storefront's PaymentIntent: its `pi_` token
cannot be confirmed again off-session) or is declined opens an `authorization_expiring` case
(`payment.authorization_expiring`). Every call goes through the transactions table with its
own key: a retry never authorizes or captures twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.models import Order
from ordino.payments import events as ev
from ordino.payments.commands import NewPayment
from ordino.payments.domain.ledger import PaymentBalance, payment_balance
from ordino.payments.domain.schedule import capture_due, split_over
from ordino.payments.models import Payment, PaymentTransaction
from ordino.payments.providers.registry import provider_get
from ordino.payments.selectors import order_money_read
from ordino.payments.services.common import amount_text, payments_lock, timeline, txn_open
from ordino.payments.services.record import payments_record
from ordino.payments.services.send import SYSTEM, transactions_send

RENEW_WITHIN = timedelta(days=1)
ZERO = Decimal(0)


def authorizations_renew() -> int:
    """The worker's periodic job (`ordino payments renew`): answers how many payments it
    renewed, captured or asked a person about."""
    soon = utcnow() + RENEW_WITHIN
    ids = list(
        Payment.objects.filter(authorization_expires_at__lte=soon)
        .order_by("id")
        .values_list("order_id", "id")[:100]
    )
    return sum(_renew(order_id, payment_id, soon) for order_id, payment_id in ids)


def _renew(order_id: int, payment_id: int, soon: datetime) -> int:
    with use_case_atomic():
        payments = payments_lock(order_id)
        payment = next(p for p in payments if p.pk == payment_id)
        txns = list(PaymentTransaction.objects.filter(payment_id=payment_id).order_by("id"))
        recent = soon - 2 * RENEW_WITHIN
        if any(t.kind == "reauthorize" and t.created_at >= recent for t in txns):
            return 0  # renewed (or tried) for this lapse already: once per lapse
        read = order_money_read(order=Order.objects.get(pk=order_id), payments=payments)
        balances = {p.pk: payment_balance(p.pk, read.txn_values()) for p in payments}
        held = balances[payment_id].open
        if held <= 0:
            Payment.objects.filter(pk=payment_id).update(authorization_expires_at=None)
            return 0
        now = utcnow()
        in_place = getattr(provider_get(payment.provider), "renews_in_place", True)
        if in_place:
            plan = [txn_open(payment, "reauthorize", held, now)]
        else:
            due = _due_on(read, payments, balances, payment_id)
            if due <= 0 and balances[payment_id].captured <= 0:
                plan = _anew(payment, held, now)
            else:
                plan = _capture_and_ask_again(payment, due, held, now)
        if not plan:  # a person decides (the case): not asked again every hour
            Payment.objects.filter(pk=payment_id).update(authorization_expires_at=None)
            return 1
    _send(payment, plan, in_place)
    return 1


def _due_on(read, payments: list[Payment], balances: dict[int, PaymentBalance], pid) -> Decimal:
    """This payment's part of what shipments made due and nothing captured yet (as
    payments_collect splits it)."""
    taken = read.taken(balances.values())
    due = capture_due(lines=read.lines, current_total=read.sold_total, currency=read.order.currency)
    others = [(p.pk, balances[p.pk].open) for p in payments if p.method != "marketplace"]
    return dict(split_over(max(ZERO, due - taken), others)).get(pid, ZERO)


def _anew(payment: Payment, held: Decimal, now: datetime) -> list[PaymentTransaction]:
    """A new authorization for what the payment holds; a storefront's intent cannot be."""
    if payment.token.startswith("pi_"):
        _expiring(payment, held, "the storefront's PaymentIntent needs the customer", now)
        return []
    return [txn_open(payment, "reauthorize", held, now)]


def _capture_and_ask_again(payment: Payment, due: Decimal, held: Decimal, now: datetime):
    """What shipped is captured (the final capture: the rest is released with it), and the
    rest is asked for as a new payment once the capture went through (`_send`)."""
    plan = [txn_open(payment, "capture", due, now)] if due > 0 else []
    if held - due > 0:
        plan.append(txn_open(payment, "void", held - due, now))
    return plan


def _send(payment: Payment, plan: list[PaymentTransaction], in_place: bool) -> None:
    first = transactions_send([plan[0].pk])[0]
    if plan[0].kind == "reauthorize":
        if not in_place:
            _release_replaced(payment, first)
        return
    rest = plan[1:] if plan[0].kind == "capture" else plan
    if plan[0].kind == "capture" and first.status != "succeeded":
        _expiring(payment, first.amount, f"the capture of what shipped: {first.status}", utcnow())
        for txn in rest:  # not sent: releasing before the capture would lose the shipped money
            PaymentTransaction.objects.filter(pk=txn.pk, status="pending").update(
                status="failed", declined=True, error="Not sent: the capture before it failed.",
                finished_at=utcnow(),
            )  # fmt: skip
        return
    released = [t for t in transactions_send([t.pk for t in rest]) if t.status == "succeeded"]
    if released:
        _ask_again(payment, sum((t.amount for t in released), ZERO))


def _release_replaced(payment: Payment, txn: PaymentTransaction) -> None:
    """Renewed on a new authorization: the replaced one is released (a void of nothing, sent
    to the old reference with its own key). A declined renewal is told by its own event
    (`payment.authorization_expiring`, services/send.py)."""
    now = utcnow()
    if txn.status != "succeeded":
        return
    fresh = Payment.objects.get(pk=payment.pk)
    if not payment.reference or fresh.reference == payment.reference:
        return
    with use_case_atomic():
        payments_lock(payment.order_id)
        void = txn_open(fresh, "void", ZERO, now)
        PaymentTransaction.objects.filter(pk=void.pk).update(reference=payment.reference)
    transactions_send([void.pk])


def _ask_again(payment: Payment, amount: Decimal) -> None:
    """The released rest, as a new payment with the same saved payment method (authorized by
    the worker: `payment.added`); a storefront's intent cannot be reused: a person asks."""
    now = utcnow()
    if payment.token.startswith("pi_"):
        _expiring(payment, amount, "the storefront's PaymentIntent needs the customer", now)
        return
    with use_case_atomic():
        order = Order.objects.get(pk=payment.order_id)
        payments_lock(order.pk)
        new = NewPayment(method=payment.method, provider=payment.provider, token=payment.token,
                         amount=amount, brand=payment.brand, last4=payment.last4)  # fmt: skip
        (row,) = payments_record(order=order, payments=[new], actor=SYSTEM, now=now)
        event_emit(event=ev.PaymentAdded(order_id=order.pk, payment_id=row.pk,
                                         amount=str(row.amount), currency=row.currency),
                   aggregate_id=order.pk, now=now)  # fmt: skip


def _expiring(payment: Payment, amount: Decimal, why: str, now: datetime) -> None:
    with use_case_atomic():
        _expiring_tell(payment, amount, why, now)


def _expiring_tell(payment: Payment, amount: Decimal, why: str, now: datetime) -> None:
    what = amount_text(amount, payment.currency)
    note = (f"The authorization of {what} on payment {payment.sequence} ({payment.method}) "
            f"lapses soon and could not be renewed ({why}).")  # fmt: skip
    timeline(payment.order_id, "payment_authorization_expiring", note, SYSTEM,
             {"payment_id": payment.pk, "amount": str(amount)}, now)  # fmt: skip
    event_emit(
        event=ev.PaymentAuthorizationExpiring(
            order_id=payment.order_id, payment_id=payment.pk, amount=str(amount),
            currency=payment.currency, message=why[:300],
        ),
        aggregate_id=payment.order_id,
        now=now,
    )  # fmt: skip
