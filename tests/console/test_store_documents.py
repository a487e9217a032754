"""Shipping paper from the console (docs/shipping.md, "Packing slips"; docs/returns.md, "The
return label"): the store screen's link to a fulfillment order's packing slip as PDF, the
order page's Shipping panel linking it, and an open return's label from the returns panel;
404 outside the user's locations, 403 without the view permission."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from ordino.returns.models import Return
from ordino.shipping.models import FulfillmentRating
from tests.console.test_returns import AGENT, page, user_with
from tests.returns.conftest import delivered as delivered
from tests.returns.conftest import return_body
from tests.shipping.labels.decode import pdf_barcodes, pdf_text, zpl_barcodes

pytestmark = pytest.mark.django_db


def test_the_store_prints_a_packing_slip_pdf_from_the_orders_page(clerk, ship_fo):
    # given the store's fulfillment order's page
    html = clerk.get(f"/admin/store/fo/{ship_fo.pk}/").content.decode()
    url = f"/admin/store/fo/{ship_fo.pk}/packing-slip.pdf"
    assert f'href="{url}"' in html
    # when the clerk follows it (on letter paper)
    response = clerk.get(url, {"paper": "letter"})
    # then the API's PDF: its barcode is the fulfillment order's reference
    assert response["Content-Type"] == "application/pdf"
    assert pdf_barcodes(response.content) == [[f"FO-{ship_fo.pk}"]]
    assert "Order W-100" in pdf_text(response.content)[0]


def test_another_locations_slip_and_an_unknown_paper_are_404(clerk, ship_fo, warehouse_fo):
    assert clerk.get(f"/admin/store/fo/{warehouse_fo.pk}/packing-slip.pdf").status_code == 404
    url = f"/admin/store/fo/{ship_fo.pk}/packing-slip.pdf"
    assert clerk.get(url, {"paper": "a3"}).status_code == 404


def test_the_order_pages_shipping_panel_links_the_packing_slip(admin_client, ship_fo):
    FulfillmentRating.objects.create(
        fulfillment_order=ship_fo, policy="cheapest", ship_day=date(2026, 12, 2), why="none",
        actor="test",
    )  # fmt: skip
    html = admin_client.get(reverse("console:order", args=[ship_fo.order_id])).content.decode()
    assert f'href="/admin/store/fo/{ship_fo.pk}/packing-slip.pdf"' in html


def test_an_open_returns_label_from_the_returns_panel(client, api, delivered):
    client.force_login(user_with("agent", *AGENT))
    rid = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()["id"]
    url = reverse("console:return_label", args=[rid])
    # given a requested return: no label yet
    assert f'href="{url}"' not in page(client, delivered["id"])
    assert client.get(url).status_code == 409
    # when it is approved: the panel links its label, PDF and ZPL
    api.post(f"/returns/{rid}/approve", {"carrier": "DHL"})
    html = page(client, delivered["id"])
    assert f'href="{url}"' in html and f'href="{url}?format=zpl"' in html
    number = Return.objects.get(pk=rid).number
    assert pdf_barcodes(client.get(url).content) == [[number]]
    assert zpl_barcodes(client.get(url, {"format": "zpl"}).content) == [[number]]


def test_the_return_label_needs_the_view_permission_and_the_returns_scope(
    client,
    api,
    delivered,
    shop,
):
    rid = api.post(f"/orders/{delivered['id']}/returns", return_body((1, 1))).json()["id"]
    api.post(f"/returns/{rid}/approve", {})
    url = reverse("console:return_label", args=[rid])
    client.force_login(user_with("nobody", "view_order"))
    assert client.get(url).status_code == 403
    client.force_login(user_with("at-b", *AGENT, locations=[shop["wh_b"]]))
    assert client.get(url).status_code == 404
