"""Reads: an order's invoices and credit notes, one document, within the caller's scope."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from ordino.core.domain.errors import NotFound
from ordino.core.domain.money import quantum
from ordino.core.domain.scope import UNRESTRICTED, Scope
from ordino.invoices.models import Invoice, InvoiceLine
from ordino.invoices.render import invoice_html, invoice_pdf
from ordino.orders.models import Order
from ordino.orders.selectors import order_get, order_scope_q


def order_invoices(*, order_id: int, scope: Scope = UNRESTRICTED) -> list[Invoice]:
    """The order's invoices and credit notes, oldest first, lines prefetched (2 queries after
    the order's own scope check). NotFound outside the scope."""
    order_get(order_id=order_id, scope=scope)
    return list(_documents().filter(order_id=order_id).order_by("issued_at", "id"))


def order_invoices_brief(*, order_id: int) -> list[Invoice]:
    """The order's documents without their lines (one query: the order page's panel)."""
    return list(Invoice.objects.filter(order_id=order_id).order_by("issued_at", "id"))


def invoice_get(*, invoice_id: int, scope: Scope = UNRESTRICTED) -> Invoice:
    """One document, if its order is within the caller's scope (else NotFound, as if none)."""
    invoice = _documents().filter(pk=invoice_id).first()
    if invoice is None or not (
        scope is UNRESTRICTED
        or Order.objects.filter(order_scope_q(scope), pk=invoice.order_id).exists()
    ):
        raise NotFound("invoice", invoice_id)
    return invoice


def _documents() -> QuerySet[Invoice]:
    return Invoice.objects.prefetch_related("lines")


def invoice_serialize(invoice: Invoice) -> dict:
    """The document as the API shows it, amounts in the currency's decimals (stored with 3)."""
    q = quantum(invoice.currency)
    fields = "id kind number order_id reference reason issued_at currency status sent_at email"
    body = {name: getattr(invoice, name) for name in fields.split()}
    for name in ("net_total", "tax_total", "total", "shipping_net", "shipping_tax"):
        body[name] = getattr(invoice, name).quantize(q)
    body["seller"], body["buyer"] = invoice.seller, invoice.buyer
    body["lines"] = [_line(line, q) for line in invoice.lines.all()]
    body["pdf_url"] = f"/api/v1/invoices/{invoice.pk}/pdf"
    return body


def _line(line: InvoiceLine, q: Decimal) -> dict:
    body = {name: getattr(line, name) for name in ("line_no", "sku", "name", "quantity")}
    for name in ("unit_price", "discount", "net", "tax", "total"):
        body[name] = getattr(line, name).quantize(q)
    body["tax_rate"] = line.tax_rate
    return body


def invoice_html_get(*, invoice_id: int, scope: Scope = UNRESTRICTED) -> tuple[Invoice, str]:
    invoice = invoice_get(invoice_id=invoice_id, scope=scope)
    return invoice, invoice_html(invoice)


def invoice_pdf_get(*, invoice_id: int, scope: Scope = UNRESTRICTED) -> tuple[Invoice, bytes]:
    invoice = invoice_get(invoice_id=invoice_id, scope=scope)
    return invoice, invoice_pdf(invoice)


def invoice_by_number(number_or_id: str) -> Invoice:
    """A document by its printed number, or by its id (the command line's way in)."""
    invoice = Invoice.objects.filter(number=number_or_id.strip()).first()
    if invoice is None and number_or_id.strip().isdigit():
        invoice = Invoice.objects.filter(pk=int(number_or_id)).first()
    if invoice is None:
        raise NotFound("invoice", number_or_id)
    return invoice


def documents_of_period(*, start, end) -> list[Invoice]:
    """Invoices and credit notes issued in [start, end) (UTC datetimes), lines prefetched and
    the order joined (the accounting journal's read: 2 queries)."""
    return list(
        _documents()
        .select_related("order")
        .filter(issued_at__gte=start, issued_at__lt=end)
        .order_by("issued_at", "id")
    )
