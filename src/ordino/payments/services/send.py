"""Calling the provider, after commit: a pending transaction (written with its idempotency key
in a transaction of its own) is sent, and its outcome recorded in another. A crash between the
two leaves it pending; a timeout leaves it unknown; a provider error leaves it failed: the
worker sends it again with the SAME key (`payments_retry_due`), and the provider answers a
repeated key with its first result, so money never moves twice (docs/payments.md)."""

from __future__ import annotations

import logging
from datetime import timedelta

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.holds.services import PAYMENT_DECLINED, holds_release_cause, order_hold_system
from ordino.payments import events as ev
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.models import Payment, PaymentTransaction, Refund
from ordino.payments.providers.base import ProviderCall, ProviderResult
from ordino.payments.providers.registry import provider_get
from ordino.payments.selectors import txn_value
from ordino.payments.services.common import (
    amount_text,
    payment_status_refresh,
    payments_lock,
    timeline,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
STALE = timedelta(minutes=2)  # a pending transaction this old lost its sender (a crash)
SYSTEM = "system:payments"
_METHOD = {
    "authorize": "authorize",
    "reauthorize": "authorize",
    "capture": "capture",
    "void": "void",
    "refund": "refund",
}
_STATUS = {"succeeded": "succeeded", "declined": "failed", "failed": "failed", "unknown": "unknown"}


def _capture_final(txn: PaymentTransaction) -> bool:
    """A capture is final when, with it, nothing of the authorization is left open: a provider
    that captures partially (Stripe's multicapture) keeps the rest only for a non-final one."""
    if txn.kind != "capture":
        return True
    txns = PaymentTransaction.objects.filter(payment_id=txn.payment_id)
    values = [txn_value(t) for t in txns]
    return payment_balance(txn.payment_id, values).open <= 0


def transaction_send(*, txn_id: int, actor: str = SYSTEM) -> PaymentTransaction:
    """Send one transaction to its provider (outside any transaction) and record the answer.
    A transaction that succeeded or was declined is not sent again."""
    txn = PaymentTransaction.objects.select_related("payment").get(pk=txn_id)
    if txn.status == "succeeded" or (txn.status == "failed" and txn.declined):
        return txn
    payment = txn.payment
    call = ProviderCall(
        idempotency_key=txn.idempotency_key,
        amount=txn.amount,
        currency=payment.currency,
        token=payment.token,
        # a void names what it releases when it is not the payment's authorization now (the
        # one a renewal replaced: services/renew.py)
        reference=(txn.reference if txn.kind == "void" and txn.reference else payment.reference),
        description=f"Order {payment.order_id}",
        final=_capture_final(txn),
    )
    try:
        provider = provider_get(payment.provider)
        result = getattr(provider, _METHOD[txn.kind])(call)
    except Exception as exc:  # no answer we can trust: it may have happened; retry tells
        log.warning("payment transaction %s: provider error %s", txn.pk, exc)
        result = ProviderResult("unknown", message=f"Provider error: {exc}"[:300])
    return transaction_finish(txn_id=txn.pk, result=result, actor=actor)


def transaction_finish(*, txn_id: int, result: ProviderResult, actor: str) -> PaymentTransaction:
    """Record a provider's answer once: the transaction, the payment's status, the timeline and
    the event; a declined authorization holds the order's work, a success releases it."""
    with use_case_atomic():
        order_id = Payment.objects.filter(transactions__pk=txn_id).values_list(
            "order_id", flat=True
        )
        payments = {p.pk: p for p in payments_lock(order_id[0])}
        txn = PaymentTransaction.objects.get(pk=txn_id)
        if txn.status == "succeeded" or (txn.status == "failed" and txn.declined):
            return txn  # another sender recorded it first
        now = utcnow()
        status = _STATUS[result.outcome]
        final = status == "succeeded" or result.outcome == "declined"
        answer = {
            "status": status,
            "declined": result.outcome == "declined",
            "reference": result.reference[:255],
            "error": result.message[:500] if status != "succeeded" else "",
            "attempts": txn.attempts + 1,
            "finished_at": now if final else None,
        }
        PaymentTransaction.objects.filter(pk=txn.pk).update(**answer)
        for field, value in answer.items():  # as written: no read back (docs/performance.md)
            setattr(txn, field, value)
        payment = payments[txn.payment_id]
        if status == "succeeded" and txn.kind in ("authorize", "reauthorize"):
            _authorization_keep(payment, result, now)
        payment_status_refresh(payment, now)
        _record(payment, txn, result, actor, now)
        return txn


def _authorization_keep(payment: Payment, result: ProviderResult, now) -> None:
    payment.reference = result.reference[:255] or payment.reference
    payment.authorization_expires_at = result.expires_at
    payment.brand = payment.brand or result.brand[:32]
    payment.last4 = payment.last4 or result.last4[:4]
    Payment.objects.filter(pk=payment.pk).update(
        reference=payment.reference,
        authorization_expires_at=payment.authorization_expires_at,
        brand=payment.brand,
        last4=payment.last4,
        updated_at=now,
    )


def _record(payment: Payment, txn: PaymentTransaction, result: ProviderResult, actor, now):
    """The timeline row and the event of an outcome; a refund's own status follows."""
    what = amount_text(txn.amount, payment.currency)
    label = f"payment {payment.sequence} ({payment.method})"
    data = {
        "payment_id": payment.pk,
        "transaction_id": txn.pk,
        "amount": str(txn.amount),
        "kind": txn.kind,
        "status": txn.status,
    }
    if txn.status in ("failed", "unknown") and not txn.declined:
        timeline(
            payment.order_id,
            "payment_retry_due",
            f"{txn.kind.capitalize()} of {what} on {label}: {txn.status}, to retry "
            f"({result.message or 'no answer'}).",
            actor,
            data,
            now,
        )
        return
    if txn.kind == "refund":
        _refund_follow(txn, actor, now)
        return
    event, message = _EVENTS[(txn.kind, txn.status)]
    if txn.kind == "void" and not txn.amount:  # the authorization a renewal replaced
        message = "Released the replaced authorization of {label}"
    if txn.declined:  # the order's work waits: one hold mechanism (docs/holds.md)
        hold = order_hold_system(
            order_id=payment.order_id, cause=PAYMENT_DECLINED, actor=actor, now=now
        )
        data["hold_id"] = hold.pk if hold is not None else None
    elif txn.kind == "authorize":
        holds_release_cause(
            cause=PAYMENT_DECLINED,
            order_id=payment.order_id,
            how="auto",
            actor=actor,
            reason=f"{label} authorized",
            now=now,
        )
    timeline(
        payment.order_id,
        event.name.replace(".", "_"),
        f"{message.format(what=what, label=label)}"
        + (f": {result.message}" if txn.declined and result.message else "."),
        actor,
        data,
        now,
    )
    event_emit(
        event=event(
            order_id=payment.order_id,
            payment_id=payment.pk,
            amount=str(txn.amount),
            currency=payment.currency,
            transaction_id=txn.pk,
            message=result.message[:300],
        ),
        aggregate_id=payment.order_id,
        now=now,
    )


_EVENTS = {
    ("authorize", "succeeded"): (ev.PaymentAuthorized, "Authorized {what} on {label}"),
    ("reauthorize", "succeeded"): (ev.PaymentAuthorized, "Re-authorized {what} on {label}"),
    ("authorize", "failed"): (ev.PaymentDeclined, "Declined {what} on {label}"),
    ("reauthorize", "failed"): (
        ev.PaymentAuthorizationExpiring,
        "Re-authorization of {what} declined on {label}",
    ),
    ("capture", "succeeded"): (ev.PaymentCaptured, "Captured {what} on {label}"),
    ("capture", "failed"): (ev.PaymentDeclined, "Capture of {what} declined on {label}"),
    ("void", "succeeded"): (ev.PaymentVoided, "Released {what} of {label}"),
    ("void", "failed"): (ev.PaymentDeclined, "Release of {what} refused on {label}"),
}


def _refund_follow(txn: PaymentTransaction, actor: str, now) -> None:
    """A refund succeeded once all its transactions did; failed once one was declined."""
    refund = Refund.objects.get(pk=txn.refund_id)
    if refund.status != "pending":
        return
    parts = list(PaymentTransaction.objects.filter(refund_id=refund.pk))
    if any(p.kind == "refund_reversal" for p in parts):
        # sent again after a reversal (services/refund_resend.py): a refusal leaves it owed
        parts = [p for p in parts if not p.declined]
        if txn.declined:
            status, event = "reversed", ev.RefundFailed
        elif all(p.status == "succeeded" for p in parts):
            status, event = "succeeded", ev.RefundSucceeded
        else:
            return
    elif any(p.declined for p in parts):
        status, event = "failed", ev.RefundFailed
    elif all(p.status == "succeeded" for p in parts):
        status, event = "succeeded", ev.RefundSucceeded
    else:
        return
    Refund.objects.filter(pk=refund.pk).update(status=status)
    what = amount_text(refund.amount, refund.currency)
    timeline(
        refund.order_id,
        f"refund_{status}",
        f"Refund {refund.pk} of {what} {status}.",
        actor,
        {"refund_id": refund.pk, "amount": str(refund.amount)},
        now,
    )
    event_emit(event=event(**refund_payload(refund)), aggregate_id=refund.order_id, now=now)


def refund_payload(refund: Refund) -> dict:
    return {
        "order_id": refund.order_id,
        "refund_id": refund.pk,
        "amount": str(refund.amount),
        "currency": refund.currency,
        "lines": refund.lines,
        "shipping": str(refund.shipping),
        "goodwill": str(refund.goodwill),
        "reason": refund.reason,
        "source": refund.source,
    }


def transactions_send(txn_ids: list[int], actor: str = SYSTEM) -> list[PaymentTransaction]:
    return [transaction_send(txn_id=i, actor=actor) for i in txn_ids]


def payments_retry_due() -> int:
    """The worker's periodic job: send again, with the same key, every transaction that failed
    on the provider's side, got no answer, or was left pending by a crash — except the failed
    parts of a refund that failed as a whole (docs/payments.md, "Refunds")."""
    now = utcnow()
    due = (
        PaymentTransaction.objects.filter(attempts__lt=MAX_ATTEMPTS, declined=False)
        .filter(status__in=("failed", "unknown", "pending"))
        .exclude(status="pending", created_at__gt=now - STALE)
        # a part of a refund that ended failed (another part was declined) is not sent again:
        # it would give money back for a refund that says none went (found by the money model)
        .exclude(status="failed", refund__status="failed")
        .order_by("id")
        .values_list("id", flat=True)[:100]
    )
    sent = 0
    for txn_id in list(due):
        transaction_send(txn_id=txn_id)
        sent += 1
    return sent
