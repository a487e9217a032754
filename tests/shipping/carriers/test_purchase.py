"""A parcel's label bought through a carrier account: the purchase is kept before the call and
settled after it; a retry of a failed or unknown purchase never buys a second label (an
unknown one is looked up first); a bought label is voided; accounts keep their API key
encrypted and audited; another location's token gets 404 and nothing happens."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
import responses

from ordino.audit.models import AuditEntry
from ordino.core.domain.clock import utcnow
from ordino.core.encryption import secret_decrypt
from ordino.fulfillment.models import Shipment
from ordino.shipping.models import CarrierAccount, LabelPurchase, ShipmentCost
from tests.factories import auth, make_token
from tests.shipping.carriers.recorded import EASYPOST, SHIPPO, answer
from tests.shipping.test_api import put
from tests.shipping.test_rating import fo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SHP = "shp_5c1f0a9e2b7d4e0c9a1b3d5f7e9a2c4b"
PARCEL = {"length_cm": "30", "width_cm": "20", "height_cm": "10", "weight_kg": "1.2"}
TRACKING = "9400100105442285876350"


@pytest.fixture
def easypost(api):
    r = put(
        api,
        "/shipping/accounts/ep-main",
        {"name": "EasyPost", "adapter": "easypost", "api_key": "EZTK-secret"},
    )
    assert r.status_code == 201, r.content
    return r.json()


def buy(api, fo_id: int, **extra):
    return api.post(
        f"/fulfillment/orders/{fo_id}/labels/purchase", {"account": "ep-main", **PARCEL, **extra}
    )


def test_an_account_keeps_its_key_encrypted_and_audited(api, easypost):
    assert easypost == {**easypost, "code": "ep-main", "adapter": "easypost", "has_api_key": True}
    stored = CarrierAccount.objects.get(code="ep-main")
    assert "EZTK-secret" not in stored.api_key_encrypted
    assert secret_decrypt(stored.api_key_encrypted) == "EZTK-secret"
    r = put(api, "/shipping/accounts/ep-main", {"api_key": "EZTK-new", "reason": "rotated"})
    assert r.status_code == 200
    audit = AuditEntry.objects.filter(object_type="carrier_account").order_by("id")
    assert [a.action for a in audit] == ["created", "changed"]
    assert audit[1].after["api_key_changed"] is True
    assert "EZTK" not in str([(a.before, a.after) for a in audit])
    assert [a["code"] for a in api.get("/shipping/accounts").json()] == ["ep-main"]


def test_an_aggregator_account_needs_its_key(api):
    r = put(api, "/shipping/accounts/sh", {"name": "Shippo", "adapter": "shippo"})
    assert (r.status_code, r.json()["code"], r.json()["errors"][0]["field"]) == (
        422,
        "api_key_required",
        "api_key",
    )
    assert CarrierAccount.objects.count() == 0


def test_the_cheapest_rate_is_bought_once(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        r = buy(api, fo["id"])
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["status"], body["tracking_number"], body["amount"], body["currency"]) == (
        "bought",
        TRACKING,
        "5.93",
        "USD",
    )
    assert (body["carrier_service"], body["attempts"], body["parcel"]) == (
        "USPS:GroundAdvantage",
        1,
        1,
    )
    # when the same request comes again, nothing is called (responses would refuse it)
    with responses.RequestsMock():
        again = buy(api, fo["id"])
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert LabelPurchase.objects.count() == 1
    timeline = api.get(f"/orders/{fo['order_id']}/timeline").json()
    assert timeline[-1]["kind"] == "label_bought"
    assert api.get(f"/fulfillment/orders/{fo['id']}/labels").json() == [again.json()]


def test_a_refused_purchase_is_failed_and_a_retry_buys_one_label(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=422)
        r = buy(api, fo["id"], service="USPS:Priority")
    assert (r.status_code, r.json()["code"]) == (409, "carrier_refused")
    failed = LabelPurchase.objects.get()
    assert (failed.status, failed.error) == (
        "failed",
        "EasyPost: The carrier refused the label: the rate has expired.",
    )
    # the retry asks for rates again and buys
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        r = buy(api, fo["id"], service="USPS:Priority")
        assert b"rate_b2f4d6e8a0c13579bdf02468ace13579" in rsps.calls[1].request.body
    assert (r.status_code, r.json()["status"], r.json()["attempts"]) == (201, "bought", 2)
    assert LabelPurchase.objects.count() == 1


def test_a_timeout_is_unknown_and_the_retry_finds_the_label_without_buying(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("t"))
        r = buy(api, fo["id"])
    assert (r.status_code, r.json()["code"]) == (409, "carrier_unanswered")
    assert LabelPurchase.objects.get().status == "unknown"
    # the label was bought after all: the retry reads the shipment and buys nothing
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_bought")
        r = buy(api, fo["id"])
        assert [c.request.method for c in rsps.calls] == ["GET"]
    assert (r.status_code, r.json()["tracking_number"], r.json()["attempts"]) == (201, TRACKING, 1)


def test_an_unknown_purchase_with_no_label_buys_the_same_rate(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=504)
        assert buy(api, fo["id"]).json()["code"] == "carrier_unanswered"
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_created")
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        r = buy(api, fo["id"])
        # no new shipment: the same shipment's same rate
        assert [c.request.url.split("/v2")[1] for c in rsps.calls] == [
            f"/shipments/{SHP}",
            f"/shipments/{SHP}/buy",
        ]
    assert (r.status_code, r.json()["status"]) == (201, "bought")


def test_a_rebuy_refused_because_the_label_exists_keeps_that_label(api, easypost, fo):  # noqa: F811
    # given an unknown purchase whose label EasyPost made while the shipment still read empty
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("t"))
        buy(api, fo["id"])
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_created")
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=422)
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_bought")
        r = buy(api, fo["id"])
    # then the refusal is read again and the label found is kept: no new shipment, one label
    assert (r.status_code, r.json()["status"], r.json()["tracking_number"]) == (
        201,
        "bought",
        TRACKING,
    )


def test_a_running_purchase_is_not_bought_twice(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("t"))
        buy(api, fo["id"])
    LabelPurchase.objects.update(status="pending")  # as while its call runs
    with responses.RequestsMock():
        r = buy(api, fo["id"])
    assert (r.status_code, r.json()["code"]) == (409, "purchase_in_progress")


def test_a_purchase_whose_process_died_is_looked_up_after_ten_minutes(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("t"))
        buy(api, fo["id"])
    # given it was left pending, its rate chosen, by a process that died during the buy
    LabelPurchase.objects.update(status="pending", updated_at=utcnow() - timedelta(minutes=11))
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_bought")
        r = buy(api, fo["id"])
    assert (r.status_code, r.json()["status"], r.json()["attempts"]) == (201, "bought", 1)


def test_a_twin_inserting_first_gets_409_and_one_purchase_stays(api, easypost, fo, monkeypatch):  # noqa: F811
    # given a twin request that inserted parcel 1's purchase after this one looked
    LabelPurchase.objects.create(
        fulfillment_order_id=fo["id"], parcel=1, key="twin", actor="twin",
        account=CarrierAccount.objects.get(code="ep-main"),
    )  # fmt: skip
    monkeypatch.setattr("ordino.shipping.purchases._live", lambda fo_id, parcel: None)
    with responses.RequestsMock():
        r = buy(api, fo["id"])
    assert (r.status_code, r.json()["code"]) == (409, "purchase_in_progress")
    assert list(LabelPurchase.objects.values_list("key", "status")) == [("twin", "pending")]


def test_a_bought_label_is_voided_and_the_parcel_may_get_another(api, easypost, fo):  # noqa: F811
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        bought = buy(api, fo["id"]).json()
    path = f"/fulfillment/orders/{fo['id']}/labels/{bought['id']}/void"
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/refund", "easypost_shipment_refunded")
        r = api.post(path)
    assert (r.status_code, r.json()["status"], r.json()["refund_status"]) == (
        200,
        "voided",
        "submitted",
    )
    with responses.RequestsMock():
        again = api.post(path)
    assert (again.status_code, again.json()["code"]) == (409, "not_voidable")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        assert buy(api, fo["id"]).status_code == 201
    assert list(LabelPurchase.objects.values_list("status", flat=True)) == ["voided", "bought"]


def test_shippo_buys_through_its_transaction(api, fo):  # noqa: F811
    put(
        api,
        "/shipping/accounts/sh",
        {"name": "Shippo", "adapter": "shippo", "api_key": "shippo_test_k"},
    )
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{SHIPPO}/shipments", "shippo_shipment_created", status=201)
        answer(rsps, "POST", f"{SHIPPO}/transactions", "shippo_transaction_success", status=201)
        r = api.post(
            f"/fulfillment/orders/{fo['id']}/labels/purchase",
            {"account": "sh", **PARCEL, "service": "usps_ground_advantage"},
        )
    assert (r.status_code, r.json()["tracking_number"], r.json()["amount"]) == (
        201,
        "9205590164917312751089",
        "5.50",
    )


def test_the_offline_carrier_buys_no_label(api, fo):  # noqa: F811
    put(api, "/shipping/accounts/sheets", {"name": "Rate sheets", "adapter": "offline"})
    r = api.post(f"/fulfillment/orders/{fo['id']}/labels/purchase", {"account": "sheets", **PARCEL})
    assert (r.status_code, r.json()["code"]) == (409, "carrier_unsupported")
    assert LabelPurchase.objects.count() == 0


def test_another_location_gets_404_and_nothing_is_bought(client, api, easypost, fo):  # noqa: F811
    token = make_token("fulfillment:write fulfillment:read", name="wh-b", location_codes=["WH-B"])
    with responses.RequestsMock():
        r = client.post(
            f"/api/v1/fulfillment/orders/{fo['id']}/labels/purchase",
            {"account": "ep-main", **PARCEL},
            content_type="application/json",
            **auth(token),
        )
        listed = client.get(f"/api/v1/fulfillment/orders/{fo['id']}/labels", **auth(token))
    assert (r.status_code, r.json()["code"]) == (404, "fulfillment_order_not_found")
    assert listed.status_code == 404
    assert LabelPurchase.objects.count() == 0


def test_an_unknown_account_is_named(api, fo):  # noqa: F811
    r = api.post(f"/fulfillment/orders/{fo['id']}/labels/purchase", {"account": "nope", **PARCEL})
    assert (r.status_code, r.json()["code"], r.json()["errors"][0]["field"]) == (
        422,
        "unknown_account",
        "account",
    )
    assert LabelPurchase.objects.count() == 0


def test_the_bought_labels_ship_the_parcels_with_their_cost(api, easypost, fo):  # noqa: F811
    # given no label bought: nothing ships
    refused = api.post(f"/fulfillment/orders/{fo['id']}/ship-labels", {})
    assert (refused.status_code, refused.json()["code"]) == (409, "no_label_bought")
    assert Shipment.objects.count() == 0
    # when parcel 1's label is bought and the order ships with it
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        purchase = buy(api, fo["id"]).json()
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-labels", {})
    # then the shipment carries the carrier's tracking number, and the label's price is its cost
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["rating_id"], body["parcels"], body["amount"], body["currency"]) == (
        None, 1, purchase["amount"], purchase["currency"],
    )  # fmt: skip
    shipment = Shipment.objects.get(pk=body["shipment_id"])
    assert shipment.tracking_numbers == [TRACKING]
    assert shipment.packages == [{"weight_grams": 1200, "tracking_number": TRACKING}]
    assert api.get(f"/fulfillment/orders/{fo['id']}").json()["status"] == "shipped"


def test_labels_with_a_gap_ship_nothing(api, easypost, fo):  # noqa: F811
    # given a label bought for parcel 2 only
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        assert buy(api, fo["id"], parcel=2).status_code == 201
    # then shipping the labels is refused, naming the parcels, and nothing ships
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-labels", {})
    assert (r.status_code, r.json()["code"]) == (409, "labels_incomplete")
    assert "[2]" in r.json()["detail"]
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)


def test_a_label_without_its_price_ships_nothing(api, easypost, fo):  # noqa: F811
    # given a bought label whose price and weight were never recorded (not label_purchase's)
    LabelPurchase.objects.create(
        fulfillment_order_id=fo["id"], parcel=1, key="ordino-bare", status="bought",
        tracking_number="BARE-1", actor="test", account=CarrierAccount.objects.get(code="ep-main"),
    )  # fmt: skip
    # then shipping the labels is refused, naming the parcel, and nothing ships
    r = api.post(f"/fulfillment/orders/{fo['id']}/ship-labels", {})
    assert (r.status_code, r.json()["code"]) == (409, "label_unpriced")
    assert "Parcel 1" in r.json()["detail"]
    assert (Shipment.objects.count(), ShipmentCost.objects.count()) == (0, 0)
