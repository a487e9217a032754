"""Story: an order leaves the EU (docs/shipping.md, "Customs"). The label is refused until the
catalog knows its SKUs' customs data; once given (through the SKU's API), the label bought
carries the customs declaration, the labels ship the parcel, and its CN22 lists every item."""

from __future__ import annotations

import json

import pytest
import responses

from tests.flows.story import order_body
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.labels.decode import pdf_text
from tests.shipping.test_api import put

pytestmark = pytest.mark.django_db

ZURICH = {"name": "Ada Lovelace", "line1": "Bahnhofstrasse 1", "city": "Zürich",
          "postal_code": "8001", "country": "CH"}  # fmt: skip
SHP = "shp_5c1f0a9e2b7d4e0c9a1b3d5f7e9a2c4b"
PARCEL = {"account": "ep", "length_cm": "30", "width_cm": "20", "height_cm": "10",
          "weight_kg": "1.2"}  # fmt: skip


def test_a_parcel_to_switzerland_declares_what_it_carries(story):
    # given stock at WH-A (Germany), an EasyPost account, and an order to Zürich
    story.receive("WH-A", "TEE", 5)
    story.receive("WH-A", "MUG", 5)
    account = {"name": "EasyPost", "adapter": "easypost", "api_key": "EZTK-secret"}
    story.ok(put(story.api, "/shipping/accounts/ep", account), 201)
    body = order_body("CH-1", [("TEE", 2, "19.99"), ("MUG", 1, "9.50")], shipping_address=ZURICH)
    fo_id = story.capture(body)["fulfillment_orders"][0]["id"]
    purchase = f"/fulfillment/orders/{fo_id}/labels/purchase"

    # when a label is asked before the catalog knows the SKUs' customs data
    with responses.RequestsMock():  # no call is made
        refused = story.refused(story.api.post(purchase, PARCEL), 422, "customs_data_missing")
    # then it is refused naming both SKUs, and nothing was bought
    assert "TEE, MUG" in refused["detail"] or "MUG, TEE" in refused["detail"]
    assert story.ok(story.api.get(f"/fulfillment/orders/{fo_id}/labels")) == []

    # when the catalog is given their HS codes and origins
    for sku, hs, origin in (("TEE", "6109.10", "PT"), ("MUG", "6912.00", "CN")):
        story.ok(story.api.patch(f"/catalog/skus/{sku}", {"hs_code": hs, "origin_country": origin}))
    # and the label is bought again
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        story.ok(story.api.post(purchase, PARCEL), 201)
        sent = json.loads(rsps.calls[0].request.body)["shipment"]["customs_info"]
    # then EasyPost was sent each line at what the customer paid, with its HS code and origin
    assert [(i["code"], i["quantity"], i["value"], i["currency"], i["hs_tariff_number"],
             i["origin_country"]) for i in sent["customs_items"]] == [
        ("TEE", 2, "39.98", "EUR", "610910", "PT"),
        ("MUG", 1, "9.50", "EUR", "691200", "CN"),
    ]  # fmt: skip

    # when the labels ship the parcel
    shipped = story.ok(story.api.post(f"/fulfillment/orders/{fo_id}/ship-labels", {}), 201)
    # then its CN22 lists every item, its HS code and origin, and the total
    form = story.api.get(f"/shipments/{shipped['shipment_id']}/customs")
    assert form.status_code == 200
    (page,) = pdf_text(form.content)
    for text in ("CN22", "Item TEE", "610910", "PT", "Item MUG", "691200", "CN", "49.48 EUR"):
        assert text in page, text
