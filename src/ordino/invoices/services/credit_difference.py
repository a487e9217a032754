"""The credit note of an exchange's difference given back (docs/invoices.md, "Exchanges"): the
refund names no units (the returned units paid for the new lines; only the rest comes back),
so its amount is credited on the lines the goods came back on, as money without units."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from ordino.core.domain.money import allocate, money_exact
from ordino.invoices.domain.numbering import CREDIT_NOTE, INVOICE
from ordino.invoices.models import Invoice, InvoiceLine
from ordino.invoices.services.credit import CreditLineIn, credit_note_issue
from ordino.orders.models import Order, OrderLine

ZERO = Decimal(0)
# A refund's source when it gives back an exchange's difference (returns/services/exchange.py,
# refund.py): at once ("exchange:<return id>") or on a receipt ("return:<id>:<receipt>").
DIFFERENCE_SOURCES = ("exchange:", "return:")


def _left(order_id: int, kind: str) -> dict[int, Decimal]:
    rows = (
        InvoiceLine.objects.filter(invoice__order_id=order_id, invoice__kind=kind)
        .values("line_no")
        .annotate(amount=Sum("total"))
    )
    return {row["line_no"]: row["amount"] or ZERO for row in rows}


def difference_credit_lines(order: Order, amount: Decimal) -> list[CreditLineIn]:
    """`amount` over the lines with returned units (none yet, when refunded before the goods
    are back: every invoiced line), by what each has invoiced and not credited (largest
    remainder), each part's tax the line's tax rate of it (its tax over its total)."""
    invoiced, credited = _left(order.pk, INVOICE), _left(order.pk, CREDIT_NOTE)
    lines = list(OrderLine.objects.filter(order_id=order.pk).order_by("line_no"))
    returned = [line for line in lines if line.quantity_returned]
    chosen = returned or lines
    room = [
        max(ZERO, invoiced.get(x.line_no, ZERO) - credited.get(x.line_no, ZERO)) for x in chosen
    ]
    if sum(room, ZERO) < amount:
        return []
    out = []
    for line, part in zip(chosen, allocate(amount, room, order.currency), strict=True):
        if part <= 0:
            continue
        tax = money_exact(
            allocate(part, [line.tax, line.total - line.tax], order.currency)[0]
            if line.total
            else ZERO,
            order.currency,
        )
        out.append(CreditLineIn(line_no=line.line_no, quantity=0, amount=part, tax=tax))
    return out


def credit_note_for_difference(
    *, order_id: int, refund_id, amount: Decimal, reason: str, source: str, actor: str
) -> Invoice | None:
    """The credit note of an exchange's difference refund, once per refund; None when the
    order's invoices leave nothing to credit it on (not invoiced: a marketplace's)."""
    order = Order.objects.get(pk=order_id)
    lines = difference_credit_lines(order, amount)
    if not lines:
        return None
    return credit_note_issue(
        order_id=order_id,
        lines=lines,
        reason=reason,
        source=source,
        reference=f"refund:{refund_id}",
        actor=actor,
    )
