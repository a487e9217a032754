"""The credit note of an exchange's returned units (docs/invoices.md, "Exchanges"): when a
receipt of an exchange's return takes units back, they are credited like any returned unit —
their refund decision, with its tax and units — and the new lines are invoiced when they ship.
So invoices − credit notes is what the customer was charged net; the difference a refund
gives back is not credited again (its goodwill is the units' credit, docs/accounting.md)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum

from ordino.core.domain.money import allocate
from ordino.invoices.domain.numbering import CREDIT_NOTE
from ordino.invoices.models import Invoice, InvoiceLine
from ordino.invoices.services.credit import CreditLineIn, credit_note_issue
from ordino.orders.models import Order, OrderLine

ZERO = Decimal(0)


def credit_note_for_exchange_receipt(
    *, order_id: int, reference: str, lines: Sequence[CreditLineIn], reason: str, actor: str
) -> Invoice | None:
    """The receipt's units credited, once per `reference` (the receipt's, `return:<id>:<at>`).
    Never more on a line than its total less what credit notes gave back of it before (a unit
    refunded by hand, then exchanged, is credited once): such a line is credited what is left,
    its tax in the same proportion. None when nothing is left to credit."""
    if Invoice.objects.filter(order_id=order_id, kind=CREDIT_NOTE, reference=reference).exists():
        return None
    given = _within_lines(order_id, lines)
    if not given:
        return None
    return credit_note_issue(
        order_id=order_id,
        lines=given,
        reason=reason,
        source="exchange",
        reference=reference,
        actor=actor,
    )


def _within_lines(order_id: int, lines: Sequence[CreditLineIn]) -> list[CreditLineIn]:
    currency = Order.objects.values_list("currency", flat=True).get(pk=order_id)
    totals = dict(OrderLine.objects.filter(order_id=order_id).values_list("line_no", "total"))
    credited = {
        row["line_no"]: row["amount"] or ZERO
        for row in InvoiceLine.objects.filter(invoice__order_id=order_id, invoice__kind=CREDIT_NOTE)
        .values("line_no")
        .annotate(amount=Sum("total"))
    }
    out = []
    for line in lines:
        left = totals.get(line.line_no, ZERO) - credited.get(line.line_no, ZERO)
        if line.line_no not in totals or left <= 0 or line.amount <= 0:
            continue
        if line.amount > left:  # what is left, its tax in the line's proportion
            tax = allocate(left, [line.tax, line.amount - line.tax], currency)[0]
            line = CreditLineIn(line.line_no, line.quantity, left, tax)
        out.append(line)
    return out
