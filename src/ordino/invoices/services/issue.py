"""Issuing invoices: one per shipment (or pickup), for the units it carried (docs/invoices.md)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from ordino.core.domain.clock import utcnow
from ordino.core.transactions import use_case_atomic
from ordino.invoices.domain.amounts import OrderLineMoney, invoice_lines
from ordino.invoices.domain.numbering import DEFAULT_SERIES, INVOICE
from ordino.invoices.models import ChannelInvoicing, Invoice, InvoiceLine
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


def units_billed(order_id: int, kind: str) -> dict[int, int]:
    """line number → units the order's earlier documents of `kind` cover."""
    rows = (
        InvoiceLine.objects.filter(invoice__order_id=order_id, invoice__kind=kind)
        .values("line_no")
        .annotate(units=Sum("quantity"))
    )
    return {row["line_no"]: row["units"] for row in rows}


def channel_skips(channel_id: int) -> bool:
    return ChannelInvoicing.objects.filter(channel_id=channel_id, skip=True).exists()


def invoice_issue(
    *, order_id: int, reference: str, billing: dict[int, int], actor: str
) -> Invoice | None:
    """The invoice for `billing` (line number → units shipped or handed over), once per
    `reference` ("shipment:<id>", "pickup:<fulfillment order id>"): a repeat answers the
    invoice issued the first time. Shipping goes on the order's first invoice. None when the
    order's channel invoices itself (a marketplace) or nothing is billable."""
    with use_case_atomic():
        order = Order.objects.get(pk=order_id)
        if channel_skips(order.channel_id):
            return None
        now = utcnow()
        series = series_lock(code=DEFAULT_SERIES[INVOICE], at=now)
        # Under the series lock: no other issue of this series runs (services/numbering.py).
        done = Invoice.objects.filter(order=order, kind=INVOICE, reference=reference).first()
        if done is not None:
            return done
        lines = invoice_lines(
            order_lines_money(order_id),
            billed_before=units_billed(order_id, INVOICE),
            billing=billing,
            currency=order.currency,
        )
        if not lines:
            return None
        first = not Invoice.objects.filter(order=order, kind=INVOICE).exists()
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
