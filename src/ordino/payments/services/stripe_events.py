"""What each verified Stripe event does to the payment it is about (docs/payments-stripe.md,
"Webhooks"). Called by `webhooks.py` inside the request's transaction, under the order's
payments lock; no provider is called.

Each handler settles first what Ordino has in flight (a call whose answer was lost, an intent
Stripe was still processing), then books only what Stripe reports beyond what Ordino booked or
has in flight: so the event, the worker's answer and the retry poller can arrive in any order
and the money is booked once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q

from ordino.events.services import event_emit
from ordino.payments import events as ev
from ordino.payments.domain.ledger import PaymentBalance, Txn, payment_balance
from ordino.payments.models import Payment, PaymentTransaction
from ordino.payments.providers.base import ProviderResult
from ordino.payments.providers.stripe_webhooks import StripeNotice
from ordino.payments.services.common import amount_text, payments_lock, timeline, txn_open
from ordino.payments.services.send import transaction_finish
from ordino.payments.services.stripe_refunds import (
    refund_failed_apply,
    refund_outside_book,
    refunds_booked,
)

ACTOR = "stripe:webhook"
ZERO = Decimal(0)
OPEN_CALL = ("pending", "unknown", "failed")  # not finished: a declined call is finished
# Stripe does not say when an intent confirmed later lapses: cards hold about 7 days.
AUTHORIZATION_DAYS = 7


@dataclass(frozen=True)
class Applied:
    outcome: str  # what was done: see docs/payments-stripe.md, "What each event does"
    note: str = ""
    payment_id: int | None = None


def stripe_notice_apply(notice: StripeNotice, now: datetime) -> Applied:
    handler = _HANDLERS.get(notice.kind)
    if handler is None:
        return Applied("ignored", f"Ordino does not act on {notice.event_type or 'this event'}.")
    found = _payment_of(notice)
    if found is None:
        return Applied("unmatched", f"No Stripe payment of Ordino is {notice.reference!r}.")
    payment = {p.pk: p for p in payments_lock(found.order_id)}[found.pk]
    if notice.currency and notice.currency != payment.currency:
        return Applied(
            "currency_mismatch",
            f"Stripe speaks of {notice.currency}, the payment is in {payment.currency}.",
            payment.pk,
        )
    return handler(notice, payment, now)


def _payment_of(notice: StripeNotice) -> Payment | None:
    """The payment: by the idempotency key Ordino wrote in the intent's metadata, else by the
    intent's id (the authorization's reference, an adopted intent's token, a call's answer)."""
    stripe = Payment.objects.filter(provider="stripe").order_by("id")
    if notice.idempotency_key:
        found = stripe.filter(transactions__idempotency_key=notice.idempotency_key).first()
        if found is not None:
            return found
    if not notice.reference:
        return None
    ref = notice.reference
    return stripe.filter(Q(reference=ref) | Q(token=ref) | Q(transactions__reference=ref)).first()


def _txns(payment: Payment) -> list[PaymentTransaction]:
    return list(PaymentTransaction.objects.filter(payment_id=payment.pk).order_by("id"))


def _balance(txns: list[PaymentTransaction]) -> PaymentBalance:
    values = [Txn(t.payment_id, t.kind, t.amount, t.status) for t in txns]
    return payment_balance(txns[0].payment_id, values) if txns else payment_balance(0, [])


def _in_flight(txns: list[PaymentTransaction], *kinds: str) -> list[PaymentTransaction]:
    return [t for t in txns if t.kind in kinds and t.status in OPEN_CALL and not t.declined]


def _finish(txn: PaymentTransaction, result: ProviderResult) -> None:
    transaction_finish(txn_id=txn.pk, result=result, actor=ACTOR)


def _amount(notice: StripeNotice, payment: Payment) -> Decimal | None:
    from ordino.payments.providers.stripe import stripe_decimal

    return None if notice.amount is None else stripe_decimal(notice.amount, payment.currency)


def _label(payment: Payment) -> str:
    return f"payment {payment.sequence} ({payment.method})"


# ----------------------------------------------------------------------------- authorization


def _authorized(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    """The intent holds money to capture (confirmed later, e.g. after "processing")."""
    if not notice.amount:
        return Applied("ignored", "Nothing is capturable on the intent.", payment.pk)
    flying = _in_flight(_txns(payment), "authorize", "reauthorize")
    for txn in flying:
        expires = notice.created_at + timedelta(days=AUTHORIZATION_DAYS)
        _finish(txn, ProviderResult("succeeded", reference=notice.reference, expires_at=expires))
    if not flying:
        return Applied("already_booked", "", payment.pk)
    # No provider call in a request: the worker captures what shipments made due meanwhile.
    event_emit(
        event=ev.PaymentConfirmed(
            order_id=payment.order_id,
            payment_id=payment.pk,
            amount=str(sum((t.amount for t in flying), ZERO)),
            currency=payment.currency,
            transaction_id=flying[-1].pk,
        ),
        aggregate_id=payment.order_id,
        now=now,
    )
    return Applied("authorized", "", payment.pk)


def _authorization_failed(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    flying = _in_flight(_txns(payment), "authorize", "reauthorize")
    message = notice.message or "Stripe: the payment failed."
    for txn in flying:
        _finish(txn, ProviderResult("declined", reference=notice.reference, message=message))
    return Applied("declined" if flying else "already_booked", message, payment.pk)


def _canceled(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    """Canceled: by Ordino's void, by someone in Stripe's dashboard, or the authorization
    lapsed. What the payment still held is released (booked as a void) so the balance says so."""
    txns = _txns(payment)
    if payment.reference and notice.reference and notice.reference != payment.reference:
        # an intent a renewal replaced (services/renew.py): its release settles, nothing more
        replaced = [t for t in _in_flight(txns, "void") if t.reference == notice.reference]
        for txn in replaced:
            _finish(txn, ProviderResult("succeeded", reference=notice.reference))
        return Applied("voided" if replaced else "already_booked", "A replaced authorization.",
                       payment.pk)  # fmt: skip
    done = []
    for txn in _in_flight(txns, "authorize", "reauthorize"):
        message = "Stripe canceled the payment before it was authorized."
        _finish(txn, ProviderResult("declined", reference=notice.reference, message=message))
        done.append(txn)
    for txn in _in_flight(txns, "void"):
        _finish(txn, ProviderResult("succeeded", reference=notice.reference))
        done.append(txn)
    held = _balance(_txns(payment)).open
    if held > 0:
        _finish(txn_open(payment, "void", held, now), ProviderResult("succeeded", notice.reference))
        note = f"Stripe canceled the authorization: {amount_text(held, payment.currency)} released."
        return Applied("released", note, payment.pk)
    return Applied("voided" if done else "already_booked", "", payment.pk)


# ----------------------------------------------------------------------------- money moved


def _settle(payment: Payment, kind: str, total: Decimal, reference: str) -> tuple[Decimal, int]:
    """Finish the in-flight calls of `kind` that Stripe's `total` covers (oldest first);
    answer what Stripe reports beyond what is booked or still in flight, and how many."""
    txns = _txns(payment)
    booked = sum((t.amount for t in txns if t.kind == kind and t.status == "succeeded"), ZERO)
    if kind == "refund":
        booked = refunds_booked(txns)
    flying = _in_flight(txns, kind)
    settled = 0
    for txn in flying:
        if booked + txn.amount > total:
            break
        _finish(txn, ProviderResult("succeeded", reference=reference))
        booked += txn.amount
        settled += 1
    still = sum((t.amount for t in flying[settled:]), ZERO)
    return max(ZERO, total - booked - still), settled


def _captured(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    total = _amount(notice, payment)
    if total is None:
        return Applied("ignored", "The event carries no captured amount.", payment.pk)
    beyond, settled = _settle(payment, "capture", total, notice.reference)
    beyond = min(beyond, _balance(_txns(payment)).open)
    if beyond > 0:  # captured outside Ordino (Stripe's dashboard): booked, once
        txn = txn_open(payment, "capture", beyond, now)
        _finish(txn, ProviderResult("succeeded", reference=notice.reference))
        note = f"Captured in Stripe beyond Ordino's calls: {amount_text(beyond, payment.currency)}."
        return Applied("captured", note, payment.pk)
    return Applied("captured" if settled else "already_booked", "", payment.pk)


def _refunded(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    total = _amount(notice, payment)
    if total is None:
        return Applied("ignored", "The event carries no refunded amount.", payment.pk)
    beyond, settled = _settle(payment, "refund", total, notice.reference)
    if beyond > 0:  # refunded outside Ordino (Stripe's dashboard): booked, once
        refundable = _balance(_txns(payment)).refundable
        outcome, note = refund_outside_book(notice, payment, beyond, refundable, now)
        return Applied(outcome, note, payment.pk)
    return Applied("refunded" if settled else "already_booked", "", payment.pk)


def _refund_failed(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    outcome, note = refund_failed_apply(notice, payment, now)
    return Applied(outcome, note, payment.pk)


# ----------------------------------------------------------------------------- disputes


def _dispute_opened(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    same = payment.dispute_reference == notice.dispute_id
    if same and payment.dispute_status:
        return Applied("already_booked", "", payment.pk)  # told before, or closed already
    amount = _amount(notice, payment) or ZERO
    _dispute_keep(payment, notice, amount, now)
    what = amount_text(amount, payment.currency)
    note = (
        f"The customer disputed {what} of {_label(payment)} with their bank "
        f"({notice.dispute_reason or 'no reason given'}): answer in Stripe's dashboard."
    )
    _dispute_tell(payment, notice, amount, note, ev.PaymentDisputed, now)
    return Applied("disputed", note, payment.pk)


def _dispute_closed(notice: StripeNotice, payment: Payment, now: datetime) -> Applied:
    same = payment.dispute_reference == notice.dispute_id
    if same and payment.dispute_status == notice.dispute_status:
        return Applied("already_booked", "", payment.pk)
    amount = _amount(notice, payment) or ZERO
    _dispute_keep(payment, notice, amount, now)
    what = amount_text(amount, payment.currency)
    if notice.dispute_status == "lost":
        taken = _chargeback_book(payment, notice, amount, now)
        note = f"Dispute lost on {_label(payment)}: {amount_text(taken, payment.currency)} gone."
    elif notice.dispute_status == "won":
        note = f"Dispute won on {_label(payment)}: the {what} stay."
    else:
        note = f"Dispute on {_label(payment)} closed ({notice.dispute_status}): nothing moved."
    _dispute_tell(payment, notice, amount, note, ev.PaymentDisputeClosed, now)
    return Applied(f"dispute_{notice.dispute_status or 'closed'}"[:32], note, payment.pk)


def _dispute_keep(payment: Payment, notice: StripeNotice, amount: Decimal, now) -> None:
    Payment.objects.filter(pk=payment.pk).update(
        dispute_reference=notice.dispute_id[:255],
        dispute_amount=amount,
        dispute_status=notice.dispute_status[:32],
        updated_at=now,
    )


def _chargeback_book(payment: Payment, notice: StripeNotice, amount: Decimal, now) -> Decimal:
    """The money a lost dispute took back, once per dispute (its key), at most what the
    payment still has captured and not refunded."""
    key = f"stripe-chargeback-{notice.dispute_id}"[:128]
    if PaymentTransaction.objects.filter(idempotency_key=key).exists():
        return ZERO
    taken = min(amount, _balance(_txns(payment)).refundable)
    if taken > 0:
        PaymentTransaction.objects.create(
            payment=payment,
            kind="chargeback",
            amount=taken,
            status="succeeded",
            idempotency_key=key,
            reference=notice.dispute_id[:255],
            attempts=0,
            created_at=now,
            finished_at=now,
        )
    return taken


def _dispute_tell(payment, notice, amount, note, event, now) -> None:
    data = {
        "payment_id": payment.pk,
        "dispute_id": notice.dispute_id,
        "amount": str(amount),
        "status": notice.dispute_status,
        "reason": notice.dispute_reason,
    }
    timeline(payment.order_id, event.name.replace(".", "_"), note, ACTOR, data, now)
    event_emit(
        event=event(
            order_id=payment.order_id,
            payment_id=payment.pk,
            amount=str(amount),
            currency=payment.currency,
            message=note[:300],
            dispute_id=notice.dispute_id,
            status=notice.dispute_status,
            reason=notice.dispute_reason,
        ),
        aggregate_id=payment.order_id,
        now=now,
    )


_HANDLERS: dict[str, Callable[[StripeNotice, Payment, datetime], Applied]] = {
    "authorized": _authorized,
    "authorization_failed": _authorization_failed,
    "authorization_canceled": _canceled,
    "captured": _captured,
    "refunded": _refunded,
    "refund_failed": _refund_failed,
    "dispute_opened": _dispute_opened,
    "dispute_closed": _dispute_closed,
}
