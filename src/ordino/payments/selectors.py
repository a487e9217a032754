"""Payments' reads: an order's money as the ledger sees it, its balance (the API's and the
console's, one function so they always agree), payments and refunds. A fixed number of queries
whatever the order's size."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ordino.core.domain.money import allocate, quantum
from ordino.core.domain.scope import READ, UNRESTRICTED, Scope
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.orders.selectors import order_get
from ordino.payments.domain.ledger import (
    LineMoney,
    OrderBalance,
    Txn,
    order_balance,
    payment_balance,
)
from ordino.payments.domain.schedule import LineUnits
from ordino.payments.models import Payment, PaymentTransaction, Refund

ZERO = Decimal(0)


@dataclass(frozen=True)
class OrderMoneyRead:
    order: Order
    lines: list[LineUnits]
    payments: list[Payment]
    txns: list[PaymentTransaction]
    refunds: list[Refund]
    returned: Decimal = ZERO  # the money of the units returned (their changes lowered the total)
    exchanged: dict[int, Decimal] | None = None  # per line no, what exchanges took back
    # per line no, the units exchanges took back: paid for by the exchange's new lines and
    # credited on receipt, so never refunded by hand as well
    exchanged_units: dict[int, int] | None = None

    @property
    def sold_total(self) -> Decimal:
        """The current total with the returned units' money added back: what was sold and not
        cancelled. Captures follow what shipped of it; a return's money goes back as a refund,
        never by capturing less (docs/payments.md, "When money moves")."""
        return self.order.current_total + self.returned

    def txn_values(self) -> list[Txn]:
        return [txn_value(t) for t in self.txns]

    @property
    def overpaid_back(self) -> Decimal:
        """Overpayments given back or on their way (services/overpaid.py): captured money that
        pays for nothing of the order any more."""
        return sum(
            (r.goodwill for r in self.refunds
             if overpayment_refund(r) and r.status in ("pending", "succeeded")),
            ZERO,
        )  # fmt: skip

    def taken(self, balances) -> Decimal:
        """What pays for the sold total: captured or being captured, less the overpayments
        given back — so a capture after one still takes what later shipments make due."""
        return sum((b.captured + b.capturing for b in balances), ZERO) - self.overpaid_back


def txn_value(t: PaymentTransaction) -> Txn:
    return Txn(t.payment_id, t.kind, t.amount, t.status, declined=t.declined)


def payments_planned(existing: list[Payment]) -> Decimal:
    """What the order's payments still stand to pay of its current total: each one's amount
    less what was voided or refunded of it (done or in flight). A cancellation, or a return
    refunded, lowered the total by that money: counting the payments' whole amounts would
    refuse a payment the order needs, e.g. an exchange's difference (docs/payments.md)."""
    live = [p for p in existing if p.status not in ("declined", "voided")]
    txns = [
        txn_value(t) for t in PaymentTransaction.objects.filter(payment__in=[p.pk for p in live])
    ]
    planned = ZERO
    for p in live:
        b = payment_balance(p.pk, txns)
        planned += max(ZERO, p.amount - b.voided - b.voiding - b.refunded - b.refunding)
    return planned


def order_left_to_pay(*, order: Order) -> Decimal:
    """Of the order's current total, what its payments do not stand to pay yet (a payment "for
    what is left" takes it; negative: they hold more than the total — money not voided yet
    after a cancellation, or captured beyond an edit)."""
    payments = list(Payment.objects.filter(order_id=order.pk))
    return order.current_total - payments_planned(payments)


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
            returned=line.quantity_returned,
        )
        for line in OrderLine.objects.filter(order_id=order.pk).order_by("line_no")
    ]
    if payments is None:
        payments = list(Payment.objects.filter(order_id=order.pk).order_by("sequence"))
    txns = list(PaymentTransaction.objects.filter(payment__order_id=order.pk).order_by("id"))
    refunds = list(Refund.objects.filter(order_id=order.pk).order_by("id"))
    changes = _return_changes(order.pk)
    returned, exchanged = _returned_money(changes, order.currency)
    return OrderMoneyRead(
        order, lines, payments, txns, refunds, returned, exchanged, _exchanged_units(changes)
    )


