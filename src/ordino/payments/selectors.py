"""Payments' reads: an order's money as the ledger sees it, its balance (the API's and the
console's, one function so they always agree), payments and refunds. A fixed number of queries
whatever the order's size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.scope import READ, UNRESTRICTED, Scope
from ordino.fulfillment.domain import status as fs
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order, OrderLine
from ordino.orders.selectors import order_get
from ordino.payments.domain.ledger import LineMoney, OrderBalance, Txn, order_balance
from ordino.payments.domain.schedule import LineUnits
from ordino.payments.models import Payment, PaymentTransaction, Refund

ZERO = Decimal(0)
HOLDABLE = (fs.OPEN, fs.ACCEPTED, fs.PICKING, fs.PACKED)


@dataclass(frozen=True)
class OrderMoneyRead:
    order: Order
    lines: list[LineUnits]
    payments: list[Payment]
    txns: list[PaymentTransaction]
    refunds: list[Refund]

    def txn_values(self) -> list[Txn]:
        return [Txn(t.payment_id, t.kind, t.amount, t.status) for t in self.txns]


def order_money_read(*, order: Order, payments: list[Payment] | None = None) -> OrderMoneyRead:
    """The order's lines, payments (or those given, e.g. locked), transactions and refunds."""
    lines = [
        LineUnits(
            line_no=line.line_no,
            total=line.total,
            tax=line.tax,
            ordered=line.quantity_ordered,
            cancelled=line.quantity_cancelled,
            shipped=line.quantity_shipped,
        )
        for line in OrderLine.objects.filter(order_id=order.pk).order_by("line_no")
    ]
    if payments is None:
        payments = list(Payment.objects.filter(order_id=order.pk).order_by("sequence"))
    txns = list(PaymentTransaction.objects.filter(payment__order_id=order.pk).order_by("id"))
    refunds = list(Refund.objects.filter(order_id=order.pk).order_by("id"))
    return OrderMoneyRead(order, lines, payments, txns, refunds)


def refunded_units(refunds: list[Refund]) -> dict[int, int]:
    """Units refunded so far per line number (refunds that failed gave nothing back)."""
    units: dict[int, int] = {}
    for refund in refunds:
        if refund.status == "failed":
            continue
        for line in refund.lines:
            units[line["line_no"]] = units.get(line["line_no"], 0) + line["quantity"]
    return units


def balance_of(read: OrderMoneyRead) -> OrderBalance:
    order = read.order
    refunded_money: dict[int, Decimal] = {}
    shipping = goodwill = ZERO
    for refund in read.refunds:
        if refund.status != "succeeded":
            continue
        shipping += refund.shipping
        goodwill += refund.goodwill
        for line in refund.lines:
            refunded_money[line["line_no"]] = refunded_money.get(line["line_no"], ZERO) + Decimal(
                line["amount"]
            )
    return order_balance(
        currency=order.currency,
        ordered=order.current_total,
        payment_ids=[p.pk for p in read.payments],
        txns=read.txn_values(),
        lines=[
            LineMoney(
                line.line_no, line.money_now(order.currency), refunded_money.get(line.line_no, ZERO)
            )
            for line in read.lines
        ],
        shipping_refunded=shipping,
        goodwill_refunded=goodwill,
    )


def order_balance_get(*, order_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """GET /orders/{id}/balance and the console's money panel: the same figures."""
    order = order_get(order_id=order_id, scope=scope, reach=READ)
    return balance_serialize(order_money_read(order=order))


def balance_serialize(read: OrderMoneyRead) -> dict:
    b = balance_of(read)
    by_id = {p.payment_id: p for p in b.payments}
    last_txn = {t.payment_id: t for t in read.txns}
    return {
        "order_id": read.order.pk,
        "currency": b.currency,
        "ordered": b.ordered,
        "authorized": b.authorized,
        "captured": b.captured,
        "refunded": b.refunded,
        "voided": b.voided,
        "outstanding": b.outstanding,
        "overpaid": b.overpaid,
        "goodwill_refunded": b.goodwill_refunded,
        "payments": [
            {
                "id": p.pk,
                "sequence": p.sequence,
                "method": p.method,
                "provider": p.provider,
                "brand": p.brand,
                "last4": p.last4,
                "amount": p.amount,
                "status": p.status,
                "authorization_expires_at": p.authorization_expires_at,
                "authorized": by_id[p.pk].authorized,
                "captured": by_id[p.pk].captured,
                "refunded": by_id[p.pk].refunded,
                "voided": by_id[p.pk].voided,
                "open": by_id[p.pk].open,
                "refundable": by_id[p.pk].refundable,
                "retryable": _retryable(last_txn.get(p.pk)),
            }
            for p in read.payments
        ],
        "lines": [
            {
                "line_no": x.line_no,
                "ordered": x.ordered,
                "captured": x.captured,
                "refunded": x.refunded,
            }
            for x in b.lines
        ],
        "transactions": [
            {
                "id": t.pk,
                "payment_id": t.payment_id,
                "kind": t.kind,
                "amount": t.amount,
                "status": t.status,
                "declined": t.declined,
                "error": t.error,
                "created_at": t.created_at,
                "finished_at": t.finished_at,
            }
            for t in read.txns
        ],
        "refunds": [
            {
                "id": r.pk,
                "amount": r.amount,
                "shipping": r.shipping,
                "goodwill": r.goodwill,
                "lines": r.lines,
                "reason": r.reason,
                "source": r.source,
                "status": r.status,
                "created_at": r.created_at,
            }
            for r in read.refunds
        ],
    }


def _retryable(txn: PaymentTransaction | None) -> bool:
    return txn is not None and txn.status in ("failed", "unknown", "pending")


def fulfillment_orders_holdable(*, order_id: int) -> list[int]:
    """The order's fulfillment orders a declined payment puts on hold, in id order."""
    return list(
        FulfillmentOrder.objects.filter(order_id=order_id, status__in=HOLDABLE)
        .order_by("id")
        .values_list("id", flat=True)
    )


def fulfillment_orders_on_hold(*, ids: list[int]) -> list[int]:
    return list(
        FulfillmentOrder.objects.filter(pk__in=ids, status=fs.ON_HOLD)
        .order_by("id")
        .values_list("id", flat=True)
    )
