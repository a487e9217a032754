"""Customs from an order (docs/shipping.md, "Customs"): a label bought for a parcel leaving the
EU carries the declaration of its open items, valued at what the customer paid; a SKU without
customs data refuses the purchase naming it, nothing bought or kept; a shipment's CN22/CN23
through the API (404 outside the token's reach, 409 with no border), the store screen's link
and `ordino shipping customs`."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from django.core.management import call_command
from django.core.management.base import CommandError

from ordino.catalog.models import Sku
from ordino.fulfillment.models import Shipment
from ordino.integrations.models import IntegrationCall
from ordino.shipping.models import LabelPurchase
from tests.conftest import ApiClient
from tests.factories import make_token, order_body, stock
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.carriers.test_purchase import SHP, buy, easypost  # noqa: F401 (a fixture)
from tests.shipping.labels.decode import pdf_text

pytestmark = pytest.mark.django_db

ZURICH = {"name": "Ada Lovelace", "line1": "Bahnhofstrasse 1", "city": "Zürich",
          "postal_code": "8001", "country": "CH"}  # fmt: skip
PACKAGE = {"carrier": "DHL", "service": "Paket International", "tracking_numbers": ["JD0001"],
           "packages": [{"weight_grams": 1700, "tracking_number": "JD0001"}]}  # fmt: skip


@pytest.fixture
def declared(shop):
    """WH-A (Germany) stocked; TEE and MUG with their customs data."""
    for code in ("TEE", "MUG"):
        stock(shop["wh_a"], shop[code], 10)
    Sku.objects.filter(code="TEE").update(hs_code="61091000", origin_country="PT",
                                          customs_description="Cotton T-shirt")  # fmt: skip
    Sku.objects.filter(code="MUG").update(hs_code="691200", origin_country="CN")
    return shop


def ordered(api, external_id: str = "W-1", address: dict = ZURICH) -> dict:
    order = api.post("/orders", order_body(external_id, shipping_address=address))
    assert order.status_code == 201, order.content
    return order.json()["fulfillment_orders"][0]


def test_a_label_leaving_the_eu_carries_the_declaration(api, easypost, declared):  # noqa: F811
    fo = ordered(api)
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        r = buy(api, fo["id"])
        created = json.loads(rsps.calls[0].request.body)["shipment"]
    assert r.status_code == 201, r.content
    # the open items, at what was paid (2 × 19.99, 1 × 9.50 EUR), signed by the location
    assert created["customs_info"] == {
        "contents_type": "merchandise",
        "customs_certify": True,
        "customs_signer": "Location WH-A",
        "non_delivery_option": "return",
        "restriction_type": "none",
        "customs_items": [
            {"description": "Cotton T-shirt", "quantity": 2, "value": "39.98",
             "currency": "EUR", "weight": 35.3, "hs_tariff_number": "61091000",
             "origin_country": "PT", "code": "TEE"},
            {"description": "Item MUG", "quantity": 1, "value": "9.50", "currency": "EUR",
             "weight": 17.6, "hs_tariff_number": "691200", "origin_country": "CN",
             "code": "MUG"},
        ],
    }  # fmt: skip
    # and the integration log keeps what was sent
    call = IntegrationCall.objects.get(operation="shipments.create")
    assert "61091000" in json.dumps(call.request_body)


def test_a_domestic_label_carries_none(api, easypost, declared):  # noqa: F811
    fo = ordered(api, address=order_body()["shipping_address"])  # Berlin, from Germany
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        assert buy(api, fo["id"]).status_code == 201
        assert "customs_info" not in json.loads(rsps.calls[0].request.body)["shipment"]


def test_a_sku_without_customs_data_refuses_the_label_and_nothing_happens(
    api,
    easypost,  # noqa: F811
    declared,
):
    Sku.objects.filter(code="MUG").update(hs_code="", origin_country="")
    fo = ordered(api)
    with responses.RequestsMock():  # any call would fail: none is made
        r = buy(api, fo["id"])
    assert (r.status_code, r.json()["code"]) == (422, "customs_data_missing")
    assert "MUG" in r.json()["detail"] and "TEE" not in r.json()["detail"]
    assert [e["field"] for e in r.json()["errors"]] == ["MUG.hs_code", "MUG.origin_country"]
    assert LabelPurchase.objects.count() == 0
    assert IntegrationCall.objects.count() == 0


def test_an_unknown_label_abroad_is_looked_up_whatever_the_catalog_says_now(
    api,
    easypost,  # noqa: F811
    declared,
):
    # given a label abroad whose purchase got no answer
    fo = ordered(api)
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("t"))
        assert buy(api, fo["id"]).json()["code"] == "carrier_unanswered"
    # when a SKU's customs data is cleared meanwhile, and the purchase retried
    Sku.objects.filter(code="TEE").update(hs_code="")
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_bought")
        r = buy(api, fo["id"])
    # then the label bought (with the declaration sent before) is found, not refused
    assert (r.status_code, r.json()["status"]) == (201, "bought")
    assert LabelPurchase.objects.get().status == "bought"


def shipped(api, external_id: str = "W-1", address: dict = ZURICH) -> int:
    fo = ordered(api, external_id, address)
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship", PACKAGE)
    assert r.status_code == 200, r.content
    return r.json()["shipments"][-1]["id"]


def test_a_shipments_cn22_lists_every_item(api, declared):
    sid = shipped(api)
    r = api.get(f"/shipments/{sid}/customs")
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == f'inline; filename="shipment-{sid}-CN22.pdf"'
    (page,) = pdf_text(r.content)
    for text in ("CN22 Customs declaration", "Order W-1", "tracking JD0001", "Location WH-A",
                 "Ada Lovelace", "8001 Zürich", "[X] Merchandise", "Cotton T-shirt", "TEE",
                 "61091000", "PT", "39.98", "Item MUG", "691200", "CN", "9.50",
                 "49.48 EUR", "1.5 kg", "return to sender", "Signed: Location WH-A"):  # fmt: skip
        assert text in page, text


def test_a_valuable_parcel_gets_a_cn23(api, declared):
    lines = [{"sku": "TEE", "quantity": 2, "unit_price": "180.00"}]
    fo = api.post("/orders", order_body("W-2", lines=lines, shipping_address=ZURICH)).json()
    fo_id = fo["fulfillment_orders"][0]["id"]
    sid = api.post(f"/fulfillment/orders/{fo_id}/ship", PACKAGE).json()["shipments"][-1]["id"]
    r = api.get(f"/shipments/{sid}/customs", paper="letter")
    assert r["Content-Disposition"] == f'inline; filename="shipment-{sid}-CN23.pdf"'
    assert "CN23 Customs declaration" in pdf_text(r.content)[0]


def test_the_form_is_404_outside_the_tokens_reach_and_409_with_no_border(client, api, declared):
    sid = shipped(api)
    at_b = ApiClient(client, make_token("fulfillment:read", name="b", location_codes=["WH-B"]))
    r = at_b.get(f"/shipments/{sid}/customs")
    assert (r.status_code, r.json()["code"]) == (404, "shipment_not_found")
    assert api.get("/shipments/999999/customs").json()["code"] == "shipment_not_found"
    domestic = shipped(api, "W-2", order_body()["shipping_address"])
    r = api.get(f"/shipments/{domestic}/customs")
    assert (r.status_code, r.json()["code"]) == (409, "customs_not_needed")


def test_a_form_with_customs_data_missing_is_refused_naming_the_sku(api, declared):
    sid = shipped(api)
    Sku.objects.filter(code="TEE").update(origin_country="")
    r = api.get(f"/shipments/{sid}/customs")
    assert (r.status_code, r.json()["code"]) == (422, "customs_data_missing")
    assert r.json()["errors"][0]["field"] == "TEE.origin_country"


def test_the_store_screen_links_the_form_beside_the_labels(admin_client, api, declared):
    sid = shipped(api)
    fo_id = Shipment.objects.get(pk=sid).fulfillment_order_id
    html = admin_client.get(f"/admin/store/fo/{fo_id}/").content.decode()
    url = f"/admin/store/shipments/{sid}/customs/"
    assert f'href="{url}"' in html
    response = admin_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert "Cotton T-shirt" in pdf_text(response.content)[0]
    # a domestic shipment: no link, and the page says why
    domestic = shipped(api, "W-2", order_body()["shipping_address"])
    fo_id = Shipment.objects.get(pk=domestic).fulfillment_order_id
    assert "customs/" not in admin_client.get(f"/admin/store/fo/{fo_id}/").content.decode()
    refused = admin_client.get(f"/admin/store/shipments/{domestic}/customs/")
    assert (refused.status_code, refused.content.decode()) == (
        409,
        f"Shipment {domestic} goes from DE to DE: no customs border, no customs form.",
    )
    assert admin_client.get("/admin/store/shipments/999999/customs/").status_code == 404


def test_the_cli_writes_the_form(api, declared, tmp_path, capsys):
    sid = shipped(api)
    out = tmp_path / "cn22.pdf"
    call_command("shipping", "customs", str(sid), "--out", str(out))
    assert capsys.readouterr().out.strip() == f"Wrote the CN22 of shipment {sid} to {out}."
    assert "61091000" in pdf_text(out.read_bytes())[0]
    with pytest.raises(CommandError, match="No shipment 999999"):
        call_command("shipping", "customs", "999999", "--out", str(out))