def _return_changes(order_id: int) -> list[tuple[bool, Decimal, dict]]:
    """The order's return changes, each with whether an exchange made it (its return's units
    paid for the exchange's new lines), its amount delta and its data."""
    changes = list(
        OrderChange.objects.filter(order_id=order_id, kind__in=("return", "exchange")).values_list(
            "kind", "amount_delta", "data"
        )
    )
    exchanges = {
        f"return:{data['exchange']['return']}"
        for kind, _, data in changes
        if kind == "exchange" and isinstance(data.get("exchange"), dict)
    }
    return [
        (data.get("reference") in exchanges, delta, data)
        for kind, delta, data in changes
        if kind == "return"
    ]


def _returned_money(
    changes: list[tuple[bool, Decimal, dict]], currency: str
) -> tuple[Decimal, dict[int, Decimal]]:
    """The money of the units plain returns took back (each return's change lowered the current
    total by it; the receipt's refund gives it back), and per line the money of the units
    exchanges took back. An exchange's returned units are left out of the first: their money
    paid for the exchange's new lines, which raised the total (docs/returns.md, "Exchanges"),
    so the current total already says what is due."""
    plain, exchanged = ZERO, {}
    for by_exchange, delta, data in changes:
        if not by_exchange:
            plain -= delta
            continue
        for no, amount in _per_line(-delta, data.get("lines", []), currency):
            exchanged[no] = exchanged.get(no, ZERO) + amount
    return plain, exchanged


def _exchanged_units(changes: list[tuple[bool, Decimal, dict]]) -> dict[int, int]:
    """Units per line that exchanges took back (`OrderMoneyRead.exchanged_units`)."""
    units: dict[int, int] = {}
    for by_exchange, _, data in changes:
        for x in data.get("lines", []) if by_exchange else ():
            units[int(x["line_no"])] = units.get(int(x["line_no"]), 0) + int(x["quantity"])
    return units


def _per_line(amount: Decimal, lines: list[dict], currency: str) -> list[tuple[int, Decimal]]:
    """A return change's money per line: as recorded (`amount`, orders/services/returns.py), or
    for a change recorded before lines kept it, split by units (largest remainder)."""
    if all("amount" in x for x in lines):
        return [(int(x["line_no"]), Decimal(str(x["amount"]))) for x in lines]
    parts = allocate(amount, [int(x["quantity"]) for x in lines], currency) if lines else []
    return [(int(x["line_no"]), part) for x, part in zip(lines, parts, strict=True)]


def refunded_units(refunds: list[Refund]) -> dict[int, int]:
    """Units refunded so far per line number (refunds that failed gave nothing back)."""
    units: dict[int, int] = {}
    for refund in refunds:
        if refund.status == "failed":
            continue
        for line in refund.lines:
            units[line["line_no"]] = units.get(line["line_no"], 0) + line["quantity"]
    return units


# Refunds whose goodwill is an exchange's difference (returns/services/refund.py, exchange.py):
# what a return took off the total, given back, like a refund of returned units.
RETURN_SOURCES = ("return:", "exchange:")
# Refunds of what was captured beyond the total after a cancellation or an edit
# (services/overpaid.py): the customer's own money given back, no concession.
OVERPAID_SOURCE = "overpaid:"


def exchange_difference(refund: Refund) -> bool:
    """The refund gives back an exchange's difference: goodwill alone, asked by an exchange or
    its return's receipt (credited with the exchange's returned units, docs/invoices.md)."""
    return not refund.lines and not refund.shipping and refund.source.startswith(RETURN_SOURCES)


