"""E-mailing an invoice or credit note to the order's address, PDF attached (run from the
outbox, after the issue committed: a side effect never inside the issuing transaction)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import prefetch_related_objects

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError, NotFound
from ordino.core.transactions import use_case_atomic
from ordino.events.services import event_emit
from ordino.invoices.events import InvoiceSent
from ordino.invoices.models import Invoice
from ordino.invoices.render import invoice_html, invoice_pdf, invoice_text
from ordino.orders.timeline import order_timeline_add


def invoice_send(*, invoice_id: int, actor: str, again: bool) -> bool:
    """Send the document to the order's e-mail; True when sent. Already sent and not `again`
    (a repeat delivery of the issue event): nothing. No address, or e-mail turned off
    (ORDINO_INVOICE_EMAIL=0) and not `again`: nothing."""
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        raise NotFound("invoice", invoice_id)
    if not again and (invoice.sent_at is not None or not settings.ORDINO_INVOICE_EMAIL):
        return False
    if not invoice.email:
        if again:
            raise DomainError("no_email", "The order has no e-mail address.", status=409)
        return False
    # One read of the lines for the text, the HTML and the PDF (each renders them: it was 3).
    prefetch_related_objects([invoice], "lines")
    message = _message(invoice)
    message.send()
    _sent_record(invoice, actor)
    return True


def _message(invoice: Invoice) -> EmailMultiAlternatives:
    what = "Credit note" if invoice.kind == "credit_note" else "Invoice"
    message = EmailMultiAlternatives(
        subject=f"{what} {invoice.number}",
        body=invoice_text(invoice),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invoice.email],
    )
    message.attach_alternative(invoice_html(invoice), "text/html")
    message.attach(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
    return message


def _sent_record(invoice: Invoice, actor: str) -> None:
    now = utcnow()
    with use_case_atomic():
        Invoice.objects.filter(pk=invoice.pk).update(status="sent", sent_at=now)
        order_timeline_add(
            order_id=invoice.order_id,
            kind="invoice_sent",
            message=f"{invoice.number} e-mailed to {invoice.email}.",
            actor=actor,
            data={"invoice_id": invoice.pk, "number": invoice.number},
            now=now,
        )
        event_emit(
            event=InvoiceSent(
                invoice_id=invoice.pk,
                order_id=invoice.order_id,
                kind=invoice.kind,
                number=invoice.number,
                total=str(invoice.total),
                currency=invoice.currency,
                email=invoice.email,
            ),
            aggregate_id=invoice.pk,
            now=now,
        )
