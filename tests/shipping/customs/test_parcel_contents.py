"""What is in each parcel (docs/shipping.md, "What is in each parcel"): a parcel that says what
it holds declares those units only — bought by hand or with the rating's live choice — and a
rate shop keeps it; contents beyond the open units are refused, nothing bought, rated or
called."""

from __future__ import annotations

import json

import pytest
import responses

from ordino.integrations.models import IntegrationCall
from ordino.shipping.models import FulfillmentRating, LabelPurchase
from tests.shipping.carriers.recorded import EASYPOST, answer
from tests.shipping.carriers.test_purchase import SHP, buy, easypost  # noqa: F401 (a fixture)
from tests.shipping.customs.test_labels_and_forms import declared, ordered  # noqa: F401
from tests.shipping.test_api import BOX

pytestmark = pytest.mark.django_db


def _declared(call) -> list[tuple[str, int, str]]:
    sent = json.loads(call.request.body)["shipment"]
    return [(i["code"], i["quantity"], i["value"]) for i in sent["customs_info"]["customs_items"]]


def test_each_parcel_declares_only_what_it_holds(api, easypost, declared):  # noqa: F811
    # given an order of 2 TEE (39.98 EUR) and 1 MUG (9.50 EUR) to Zürich, packed in two boxes
    fo = ordered(api)
    # when parcel 1 (one TEE) and parcel 2 (a TEE and the MUG) are bought
    declared_per_parcel = []
    for number, contents in ((1, [("TEE", 1)]), (2, [("TEE", 1), ("MUG", 1)])):
        with responses.RequestsMock() as rsps:
            answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
            answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
            r = buy(
                api,
                fo["id"],
                parcel=number,
                contents=[{"sku": sku, "quantity": n} for sku, n in contents],
            )
            assert r.status_code == 201, r.content
            declared_per_parcel.append(_declared(rsps.calls[0]))
    # then each declaration names its own units, valued at what was paid for them
    assert declared_per_parcel == [
        [("TEE", 1, "19.99")],
        [("TEE", 1, "19.99"), ("MUG", 1, "9.50")],
    ]


def test_a_live_rate_shop_and_its_choice_declare_each_parcels_contents(
    api,
    easypost,  # noqa: F811
    declared,  # noqa: F811
):
    # given the order to Zürich packed in two boxes that say what they hold
    fo = ordered(api)
    boxes = [
        {**BOX, "contents": [{"sku": "TEE", "quantity": 2}]},
        {**BOX, "contents": [{"sku": "MUG", "quantity": 1}]},
    ]
    # when it is rated with EasyPost
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        rated = api.post(f"/fulfillment/orders/{fo['id']}/rates", {"parcels": boxes})
        asked = [_declared(call) for call in rsps.calls]
    # then each parcel's rates were asked with its own declaration, and the rating keeps them
    assert rated.status_code == 201, rated.content
    assert asked == [[("TEE", 2, "39.98")], [("MUG", 1, "9.50")]]
    kept = FulfillmentRating.objects.get().parcels
    assert [p["contents"] for p in kept] == [b["contents"] for b in boxes]
    # when the live choice's labels are bought
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        bought = api.post(f"/fulfillment/orders/{fo['id']}/labels/buy-chosen")
        created = [_declared(c) for c in rsps.calls if c.request.url.endswith("/shipments")]
    # then each label carries its parcel's declaration
    assert bought.status_code == 200, bought.content
    assert created == [[("TEE", 2, "39.98")], [("MUG", 1, "9.50")]]


@pytest.mark.parametrize(
    ("contents", "field", "detail"),
    [
        (
            [{"sku": "TEE", "quantity": 3}],
            "contents.0.quantity",
            "The parcels hold 3 of TEE; 2 are open.",
        ),
        (
            [{"sku": "CAP", "quantity": 1}],
            "contents.0.sku",
            "Parcel 1 holds CAP, which is not open on this fulfillment order (open: TEE×2, MUG×1).",
        ),
        (
            [{"sku": "TEE", "quantity": 1}, {"sku": "TEE", "quantity": 1}],
            "contents.1.sku",
            "A parcel's SKU 'TEE': named twice.",
        ),
    ],
)
def test_a_label_for_contents_not_open_is_refused_and_nothing_is_called(
    api,
    easypost,  # noqa: F811
    declared,  # noqa: F811
    contents,
    field,
    detail,
):
    fo = ordered(api)
    with responses.RequestsMock():  # any call would fail: none is made
        r = buy(api, fo["id"], contents=contents)
    assert r.status_code == 422, r.content
    assert (r.json()["detail"], r.json()["errors"][0]["field"]) == (detail, field)
    assert (LabelPurchase.objects.count(), IntegrationCall.objects.count()) == (0, 0)


def test_a_rate_shop_with_parcels_partly_said_is_refused_and_keeps_nothing(
    api,
    easypost,  # noqa: F811
    declared,  # noqa: F811
):
    fo = ordered(api)
    boxes = [{**BOX, "contents": [{"sku": "TEE", "quantity": 2}]}, BOX]
    with responses.RequestsMock():  # refused before any provider is asked
        r = api.post(f"/fulfillment/orders/{fo['id']}/rates", {"parcels": boxes})
    assert (r.status_code, r.json()["code"]) == (422, "parcel_contents_invalid")
    assert r.json()["errors"][0]["field"] == "parcels.1.contents"
    assert (FulfillmentRating.objects.count(), IntegrationCall.objects.count()) == (0, 0)
