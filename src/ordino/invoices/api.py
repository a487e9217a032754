"""HTTP adapter for invoices: an order's documents, one document as JSON or PDF, and a manual
credit note. Reads need `orders:read`, the credit note `orders:write` (documents of an order);
outside the token's channels or locations: 404."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ordino.core.documents import PDF_CONTENT, document_response
from ordino.core.principal import principal_of
from ordino.invoices import selectors, services
from ordino.invoices.schemas import CreditNoteIn, InvoiceOut

router = Router(tags=["invoices"])  # mounted at /invoices
order_router = Router(tags=["invoices"])  # mounted at /orders


@order_router.get(
    "/{int:order_id}/invoices",
    response=list[InvoiceOut],
    summary="An order's invoices and credit notes",
)
def order_invoices(request: HttpRequest, order_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    documents = selectors.order_invoices(order_id=order_id, scope=principal.scope)
    return [selectors.invoice_serialize(d) for d in documents]


@order_router.post(
    "/{int:order_id}/credit-notes",
    response={201: InvoiceOut},
    summary="Issue a credit note by hand",
)
def credit_note_issue(request: HttpRequest, order_id: int, payload: CreditNoteIn):
    """Give money back on an order outside a refund (a goodwill credit, a price correction):
    per line the amount with tax and its tax part, and shipping. Never more than a line's total
    or the order's shipping over all its credit notes (422 `invalid_lines`, `exceeds_shipping`)."""
    principal = principal_of(request)
    principal.require("orders:write")
    note = services.credit_note_issue(
        order_id=order_id,
        lines=[
            services.CreditLineIn(line.line_no, line.quantity, line.amount, line.tax)
            for line in payload.lines
        ],
        shipping=payload.shipping,
        shipping_tax=payload.shipping_tax,
        reason=payload.reason,
        source="api",
        actor=f"token:{principal.token.name}",
        scope=principal.scope,
    )
    note = selectors.invoice_get(invoice_id=note.pk)
    return Status(201, selectors.invoice_serialize(note))


@router.get("/{int:invoice_id}", response=InvoiceOut, summary="Get an invoice or credit note")
def invoice_get(request: HttpRequest, invoice_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    invoice = selectors.invoice_get(invoice_id=invoice_id, scope=principal.scope)
    return selectors.invoice_serialize(invoice)


@router.get(
    "/{int:invoice_id}/pdf",
    response={200: None},
    summary="An invoice or credit note as PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "The document as a PDF",
                "content": PDF_CONTENT,
            }
        }
    },
)
def invoice_pdf(request: HttpRequest, invoice_id: int):
    principal = principal_of(request)
    principal.require("orders:read")
    invoice, pdf = selectors.invoice_pdf_get(invoice_id=invoice_id, scope=principal.scope)
    return document_response(pdf, "application/pdf", f"{invoice.number}.pdf")
