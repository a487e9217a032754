"""What Stripe's refund events do to the payment they are about (docs/payments-stripe.md,
"Webhooks"): a charge's refunds settled or booked when made in Stripe's dashboard, and a
refund Stripe had accepted that failed later reversed. Called from `stripe_events.py` under
the order's payments lock; no provider is called.

Both are decided from the payment's state, never from the event's arrival: a dashboard refund
is what Stripe's total refunded exceeds what Ordino booked or has in flight (booked once, the
difference of the totals), and a reversal is booked once per Stripe refund (its key)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ordino.events.services import event_emit
from ordino.payments import events as ev
from ordino.payments.models import Payment, PaymentTransaction, Refund
from ordino.payments.providers.base import ProviderResult
from ordino.payments.providers.stripe_webhooks import StripeNotice
from ordino.payments.services.common import amount_text, payment_status_refresh, timeline
from ordino.payments.services.send import refund_payload, transaction_finish

ACTOR = "stripe:webhook"
ZERO = Decimal(0)
OPEN_CALL = ("pending", "unknown", "failed")  # not finished: a declined call is finished
OUTSIDE_REASON = "Refunded in Stripe's dashboard"


def _txns(payment: Payment) -> list[PaymentTransaction]:
    return list(PaymentTransaction.objects.filter(payment_id=payment.pk).order_by("id"))


def _label(payment: Payment) -> str:
    return f"payment {payment.sequence} ({payment.method})"


def refunds_booked(txns: list[PaymentTransaction]) -> Decimal:
    """Refunded and not reversed: what Stripe's charge counts as refunded (a failed refund is
    not in its `amount_refunded`)."""
    done = [t for t in txns if t.status == "succeeded"]
    given = sum((t.amount for t in done if t.kind == "refund"), ZERO)
    return given - sum((t.amount for t in done if t.kind == "refund_reversal"), ZERO)


# ----------------------------------------------------------------------------- dashboard


def refund_outside_book(
    notice: StripeNotice, payment: Payment, beyond: Decimal, refundable: Decimal, now: datetime
) -> tuple[str, str]:
    """Stripe refunded `beyond` that Ordino did not ask for (its dashboard): booked as a
    succeeded refund of the order (no lines: goodwill, its reason says where it came from), at
    most what the payment has captured and not refunded; the rest cannot be booked and opens a
    case (`payment.refunded_outside` with `unbooked`). Answers (outcome, note)."""
    booked = min(beyond, refundable)
    unbooked = beyond - booked
    currency = payment.currency
    txn = None
    if booked > 0:
        refund = Refund.objects.create(
            order_id=payment.order_id,
            amount=booked,
            currency=currency,
            lines=[],
            shipping=ZERO,
            goodwill=booked,
            reason=OUTSIDE_REASON,
            source=f"stripe:{notice.reference}:{notice.amount}"[:64],
            to="original",
            status="succeeded",
            actor=ACTOR,
            created_at=now,
        )
        txn = PaymentTransaction.objects.create(
            payment=payment,
            refund=refund,
            kind="refund",
            amount=booked,
            status="succeeded",
            # one per charge's total: another event telling the same total finds it booked
            idempotency_key=f"stripe-refund-outside-{notice.reference}-{notice.amount}"[:128],
            reference=notice.reference[:255],
            created_at=now,
            finished_at=now,
        )
        payment_status_refresh(payment, now)
        event_emit(event=ev.RefundSucceeded(**refund_payload(refund)), aggregate_id=refund.order_id,
                   now=now)  # fmt: skip
    note = (
        f"Stripe refunded {amount_text(beyond, currency)} of {_label(payment)} that Ordino did "
        f"not ask for: {amount_text(booked, currency)} booked as a refund"
        + (f", {amount_text(unbooked, currency)} beyond what was captured" if unbooked else "")
        + "."
    )
    data = {"payment_id": payment.pk, "amount": str(booked), "unbooked": str(unbooked),
            "reference": notice.reference, "refund_id": txn.refund_id if txn else None}  # fmt: skip
    timeline(payment.order_id, "payment_refunded_outside", note, ACTOR, data, now)
    event_emit(
        event=ev.PaymentRefundedOutside(
            order_id=payment.order_id, payment_id=payment.pk, amount=str(booked),
            currency=currency, transaction_id=txn.pk if txn else None, message=note[:300],
            unbooked=str(unbooked),
        ),
        aggregate_id=payment.order_id,
        now=now,
    )  # fmt: skip
    return ("refunded_outside" if booked > 0 else "refund_unmatched"), note


# ----------------------------------------------------------------------------- failed later


def _refund_txn(payment: Payment, notice: StripeNotice) -> PaymentTransaction | None:
    """Ordino's refund call: by the key Ordino wrote in the refund's metadata, else by the
    refund's id its answer gave."""
    refunds = PaymentTransaction.objects.filter(payment_id=payment.pk, kind="refund")
    if notice.idempotency_key:
        found = refunds.filter(idempotency_key=notice.idempotency_key).first()
        if found is not None:
            return found
    if not notice.reference:
        return None
    return refunds.filter(reference=notice.reference).order_by("id").first()


def refund_failed_apply(notice: StripeNotice, payment: Payment, now: datetime):
    """A refund Stripe had accepted (`pending`, booked succeeded) failed: the money came back.
    A refund still in flight is declined like a refused call; one booked succeeded is
    reversed once (a `refund_reversal` transaction): its refund becomes `reversed` — owed to
    the customer again, its credit note still true, its units still refunded (never credited
    twice) — until a person sends it again (`refund_resend`); `refund.reversed` opens a case.
    Answers (outcome, note)."""
    txn = _refund_txn(payment, notice)
    if txn is None:
        return "unmatched", f"No refund of Ordino's is {notice.reference!r}."
    why = notice.message or "no reason given"
    message = f"Stripe: the refund failed ({why})."
    if txn.status in OPEN_CALL and not txn.declined:
        transaction_finish(
            txn_id=txn.pk,
            result=ProviderResult("declined", reference=notice.reference, message=message),
            actor=ACTOR,
        )
        return "refund_failed", message
    key = f"stripe-refund-failed-{notice.reference or txn.reference}"[:128]
    if txn.status != "succeeded" or PaymentTransaction.objects.filter(idempotency_key=key).exists():
        return "already_booked", ""
    PaymentTransaction.objects.create(
        payment=payment,
        refund_id=txn.refund_id,
        kind="refund_reversal",
        amount=txn.amount,
        status="succeeded",
        idempotency_key=key,
        reference=(notice.reference or txn.reference)[:255],
        error=message[:500],
        created_at=now,
        finished_at=now,
    )
    payment_status_refresh(payment, now)
    what = amount_text(txn.amount, payment.currency)
    note = f"Refund of {what} on {_label(payment)} failed after Stripe accepted it ({why})."
    refund = Refund.objects.filter(pk=txn.refund_id).first()
    data = {"payment_id": payment.pk, "amount": str(txn.amount), "reference": notice.reference,
            "refund_id": txn.refund_id, "reason": why}  # fmt: skip
    timeline(payment.order_id, "refund_reversed", note, ACTOR, data, now)
    if refund is not None:
        Refund.objects.filter(pk=refund.pk).update(status="reversed")
        payload = {**refund_payload(refund), "amount": str(txn.amount), "message": why[:300]}
        event_emit(event=ev.RefundReversed(**payload), aggregate_id=refund.order_id, now=now)
    return "refund_reversed", note
