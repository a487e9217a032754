"""Reads of exchanges (docs/returns.md, "Exchanges"): an exchange is a return whose `exchange`
keeps its money and new lines. Served through `returns/selectors.py`; reads of other modules'
tables stay here (the order's lines and change records, the order's payments)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Max, Q, QuerySet

from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.orders.selectors import money_str
from ordino.payments.models import Payment
from ordino.returns.domain.dispositions import LineMoney, refund_decision
from ordino.returns.models import Return, ReturnLine

# A difference the customer owes is charged with the order's own method; these are not charged
# again: the marketplace settles its own money, store credit is not a card on file.
_NOT_CHARGEABLE = ("marketplace", "store_credit")


def return_value(*, ret: Return, order: Order) -> tuple[Decimal, Decimal]:
    """What the return's units are worth, tax included, and their tax: the refund decision
    their receipt would make (returns/domain/dispositions.py), after the units returned before."""
    sold = {line.line_no: line for line in OrderLine.objects.filter(order_id=order.pk)}
    total = tax = Decimal(0)
    for line in ReturnLine.objects.filter(ret=ret):
        s = sold[line.line_no]
        money = LineMoney(s.total, s.tax, s.quantity_ordered, order.currency, s.quantity_cancelled)
        t, x = refund_decision(money, returned_before=s.quantity_returned, units=line.quantity)
        total, tax = total + t, tax + x
    return total, tax


def order_last_line_no(order_id: int) -> int:
    found = OrderLine.objects.filter(order_id=order_id).aggregate(m=Max("line_no"))["m"]
    return found or 0


def exchange_new_lines(*, order_id: int, after_line_no: int) -> list[dict]:
    """The lines an exchange just added (numbered after `after_line_no`) with their money and
    sourcing: where their units were reserved, and how many wait as backorders (the order's
    latest change record says where)."""
    order = Order.objects.only("currency", "version").get(pk=order_id)
    change = OrderChange.objects.filter(order_id=order_id, version=order.version).first()
    data = change.data if change is not None else {}
    allocated: dict[int, list[dict]] = {}
    for pick in data.get("allocated", []):
        allocated.setdefault(pick["line_no"], []).append(
            {"location": pick["location"], "quantity": pick["quantity"]}
        )
    c = order.currency
    return [
        {
            "line_no": line.line_no,
            "sku": line.sku_code,
            "name": line.name,
            "quantity": line.quantity_ordered,
            "unit_price": money_str(line.unit_price, c),
            "tax": money_str(line.tax, c),
            "total": money_str(line.total, c),
            "allocated": allocated.get(line.line_no, []),
            "backordered": line.quantity_backordered,
        }
        for line in OrderLine.objects.filter(order_id=order_id, line_no__gt=after_line_no).order_by(
            "line_no"
        )
    ]


def exchange_payment_source(*, order_id: int) -> Payment | None:
    """The payment whose method (provider, token) charges what the customer owes: the order's
    latest one that is neither declined nor voided nor the marketplace's; None when there is
    none (an unpaid order)."""
    return (
        Payment.objects.filter(order_id=order_id)
        .exclude(status__in=("declined", "voided"))
        .exclude(method__in=_NOT_CHARGEABLE)
        .order_by("-sequence")
        .first()
    )


def exchange_list(*, return_q: Q, order_id: int | None = None) -> QuerySet[Return]:
    """The exchanges among the returns `return_q` reaches (the returns' scope filter)."""
    qs = Return.objects.filter(return_q, exchange__isnull=False).select_related("order", "location")
    if order_id is not None:
        qs = qs.filter(order_id=order_id)
    return qs.order_by("id")


def exchange_out(ret: Return, returned: dict) -> dict:
    """An exchange as the API and the console show it: its return (`returned`: the return's
    serialised form) and what the exchange decided."""
    x = ret.exchange or {}
    return {
        "id": ret.pk,
        "preview": False,
        "order_id": ret.order_id,
        "currency": ret.order.currency,
        "order_version": x.get("version"),
        "direction": x.get("direction", ""),
        "returned": x.get("returned", "0"),
        "returned_tax": x.get("returned_tax", "0"),
        "added": x.get("added", "0"),
        "added_tax": x.get("added_tax", "0"),
        "difference": x.get("difference", "0"),
        "tax_difference": x.get("tax_difference", "0"),
        "charge": x.get("charge", "0"),
        "refund_now": x.get("refund_now", "0"),
        "refund_on_receipt": x.get("refund_on_receipt", "0"),
        "payment_id": x.get("payment_id"),
        "refund_id": x.get("refund_id"),
        "new_lines": x.get("new_lines", []),
        "created_at": ret.created_at,
        "rma": returned,
    }
