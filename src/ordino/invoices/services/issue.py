"""Issuing invoices: one per shipment (or pickup), for the units it carried (docs/invoices.md)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.invoices.domain.amounts import OrderLineMoney, invoice_lines
from ordino.invoices.domain.numbering import DEFAULT_SERIES, INVOICE
from ordino.invoices.models import ChannelInvoicing, Invoice
from ordino.invoices.services.document import DocumentIn, document_write
from ordino.invoices.services.numbering import series_lock
from ordino.orders.models import Order, OrderLine


def order_lines_money(order_id: int) -> list[OrderLineMoney]:
    return [
        OrderLineMoney(
            line_no=line.line_no,
            sku=line.sku_code,
            name=line.name,
            ordered=line.quantity_ordered,
            cancelled=line.quantity_cancelled,
            unit_price=line.unit_price,
            total=line.total,
            tax=line.tax,
            discount=line.line_discount + line.order_discount,
            tax_rate=line.tax_rate,
        )
        for line in OrderLine.objects.filter(order_id=order_id).order_by("line_no")
    ]


@dataclass(frozen=True)
class InvoicedBefore:
    """The order's invoices so far, from one read: which reference each was issued for, and
    the units of each line they cover."""

    by_reference: dict[str, int]  # reference → invoice id
    units: dict[int, int]  # line number → units billed


def invoiced_before(order_id: int) -> InvoicedBefore:
    """One statement (the order's invoices, their lines joined; an invoice without lines still
    counts), read under the series lock so no other issue of the series races it."""
    rows = Invoice.objects.filter(order_id=order_id, kind=INVOICE).values_list(
        "id", "reference", "lines__line_no", "lines__quantity"
    )
    by_reference: dict[str, int] = {}
    units: dict[int, int] = {}
    for invoice_id, reference, line_no, quantity in rows:
        by_reference.setdefault(reference, invoice_id)
        if line_no is not None:
            units[line_no] = units.get(line_no, 0) + quantity
    return InvoicedBefore(by_reference, units)


def order_for_invoicing(order_id: int) -> Order:
    """The order, with whether its channel invoices itself (`invoicing_skipped`): one read."""
    skips = ChannelInvoicing.objects.filter(channel_id=OuterRef("channel_id"), skip=True)
    return Order.objects.annotate(invoicing_skipped=Exists(skips)).get(pk=order_id)


def invoice_issue(
    *, order_id: int, reference: str, billing: dict[int, int], actor: str
) -> Invoice | None:
    """The invoice for `billing` (line number → units shipped or handed over), once per
    `reference` ("shipment:<id>", "pickup:<fulfillment order id>"): a repeat answers the
    invoice issued the first time. Shipping goes on the order's first invoice. None when the
    order's channel invoices itself (a marketplace) or nothing is billable.

    Nine statements whatever the order's size (tests/invoices/test_issue_statements.py): the
    order, the series lock, the order's invoices so far, its lines, the number, the invoice,
    its lines in one insert, the timeline row, the event."""
    with use_case_atomic():
        order = order_for_invoicing(order_id)
        if order.invoicing_skipped:
            return None
        now = utcnow()
        series = series_lock(code=DEFAULT_SERIES[INVOICE], at=now)
        # Under the series lock: no other issue of this series runs (services/numbering.py).
        before = invoiced_before(order_id)
        if reference in before.by_reference:
            return Invoice.objects.get(pk=before.by_reference[reference])
        lines = invoice_lines(
            order_lines_money(order_id),
            billed_before=before.units,
            billing=billing,
            currency=order.currency,
        )
        if not lines:
            return None
        first = not before.by_reference
        zero = Decimal(0)
        doc = DocumentIn(
            kind=INVOICE,
            reference=reference,
            lines=lines,
            shipping_net=order.shipping_price if first else zero,
            shipping_tax=order.shipping_tax if first else zero,
            actor=actor,
        )
        return document_write(order=order, series=series, doc=doc, now=now)


def channel_invoicing_set(*, channel_id: int, skip: bool) -> ChannelInvoicing:
    """Whether Ordino invoices this channel's orders (skip: the marketplace invoices itself)."""
    with use_case_atomic():
        setting, _ = ChannelInvoicing.objects.update_or_create(
            channel_id=channel_id, defaults={"skip": skip}
        )
        return setting
