"""The invoices panel's views. Reading a document needs the invoices' view permission
(`panel.PERMISSION`, as the API asks of a person's token) and the order within the user's scope
(else 404); resending needs the orders' change permission, like every action of the order
page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ordino.accounts.staff import console_principal
from ordino.console.invoices.panel import PERMISSION
from ordino.console.orders.views import may_act
from ordino.console.pages import console_view
from ordino.core.domain.errors import DomainError, NotFound
from ordino.invoices import selectors
from ordino.invoices.models import Invoice
from ordino.invoices.services import invoice_send


def _document(request: HttpRequest, invoice_id: int) -> Invoice:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    try:
        return selectors.invoice_get(invoice_id=invoice_id, scope=console_principal(request).scope)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@console_view
def invoice_html_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _document(request, invoice_id)
    _, html = selectors.invoice_html_get(invoice_id=invoice.pk)
    return HttpResponse(html)


@console_view
def invoice_pdf_view(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _document(request, invoice_id)
    _, pdf = selectors.invoice_pdf_get(invoice_id=invoice.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@console_view
@require_POST
def invoice_resend(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = _document(request, invoice_id)
    if not may_act(request, "edit_orders"):
        raise PermissionDenied
    actor = console_principal(request).token.name
    try:
        invoice_send(invoice_id=invoice.pk, actor=actor, again=True)
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{invoice.number} e-mailed to {invoice.email}.")
    return redirect(reverse("console:order", args=[invoice.order_id]))
