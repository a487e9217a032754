"""A shipment's labels from the store screen: a link per shipment, the PDF or ZPL the API
serves, 404 for a shipment of another location (docs/shipping.md, "Labels")."""

from __future__ import annotations

import pytest

from ordino.fulfillment.models import Shipment
from tests.shipping.labels.decode import pdf_barcodes, zpl_barcodes

pytestmark = pytest.mark.django_db
SHIP = {"carrier": "DHL", "tracking_numbers": ["JD0001", "JD0002"]}


def shipped(api, fo) -> Shipment:
    assert api.post(f"/fulfillment/orders/{fo.pk}/ship", SHIP).status_code == 200
    return Shipment.objects.get(fulfillment_order=fo)


def test_the_store_prints_a_shipments_labels_from_its_page(api, clerk, ship_fo):
    # given the store shipped an order in two parcels
    shipment = shipped(api, ship_fo)
    # when the clerk opens the order and follows its labels' links
    html = clerk.get(f"/admin/store/fo/{ship_fo.pk}/").content.decode()
    url = f"/admin/store/shipments/{shipment.pk}/labels/"
    assert f'href="{url}"' in html and f'href="{url}?format=zpl"' in html
    pdf = clerk.get(url)
    zpl = clerk.get(url, {"format": "zpl"})
    # then a label per parcel, each barcode decoding to its tracking number
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf_barcodes(pdf.content) == [["JD0001"], ["JD0002"]]
    assert zpl["Content-Type"] == "application/x-zpl"
    assert zpl_barcodes(zpl.content) == [["JD0001"], ["JD0002"]]


def test_another_locations_shipment_and_an_unknown_format_are_404(
    api, clerk, ship_fo, warehouse_fo
):
    theirs, ours = shipped(api, warehouse_fo), shipped(api, ship_fo)
    assert clerk.get(f"/admin/store/shipments/{theirs.pk}/labels/").status_code == 404
    assert (
        clerk.get(f"/admin/store/shipments/{ours.pk}/labels/", {"format": "png"}).status_code == 404
    )


def test_a_label_that_cannot_be_printed_says_why(api, clerk, ship_fo):
    body = {**SHIP, "packages": [{"weight_grams": 500}]}  # two numbers: which one is its?
    assert api.post(f"/fulfillment/orders/{ship_fo.pk}/ship", body).status_code == 200
    shipment = Shipment.objects.get(fulfillment_order=ship_fo)
    response = clerk.get(f"/admin/store/shipments/{shipment.pk}/labels/")
    assert response.status_code == 422
    assert response.content.decode() == (
        f"Package 1 of shipment {shipment.pk} has no tracking number: its label would have no "
        "barcode."
    )
