"""Credit notes: money given back on an order (a refund), numbered in their own series."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.domain.money import money_exact
from ordino.core.domain.scope import CHANGE, UNRESTRICTED, Scope
from ordino.core.transactions import use_case_atomic
from ordino.invoices.domain.amounts import DocLine, shipping_gross_split, units_discount
from ordino.invoices.domain.numbering import CREDIT_NOTE, DEFAULT_SERIES
from ordino.invoices.models import Invoice, InvoiceLine
from ordino.invoices.services.document import DocumentIn, document_write
from ordino.invoices.services.numbering import series_lock
from ordino.orders.models import Order, OrderLine
from ordino.orders.selectors import order_scope_q


@dataclass(frozen=True)
class CreditLineIn:
    line_no: int
    quantity: int
    amount: Decimal  # what is given back for the line, tax included
    tax: Decimal  # the tax part of `amount`


def credit_note_issue(
    *,
    order_id: int,
    lines: Sequence[CreditLineIn | tuple[int, int, Decimal, Decimal]],
    shipping: Decimal = Decimal(0),
    shipping_tax: Decimal = Decimal(0),
    shipping_gross: Decimal | None = None,
    reason: str = "",
    source: str = "",
    reference: str = "",
    actor: str,
    scope: Scope = UNRESTRICTED,
) -> Invoice:
    """A credit note for `lines` (amount with tax, and its tax) and shipping given back. Once
    per `reference` (a refund's "refund:<id>"; none: a new manual one each time). Never more
    back than a line's total or the order's shipping, over all its credit notes.
    `shipping_gross`: shipping given back with its tax (a refund's), split here into net and
    tax (instead of `shipping` and `shipping_tax`)."""
    given = [line if isinstance(line, CreditLineIn) else CreditLineIn(*line) for line in lines]
    with use_case_atomic():
        # giving money back changes the order: the reach of cancel and edit (core/domain/scope.py)
        order = Order.objects.filter(order_scope_q(scope, CHANGE), pk=order_id).first()
        if order is None:
            raise NotFound("order", order_id)
        now = utcnow()
        series = series_lock(code=DEFAULT_SERIES[CREDIT_NOTE], at=now)
        reference = reference or f"manual:{uuid.uuid4().hex[:20]}"
        done = Invoice.objects.filter(order=order, kind=CREDIT_NOTE, reference=reference).first()
        if done is not None:
            return done
        doc_lines = _credit_lines(order, given)
        if shipping_gross is not None:
            shipping, shipping_tax = _shipping_split(order, shipping_gross)
        shipping, shipping_tax = _shipping_checked(order, shipping, shipping_tax)
        if not doc_lines and not shipping and not shipping_tax:
            raise DomainError("nothing_to_credit", "Give back some amount.", field="lines")
        doc = DocumentIn(
            kind=CREDIT_NOTE,
            reference=reference,
            lines=doc_lines,
            shipping_net=shipping,
            shipping_tax=shipping_tax,
            actor=actor,
            reason=reason,
            source=source,
        )
        return document_write(order=order, series=series, doc=doc, now=now)


def _credited(order: Order) -> dict[int, Decimal]:
    rows = (
        InvoiceLine.objects.filter(invoice__order=order, invoice__kind=CREDIT_NOTE)
        .values("line_no")
        .annotate(amount=Sum("total"))
    )
    return {row["line_no"]: row["amount"] for row in rows}


def _credited_units(order: Order) -> dict[int, int]:
    rows = (
        InvoiceLine.objects.filter(invoice__order=order, invoice__kind=CREDIT_NOTE)
        .values("line_no")
        .annotate(units=Sum("quantity"))
    )
    return {row["line_no"]: row["units"] or 0 for row in rows}


def _credit_lines(order: Order, given: list[CreditLineIn]) -> list[DocLine]:
    by_no = {line.line_no: line for line in OrderLine.objects.filter(order=order)}
    credited, units_before = _credited(order), _credited_units(order)
    errors, out, seen = [], [], set()
    for i, c in enumerate(given):
        field = f"lines.{i}"
        line = by_no.get(c.line_no)
        try:
            amount = money_exact(c.amount, order.currency, field=f"{field}.amount")
            tax = money_exact(c.tax, order.currency, field=f"{field}.tax")
        except DomainError as exc:
            errors += exc.errors
            continue
        problem = _credit_line_problem(c, line, amount, tax, credited, seen)
        if problem:
            errors.append(
                {"field": f"{field}.{problem[0]}", "code": problem[1], "message": problem[2]}
            )
            continue
        seen.add(c.line_no)
        out.append(
            DocLine(
                c.line_no,
                line.sku_code,
                line.name,
                c.quantity,
                line.unit_price,
                amount - tax,
                tax,
                amount,
                line.tax_rate,
                units_discount(
                    line.line_discount + line.order_discount,
                    ordered=line.quantity_ordered,
                    before=units_before.get(c.line_no, 0),
                    units=c.quantity,
                    currency=order.currency,
                ),
            )
        )
    if errors:
        raise DomainError("invalid_lines", "Some lines cannot be credited as given.", errors=errors)
    return sorted(out, key=lambda d: d.line_no)


def _credit_line_problem(c, line, amount, tax, credited, seen) -> tuple[str, str, str] | None:
    if line is None:
        return ("line_no", "unknown_line", f"The order has no line {c.line_no}.")
    if c.line_no in seen:
        return ("line_no", "duplicate_line", f"Line {c.line_no} is given twice.")
    if not 0 <= c.quantity <= line.quantity_ordered:
        return ("quantity", "invalid_quantity", f"Line {c.line_no} has {line.quantity_ordered}.")
    if amount < 0 or not 0 <= tax <= amount:
        return ("tax", "invalid_amount", "Amounts are positive, the tax at most the amount.")
    left = line.total - credited.get(c.line_no, Decimal(0))
    if amount > left:
        return ("amount", "exceeds_line", f"At most {left} is left to give back on this line.")
    return None


def _shipping_split(order: Order, gross) -> tuple[Decimal, Decimal]:
    gross = money_exact(gross, order.currency, field="shipping")
    done = Invoice.objects.filter(order=order, kind=CREDIT_NOTE).aggregate(
        net=Sum("shipping_net"), tax=Sum("shipping_tax")
    )
    before = (done["net"] or Decimal(0)) + (done["tax"] or Decimal(0))
    return shipping_gross_split(
        gross,
        before=before,
        price=order.shipping_price,
        tax=order.shipping_tax,
        currency=order.currency,
    )


def _shipping_checked(order: Order, shipping, shipping_tax) -> tuple[Decimal, Decimal]:
    shipping = money_exact(shipping, order.currency, field="shipping")
    shipping_tax = money_exact(shipping_tax, order.currency, field="shipping_tax")
    done = Invoice.objects.filter(order=order, kind=CREDIT_NOTE).aggregate(
        net=Sum("shipping_net"), tax=Sum("shipping_tax")
    )
    for field, amount, of, before in (
        ("shipping", shipping, order.shipping_price, done["net"]),
        ("shipping_tax", shipping_tax, order.shipping_tax, done["tax"]),
    ):
        if amount < 0 or amount + (before or 0) > of:
            raise DomainError(
                "exceeds_shipping", f"At most {of - (before or 0)} is left.", field=field
            )
    return shipping, shipping_tax
