"""Refunds: recorded in the request's transaction (pending), sent to the providers from the
outbox (`RefundRecorded`). Checked cumulatively under the order's payments lock: never more
than was captured and not yet refunded, per payment and in all (docs/payments.md, "Refunds")."""

from __future__ import annotations

from decimal import Decimal

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import Conflict, DomainError
from ordino.core.domain.money import money_exact
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.orders.models import Order
from ordino.orders.selectors import order_get
from ordino.payments import events as ev
from ordino.payments import ports
from ordino.payments.commands import RefundOrder
from ordino.payments.domain.ledger import payment_balance
from ordino.payments.domain.schedule import line_refund, split_over
from ordino.payments.models import Payment, PaymentTransaction, Refund
from ordino.payments.selectors import (
    OrderMoneyRead,
    order_money_read,
    refunded_units,
)
from ordino.payments.services.common import amount_text, payments_lock, timeline, txn_open
from ordino.payments.services.credit import credit_expiry_check
from ordino.payments.services.credit_refund import refund_to_credit
from ordino.payments.services.send import SYSTEM, refund_payload, transactions_send

ZERO = Decimal(0)


def refund_create(*, command: RefundOrder, scope: Scope = UNRESTRICTED) -> Refund:
    """Record a refund of some shipped units, shipping and goodwill. Split over the payments
    last captured first (the most recent money goes back first; docs/payments.md)."""
    with use_case_atomic():
        order = order_get(order_id=command.order_id, scope=scope, reach=CHANGE)
        payments = payments_lock(order.pk)
        if command.source:  # a refund a source asks for is recorded once (a retried event)
            done = Refund.objects.filter(order_id=order.pk, source=command.source[:64]).first()
            if done is not None:
                return done
        read = order_money_read(order=Order.objects.get(pk=order.pk), payments=payments)
        lines, shipping, goodwill = _amounts(command, read)
        amount = sum((x["amount_d"] for x in lines), ZERO) + shipping + goodwill
        if amount <= 0:
            raise DomainError(
                "refund_empty", "Say what to refund: lines, shipping or goodwill.", field="lines"
            )
        txns = read.txn_values()
        balances = {p.pk: payment_balance(p.pk, txns) for p in payments}
        refundable = sum((b.refundable for b in balances.values()), ZERO)
        if amount > refundable:
            raise Conflict(
                "refund_exceeds_captured",
                f"{amount_text(amount, order.currency)} is more than the "
                f"{amount_text(refundable, order.currency)} captured and not yet refunded.",
                field="amount",
            )
        if command.to == "store_credit" and order.customer_id is None:
            raise DomainError(
                "customer_required", "Store credit is a customer's: this order has no customer.",
                field="to",
            )  # fmt: skip
        now = utcnow()
        _expiry_check(command, now)
        refund = Refund.objects.create(
            order_id=order.pk,
            amount=amount,
            currency=order.currency,
            lines=[{k: v for k, v in x.items() if k != "amount_d"} for x in lines],
            shipping=shipping,
            goodwill=goodwill,
            reason=command.reason[:255],
            source=command.source[:64],
            to=command.to,
            status="pending",
            actor=command.actor[:128],
            created_at=now,
        )
        by_id = {p.pk: p for p in payments}
        order_of_refund = refund_order(read, by_id)
        opened = [
            txn_open(by_id[pid], "refund", part, now, refund=refund)
            for pid, part in split_over(
                amount, [(pid, balances[pid].refundable) for pid in order_of_refund]
            )
        ]
        timeline(
            order.pk,
            "refund_recorded",
            f"Refund {refund.pk} of {amount_text(amount, order.currency)} recorded"
            + (f": {refund.reason}" if refund.reason else "")
            + ".",
            command.actor,
            {"refund_id": refund.pk, "amount": str(amount)},
            now,
        )
        event_emit(
            event=ev.RefundRecorded(**refund_payload(refund)), aggregate_id=order.pk, now=now
        )
        if command.to == "store_credit":
            refund_to_credit(refund, order.customer_id, opened, now, command.expires_at)
        return refund


def _expiry_check(command: RefundOrder, now) -> None:
    """Only credit can expire: an expiry goes with a refund to store credit (422
    `expiry_not_allowed`), bounded as staff's (services/credit.py)."""
    if command.expires_at is not None and command.to != "store_credit":
        raise DomainError(
            "expiry_not_allowed", "Only a refund to store credit can expire.", field="expires_at"
        )
    credit_expiry_check(command.expires_at, now)


def _amounts(command: RefundOrder, read: OrderMoneyRead) -> tuple[list[dict], Decimal, Decimal]:
    currency = read.order.currency
    shipping = money_exact(command.shipping, currency, field="shipping")
    goodwill = money_exact(command.goodwill, currency, field="goodwill")
    if shipping < 0 or goodwill < 0:
        raise DomainError("invalid_money", "Refund amounts are not negative.", field="shipping")
    shipping_paid = read.order.shipping_price + read.order.shipping_tax
    shipping_before = sum((r.shipping for r in read.refunds if r.status != "failed"), ZERO)
    if shipping_before + shipping > shipping_paid:
        raise DomainError(
            "refund_exceeds_shipping",
            f"Shipping left to refund: {amount_text(shipping_paid - shipping_before, currency)}.",
            field="shipping",
        )
    by_no = {line.line_no: line for line in read.lines}
    before = refunded_units(read.refunds)
    # an exchange's returned units were paid for by its new lines: not refundable by hand,
    # neither once received nor while on their way back (docs/payments.md, "Refunds")
    pending = ports.exchange_units_pending(order_id=read.order.pk)
    for no, units in [*(read.exchanged_units or {}).items(), *pending.items()]:
        before[no] = before.get(no, 0) + units
    seen: set[int] = set()
    out = []
    for i, wanted in enumerate(command.lines):
        line = by_no.get(wanted.line_no)
        if line is None or wanted.line_no in seen:
            raise DomainError(
                "unknown_line",
                f"No line {wanted.line_no} to refund (once).",
                field=f"lines.{i}.line_no",
            )
        seen.add(wanted.line_no)
        part = line_refund(
            line=line,
            quantity=wanted.quantity,
            refunded_before=before.get(wanted.line_no, 0),
            currency=currency,
        )
        out.append(
            {
                "line_no": part.line_no,
                "quantity": part.quantity,
                # in the currency's decimals (stored amounts carry 3): "9.50", not "9.500"
                "amount": str(money_exact(part.amount, currency)),
                "tax": str(money_exact(part.tax, currency)),
                "amount_d": part.amount,
            }
        )
    return out, shipping, goodwill


def refund_order(read: OrderMoneyRead, by_id: dict[int, Payment]) -> list[int]:
    """Payment ids in the order a refund takes them: money paid otherwise (cards, transfers)
    before store credit, and among each the one whose latest capture is newest first: the card
    charged last is the one the customer watches, and store credit goes back last because the
    customer chose money over it when paying (docs/payments.md, "Refunds")."""
    latest: dict[int, int] = {}
    for t in read.txns:
        if t.kind == "capture" and t.status == "succeeded":
            latest[t.payment_id] = t.pk
    return sorted(latest, key=lambda pid: (by_id[pid].method == "store_credit", -latest[pid]))


def refund_send(*, refund_id: int, actor: str = SYSTEM) -> list[PaymentTransaction]:
    """The worker: send a recorded refund's transactions to their providers."""
    ids = PaymentTransaction.objects.filter(refund_id=refund_id, status="pending").order_by("id")
    return transactions_send(list(ids.values_list("id", flat=True)), actor)