def overpayment_refund(refund: Refund) -> bool:
    """The refund gives back money captured beyond the order's total (no credit note: nothing
    was invoiced for it; no goodwill expense: it was never the merchant's)."""
    return refund.source.startswith(OVERPAID_SOURCE)


def goodwill_expense(refund: Refund) -> bool:
    """Its goodwill is a concession the journal books as an expense (docs/accounting.md)."""
    return not exchange_difference(refund) and not overpayment_refund(refund)


def balance_of(read: OrderMoneyRead) -> OrderBalance:
    order, currency = read.order, read.order.currency
    refunded_money: dict[int, Decimal] = {}
    refunded_count: dict[int, int] = {}
    shipping = goodwill = exchanges = overpaid = ZERO
    for refund in read.refunds:
        if refund.status == "reversed" and not overpayment_refund(refund):
            # its goodwill is still granted, owed again
            goodwill += refund.goodwill
        if refund.status != "succeeded":
            continue
        shipping += refund.shipping
        if overpayment_refund(refund):
            overpaid += refund.goodwill
            continue
        goodwill += refund.goodwill
        if refund.source.startswith(RETURN_SOURCES):
            exchanges += refund.goodwill
        for line in refund.lines:
            no = line["line_no"]
            refunded_money[no] = refunded_money.get(no, ZERO) + Decimal(line["amount"])
            refunded_count[no] = refunded_count.get(no, 0) + line["quantity"]
    return order_balance(
        currency=currency,
        ordered=order.current_total,
        returned=read.returned,
        payment_ids=[p.pk for p in read.payments],
        txns=read.txn_values(),
        lines=[
            LineMoney(
                line.line_no,
                line.money_now(currency),
                refunded_money.get(line.line_no, ZERO),
                line.shipped_money(currency),
                line.returned_money(currency),
                line.returned_money(currency, refunded_count.get(line.line_no, 0)),
                (read.exchanged or {}).get(line.line_no, ZERO),
            )
            for line in read.lines
        ],
        shipping_refunded=shipping,
        goodwill_refunded=goodwill,
        exchanges_refunded=exchanges,
        overpaid_refunded=overpaid,
    )


def order_balance_get(*, order_id: int, scope: Scope = UNRESTRICTED) -> dict:
    """GET /orders/{id}/balance and the console's money panel: the same figures."""
    order = order_get(order_id=order_id, scope=scope, reach=READ)
    return balance_serialize(order_money_read(order=order))


def _exact(currency: str):
    """Amounts as the currency writes them (the columns keep 3 decimals): 49.48, not 49.480."""
    q = quantum(currency)
    return lambda amount: Decimal(amount).quantize(q)


def payment_serialize(p: Payment) -> dict:
    m = _exact(p.currency)
    return {
        "id": p.pk, "sequence": p.sequence, "method": p.method, "provider": p.provider,
        "brand": p.brand, "last4": p.last4, "amount": m(p.amount), "currency": p.currency,
        "status": p.status, "authorization_expires_at": p.authorization_expires_at,
    }  # fmt: skip


def refund_serialize(r: Refund) -> dict:
    m = _exact(r.currency)
    return {
        "id": r.pk, "order_id": r.order_id, "amount": m(r.amount), "currency": r.currency,
        "lines": [{**x, "amount": m(x["amount"]), "tax": m(x["tax"])} for x in r.lines],
        "shipping": m(r.shipping), "goodwill": m(r.goodwill), "reason": r.reason,
        "source": r.source, "to": r.to, "status": r.status, "created_at": r.created_at,
    }  # fmt: skip


