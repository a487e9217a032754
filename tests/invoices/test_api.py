"""Reading documents through the API (list, JSON, PDF), within the token's scope, and the
e-mail that goes out from the outbox with the PDF attached."""

from __future__ import annotations

import base64
import re
import zlib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from ordino.events.models import OutboxEvent
from ordino.invoices.models import Invoice
from ordino.orders.models import OrderTimelineEntry
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token
from tests.invoices.conftest import capture, ship, worker_runs

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    """The page streams of a reportlab PDF, decoded (ASCII85, then Flate)."""
    streams = re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    return "".join(
        zlib.decompress(base64.a85decode(s.strip(), adobe=True)).decode("latin-1") for s in streams
    )


@pytest.fixture
def invoiced(api, shop, mail_on):
    """An order shipped in two parts, each invoiced and e-mailed by the worker."""
    order = capture(api, shop)
    fo = order["fulfillment_orders"][0]["id"]
    ship(api, fo, lines=[(1, 1)], tracking="A1")
    ship(api, fo, tracking="A2")
    worker_runs()
    return order


def test_an_orders_invoices_are_listed_in_turn(api, invoiced):
    response = api.get(f"/orders/{invoiced['id']}/invoices")
    assert response.status_code == 200
    body = response.json()
    assert [(d["kind"], d["total"], d["status"]) for d in body] == [
        ("invoice", "17.73", "sent"),
        ("invoice", "35.11", "sent"),
    ]
    first = body[0]
    assert first["lines"] == [
        {
            "line_no": 1,
            "sku": "TEE",
            "name": "Item TEE",
            "quantity": 1,
            "unit_price": "10.00",
            "discount": "0.00",
            "net": "10.00",
            "tax": "1.90",
            "tax_rate": None,
            "total": "11.90",
        }
    ]
    assert (first["shipping_net"], first["shipping_tax"]) == ("4.90", "0.93")
    assert first["buyer"]["city"] == "Berlin" and first["email"] == "ada@example.com"
    assert first["seller"]["name"] == "Ordino Demo Shop"
    assert api.get(f"/invoices/{first['id']}").json() == first


def test_the_pdf_is_a_pdf_named_by_its_number(api, invoiced):
    invoice = Invoice.objects.order_by("sequence").first()
    response = api.get(f"/invoices/{invoice.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    # drawn from the same data as the HTML: its number, its total
    text = pdf_text(response.content)
    assert f"Invoice {invoice.number}" in text and "(17.73)" in text
    assert response["Content-Disposition"] == f'inline; filename="{invoice.number}.pdf"'


def test_documents_outside_the_tokens_reach_are_not_found(client, api, invoiced):
    make_channel("pos")
    pos = ApiClient(client, make_token("orders:read", name="pos", channel_codes=["pos"]))
    invoice = Invoice.objects.first()
    for path in (
        f"/orders/{invoiced['id']}/invoices",
        f"/invoices/{invoice.pk}",
        f"/invoices/{invoice.pk}/pdf",
        "/invoices/999999",
        "/invoices/999999/pdf",
    ):
        response = pos.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    nobody = ApiClient(client, make_token("inventory:read", name="stock"))
    assert nobody.get(f"/invoices/{invoice.pk}").status_code == 403


def test_each_invoice_is_emailed_once_with_its_pdf(invoiced):
    # then one e-mail per invoice, to the order's address, HTML and PDF attached
    assert len(mail.outbox) == 2
    first = mail.outbox[0]
    invoice = Invoice.objects.order_by("sequence").first()
    assert first.to == ["ada@example.com"]
    assert first.subject == f"Invoice {invoice.number}"
    assert "Total 17.73 EUR" in first.body
    html, mime = first.alternatives[0]
    assert mime == "text/html" and invoice.number in html and "17.73" in html
    (name, content, kind) = first.attachments[0]
    assert (name, kind) == (f"{invoice.number}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    # and it is recorded: status, timeline, event; a repeat delivery sends nothing more
    assert invoice.status == "sent" and invoice.sent_at is not None
    assert OrderTimelineEntry.objects.filter(kind="invoice_sent").count() == 2
    assert OutboxEvent.objects.filter(name="invoice.sent").count() == 2
    OutboxEvent.objects.update(delivered_at=None)
    worker_runs()
    assert len(mail.outbox) == 2


def test_the_command_line_renders_a_document(invoiced, tmp_path):
    invoice = Invoice.objects.order_by("sequence").first()
    out = tmp_path / "inv.pdf"
    call_command("invoices", "render", invoice.number, "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    call_command("invoices", "render", str(invoice.pk), "--html", "-o", str(tmp_path / "i.html"))
    assert invoice.number in (tmp_path / "i.html").read_text()
    with pytest.raises(CommandError):
        call_command("invoices", "render", "INV-1999-000001")
