"""Writing a numbered document (invoice or credit note): number, rows, timeline, event — in the
caller's transaction, after it took the series lock (services/numbering.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings

from ordino.events.services import event_emit
from ordino.invoices.domain.amounts import DocLine, totals
from ordino.invoices.domain.numbering import INVOICE
from ordino.invoices.events import CreditNoteIssued, InvoiceIssued
from ordino.invoices.models import DocumentSeries, Invoice, InvoiceLine
from ordino.invoices.services.numbering import number_take
from ordino.orders.models import Order
from ordino.orders.timeline import order_timeline_add


@dataclass(frozen=True)
class DocumentIn:
    kind: str
    reference: str
    lines: list[DocLine]
    shipping_net: Decimal
    shipping_tax: Decimal
    actor: str
    reason: str = ""
    source: str = ""


def seller() -> dict[str, str]:
    """The seller block, from settings ORDINO_SELLER_* (docs/invoices.md)."""
    return {
        "name": settings.ORDINO_SELLER_NAME,
        "address": settings.ORDINO_SELLER_ADDRESS,
        "vat_id": settings.ORDINO_SELLER_VAT_ID,
        "email": settings.ORDINO_SELLER_EMAIL,
    }


def buyer(order: Order) -> dict:
    """The billing address, else the shipping address, and the order's e-mail."""
    address = order.billing_address or order.shipping_address or {}
    return {**address, "email": order.email}


def document_write(
    *, order: Order, series: DocumentSeries, doc: DocumentIn, now: datetime
) -> Invoice:
    sequence, number = number_take(series)
    sums = totals(doc.lines, doc.shipping_net, doc.shipping_tax)
    invoice = Invoice.objects.create(
        kind=doc.kind,
        series=series,
        sequence=sequence,
        number=number,
        order=order,
        reference=doc.reference,
        reason=doc.reason[:255],
        source=doc.source[:64],
        issued_at=now,
        currency=order.currency,
        shipping_net=doc.shipping_net,
        shipping_tax=doc.shipping_tax,
        net_total=sums.net,
        tax_total=sums.tax,
        total=sums.total,
        seller=seller(),
        buyer=buyer(order),
        email=order.email,
        actor=doc.actor[:128],
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            line_no=line.line_no,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            net=line.net,
            tax=line.tax,
            tax_rate=line.tax_rate,
            discount=line.discount,
            total=line.total,
        )
        for line in doc.lines
    )
    what = "Invoice" if doc.kind == INVOICE else "Credit note"
    order_timeline_add(
        order_id=order.pk,
        kind=f"{doc.kind}_issued",
        message=f"{what} {number} issued: {sums.total} {order.currency}.",
        actor=doc.actor,
        data={"invoice_id": invoice.pk, "number": number, "reference": doc.reference},
        now=now,
    )
    event = InvoiceIssued if doc.kind == INVOICE else CreditNoteIssued
    event_emit(
        event=event(
            invoice_id=invoice.pk,
            order_id=order.pk,
            kind=doc.kind,
            number=number,
            total=str(sums.total),
            currency=order.currency,
        ),
        aggregate_id=invoice.pk,
        now=now,
    )
    return invoice
