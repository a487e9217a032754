"""The order page's invoices panel: the documents with number, date and amount, links to the
HTML and the PDF (scope-checked), and e-mail again for a user who may act on the order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from ordino.accounts.models import StaffAccess
from ordino.invoices.models import Invoice
from ordino.invoices.services import credit_note_issue
from ordino.orders.models import OrderTimelineEntry
from tests.console.test_order_page import user_with
from tests.factories import make_channel
from tests.invoices.conftest import capture, ship, worker_runs
from tests.perf.test_order_page_queries import page_statements

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(api, shop, mail_on) -> Invoice:
    order = capture(api, shop)
    ship(api, order["fulfillment_orders"][0]["id"])
    worker_runs()
    return Invoice.objects.get()


def test_the_panel_lists_the_orders_invoices_with_their_links(client, invoice):
    client.force_login(
        user_with("agent", "view_order", "view_invoice", "cancel_orders", "edit_orders", "refund")
    )
    html = client.get(reverse("console:order", args=[invoice.order_id])).content.decode()
    assert "Invoices and credit notes" in html
    assert invoice.number in html and "52.84" in html
    for name in ("invoice_html", "invoice_pdf", "invoice_resend"):
        assert reverse(f"console:{name}", args=[invoice.pk]) in html, name


def test_the_document_opens_as_html_and_pdf(client, invoice):
    client.force_login(user_with("viewer", "view_order", "view_invoice"))
    html = client.get(reverse("console:invoice_html", args=[invoice.pk]))
    assert html.status_code == 200
    text = html.content.decode()
    assert f"Invoice {invoice.number}" in text and "Ordino Demo Shop" in text
    assert "Ada Lovelace" in text and "52.84" in text
    pdf = client.get(reverse("console:invoice_pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    # a viewer is offered no resend, and may not post one
    page = client.get(reverse("console:order", args=[invoice.order_id])).content.decode()
    assert reverse("console:invoice_resend", args=[invoice.pk]) not in page
    sent = len(mail.outbox)
    assert client.post(reverse("console:invoice_resend", args=[invoice.pk])).status_code == 403
    assert len(mail.outbox) == sent


def test_e_mail_again_sends_it_and_goes_back_to_the_order(client, invoice):
    client.force_login(
        user_with("agent", "view_order", "view_invoice", "cancel_orders", "edit_orders", "refund")
    )
    assert len(mail.outbox) == 1
    response = client.post(reverse("console:invoice_resend", args=[invoice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("console:order", args=[invoice.order_id])
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ada@example.com"]
    assert OrderTimelineEntry.objects.filter(kind="invoice_sent").count() == 2


def test_documents_outside_the_users_channels_are_not_found(client, invoice):
    agent = user_with(
        "agent", "view_order", "view_invoice", "cancel_orders", "edit_orders", "refund"
    )
    StaffAccess.objects.create(user=agent).channels.add(make_channel("pos"))
    client.force_login(agent)
    for name in ("invoice_html", "invoice_pdf"):
        assert client.get(reverse(f"console:{name}", args=[invoice.pk])).status_code == 404
    sent = len(mail.outbox)
    assert client.post(reverse("console:invoice_resend", args=[invoice.pk])).status_code == 404
    assert len(mail.outbox) == sent


def test_the_panel_costs_the_same_queries_however_many_documents(client, invoice):
    client.force_login(
        user_with("agent", "view_order", "view_invoice", "cancel_orders", "edit_orders", "refund")
    )
    one = page_statements(client, invoice.order_id)
    for _ in range(5):
        credit_note_issue(
            order_id=invoice.order_id, lines=[(1, 0, Decimal("1.00"), Decimal(0))], actor="test"
        )
    assert page_statements(client, invoice.order_id) == one


def test_who_may_not_view_invoices_sees_no_panel_and_opens_no_document(client, invoice):
    # given staff who see orders but not invoices (store staff: their token is refused
    # GET /invoices/{id} alike, accounts/api_read_permissions.py)
    client.force_login(user_with("clerk", "view_order"))
    # then the order page has no invoices panel, and the documents answer 403
    html = client.get(reverse("console:order", args=[invoice.order_id])).content.decode()
    assert "Invoices and credit notes" not in html
    for name in ("invoice_html", "invoice_pdf"):
        assert client.get(reverse(f"console:{name}", args=[invoice.pk])).status_code == 403