def balance_serialize(read: OrderMoneyRead) -> dict:
    b = balance_of(read)
    m = _exact(b.currency)
    by_id = {p.payment_id: p for p in b.payments}
    last_txn = {t.payment_id: t for t in read.txns}
    return {
        "order_id": read.order.pk,
        "currency": b.currency,
        "ordered": m(b.ordered),
        "authorized": m(b.authorized),
        "captured": m(b.captured),
        "refunded": m(b.refunded),
        "voided": m(b.voided),
        "disputed": m(b.disputed),
        "outstanding": m(b.outstanding),
        "overpaid": m(b.overpaid),
        "returns_refunded": m(b.returns_refunded),
        "goodwill_refunded": m(b.goodwill_refunded),
        "payments": [
            {
                "id": p.pk,
                "sequence": p.sequence,
                "method": p.method,
                "provider": p.provider,
                "brand": p.brand,
                "last4": p.last4,
                "amount": m(p.amount),
                "status": p.status,
                "authorization_expires_at": p.authorization_expires_at,
                "authorized": m(by_id[p.pk].authorized),
                "captured": m(by_id[p.pk].captured),
                "refunded": m(by_id[p.pk].refunded),
                "voided": m(by_id[p.pk].voided),
                "disputed": m(by_id[p.pk].disputed),
                "dispute_status": p.dispute_status,
                "dispute_amount": m(p.dispute_amount),
                "open": m(by_id[p.pk].open),
                "refundable": m(by_id[p.pk].refundable),
                "outstanding": m(_payment_outstanding(p, by_id[p.pk])),
                "retryable": _retryable(last_txn.get(p.pk)),
            }
            for p in read.payments
        ],
        "lines": [
            {
                "line_no": x.line_no,
                "ordered": m(x.ordered),
                "captured": m(x.captured),
                "refunded": m(x.refunded),
                "returned": m(x.returned),
                "exchanged": m(x.exchanged),
                "outstanding": m(x.outstanding),
            }
            for x in b.lines
        ],
        "transactions": [
            {
                "id": t.pk,
                "payment_id": t.payment_id,
                "kind": t.kind,
                "amount": m(t.amount),
                "status": t.status,
                "declined": t.declined,
                "error": t.error,
                "created_at": t.created_at,
                "finished_at": t.finished_at,
            }
            for t in read.txns
        ],
        "refunds": [refund_serialize(r) for r in read.refunds],
    }


def _payment_outstanding(payment: Payment, balance) -> Decimal:
    """Of the payment's amount, neither captured nor voided yet: what it has still to bring in."""
    return max(ZERO, payment.amount - balance.captured - balance.voided)


def _retryable(txn: PaymentTransaction | None) -> bool:
    return txn is not None and txn.status in ("failed", "unknown", "pending")


def money_moved_of_period(*, start, end) -> list[PaymentTransaction]:
    """Captures, refunds, refunds reversed (failed after the provider accepted them) and lost
    chargebacks booked in [start, end) (UTC datetimes, by `finished_at`), with their payment,
    order and refund joined (the accounting journal)."""
    return list(
        PaymentTransaction.objects.select_related("payment__order", "refund")
        .filter(
            kind__in=("capture", "refund", "refund_reversal", "chargeback"),
            status="succeeded",
            finished_at__gte=start,
            finished_at__lt=end,
        )
        .order_by("finished_at", "id")
    )


def goodwill_of_period(*, start, end) -> list[Refund]:
    """Succeeded refunds with a goodwill part, recorded in [start, end) (the journal); also
    reversed ones (their money failed to reach the customer: the goodwill is owed still), so a
    period's entries never change afterwards."""
    return list(
        Refund.objects.select_related("order")
        .filter(status__in=("succeeded", "reversed"), goodwill__gt=0)
        .filter(created_at__gte=start, created_at__lt=end)
        .order_by("created_at", "id")
    )


def payment_methods_of(*, order_ids) -> dict[int, set[str]]:
    """The methods of each order's payments (holds' `payment.methods`, through orders' port)."""
    found: dict[int, set[str]] = {}
    rows = Payment.objects.filter(order_id__in=list(order_ids)).values_list("order_id", "method")
    for order_id, method in rows:
        found.setdefault(order_id, set()).add(method)
    return found
