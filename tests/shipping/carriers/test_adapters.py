"""The EasyPost and Shippo adapters read the providers' recorded answers into our values: rates,
a bought label, a label looked up, a void, a tracker's events; a refusal and a timeout are told
apart (refused: nothing bought; unanswered: maybe); every call is in the integration log with
a timeout, the API key never logged. Never the network: `responses` answers every request and
refuses any other."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
import requests
import responses

from ordino.integrations.models import IntegrationCall
from ordino.shipping.carriers.base import (
    TIMEOUT_SECONDS,
    Address,
    CarrierRefused,
    CarrierUnanswered,
    LiveRate,
    ParcelSpec,
    ShipmentSpec,
)
from ordino.shipping.carriers.easypost_carrier import EasyPostCarrier
from ordino.shipping.carriers.shippo_carrier import ShippoCarrier
from tests.shipping.carriers.recorded import EASYPOST, SHIPPO, answer

pytestmark = pytest.mark.django_db

EP_KEY, SHIPPO_KEY = "EZTK-secret-easypost-key", "shippo_test_secret_key"
SHP = "shp_5c1f0a9e2b7d4e0c9a1b3d5f7e9a2c4b"
SPEC = ShipmentSpec(
    sender=Address("WH-A", "388 Townsend St", "San Francisco", "94107", "US", region="CA"),
    recipient=Address("Ada Lovelace", "179 N Harbor Dr", "Redondo Beach", "90277", "US"),
    parcel=ParcelSpec(Decimal(30), Decimal(20), Decimal(10), Decimal("1.2")),
    reference="ordino-key-1",
)
EP_GROUND = LiveRate(
    "USPS",
    "GroundAdvantage",
    Decimal("5.93"),
    "USD",
    SHP,
    "rate_c3a5e7b9d1f24680ace13579bdf02468",
    3,
)
SH_GROUND = LiveRate(
    "USPS",
    "usps_ground_advantage",
    Decimal("5.50"),
    "USD",
    "5e40ead7cffe4cc1ad45108696162e42",
    "b1d3f5a7c9e14f2a8c6e4a2c0e8a6c4e",
    4,
)


def _no_key_logged(key: str) -> None:
    for call in IntegrationCall.objects.all():
        assert key not in str(call.request_headers) + str(call.request_body) + call.endpoint


def test_easypost_rates_come_from_the_created_shipment():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        rates = EasyPostCarrier(EP_KEY).rates(SPEC)
        sent = rsps.calls[0].request
    assert [(r.key, r.amount, r.currency, r.days) for r in rates] == [
        ("USPS:Express", Decimal("31.25"), "USD", None),
        ("USPS:Priority", Decimal("6.95"), "USD", 2),
        ("USPS:GroundAdvantage", Decimal("5.93"), "USD", 3),
    ]
    assert rates[2] == EP_GROUND
    # the parcel in inches and ounces, our key as the shipment's reference
    shipment = json.loads(sent.body)["shipment"]
    assert shipment["parcel"] == {"length": 11.8, "width": 7.9, "height": 3.9, "weight": 42.3}
    assert shipment["reference"] == "ordino-key-1"
    call = IntegrationCall.objects.get()
    assert (call.system, call.operation, call.ok, call.status_code) == (
        "easypost",
        "shipments.create",
        True,
        200,
    )
    assert (call.correlation_id, call.object_id) == ("ordino-key-1", SHP)
    _no_key_logged(EP_KEY)


def test_easypost_buys_the_rate_and_reads_the_label():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_shipment_bought")
        label = EasyPostCarrier(EP_KEY).buy(EP_GROUND, reference="ordino-key-1")
        assert (
            rsps.calls[0].request.body == b'{"rate": {"id": "' + EP_GROUND.rate_id.encode() + b'"}}'
        )
    assert (label.tracking_number, label.amount, label.currency, label.service) == (
        "9400100105442285876350",
        Decimal("5.93"),
        "USD",
        "GroundAdvantage",
    )
    assert label.provider_id == SHP
    assert label.label_url.endswith("/20261130/e8b1.png")


def test_easypost_lookup_finds_a_label_bought_or_none():
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_bought")
        answer(rsps, "GET", f"{EASYPOST}/shipments/{SHP}", "easypost_shipment_created")
        adapter = EasyPostCarrier(EP_KEY)
        assert adapter.lookup(EP_GROUND, reference="k").tracking_number == "9400100105442285876350"
        assert adapter.lookup(EP_GROUND, reference="k") is None


def test_easypost_refusal_is_refused_and_a_timeout_unanswered():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=422)
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", body=requests.ReadTimeout("read"))
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/buy", "easypost_error_422", status=500)
        adapter = EasyPostCarrier(EP_KEY)
        with pytest.raises(CarrierRefused) as refused:
            adapter.buy(EP_GROUND, reference="k")
        with pytest.raises(CarrierUnanswered):
            adapter.buy(EP_GROUND, reference="k")
        with pytest.raises(CarrierUnanswered):
            adapter.buy(EP_GROUND, reference="k")
    assert refused.value.code == "easypost_shipment_postage_failure"
    assert refused.value.message == "EasyPost: The carrier refused the label: the rate has expired."
    logged = list(IntegrationCall.objects.order_by("id").values_list("ok", "status_code"))
    assert logged == [(False, 422), (False, None), (False, 500)]
    assert adapter.client.timeout == TIMEOUT_SECONDS


def test_easypost_void_and_track():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments/{SHP}/refund", "easypost_shipment_refunded")
        answer(rsps, "POST", f"{EASYPOST}/trackers", "easypost_tracker", status=201)
        adapter = EasyPostCarrier(EP_KEY)
        assert adapter.void(SHP) == "submitted"
        update = adapter.track("USPS", "EZ4000000004")
    assert (update.carrier, update.tracking_number) == ("usps", "EZ4000000004")
    assert [e.status for e in update.events] == ["pre_transit", "in_transit", "delivered"]
    assert update.events[1].location == "NORTH HOUSTON, TX, 77315"


def test_shippo_rates_buy_and_track():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{SHIPPO}/shipments", "shippo_shipment_created", status=201)
        answer(rsps, "POST", f"{SHIPPO}/transactions", "shippo_transaction_success", status=201)
        answer(rsps, "GET", f"{SHIPPO}/tracks/usps/9205590164917312751089", "shippo_track")
        adapter = ShippoCarrier(SHIPPO_KEY)
        rates = adapter.rates(SPEC)
        label = adapter.buy(rates[1], reference="ordino-key-1")
        update = adapter.track("usps", "9205590164917312751089")
        bought = json.loads(rsps.calls[1].request.body)
        auth = rsps.calls[0].request.headers["Authorization"]
    assert [(r.key, r.amount, r.days) for r in rates] == [
        ("USPS:usps_priority", Decimal("7.10"), 2),
        ("USPS:usps_ground_advantage", Decimal("5.50"), 4),
    ]
    assert rates[1] == SH_GROUND
    assert bought == {
        "rate": SH_GROUND.rate_id,
        "async": False,
        "metadata": "ordino-key-1",
        "label_file_type": "PDF_4x6",
    }
    assert auth == f"ShippoToken {SHIPPO_KEY}"
    assert (label.tracking_number, label.amount, label.provider_id) == (
        "9205590164917312751089",
        Decimal("5.50"),
        "915d94940ea54c3a80cbfa328722f5a1",
    )
    assert [e.status for e in update.events] == ["pre_transit", "in_transit", "in_transit"]
    assert [c.operation for c in IntegrationCall.objects.order_by("id")] == [
        "shipments.create",
        "transactions.create",
        "tracks.get",
    ]
    _no_key_logged(SHIPPO_KEY)


def test_shippo_error_transaction_is_refused_a_timeout_unanswered():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{SHIPPO}/transactions", "shippo_transaction_error", status=201)
        answer(rsps, "POST", f"{SHIPPO}/transactions", body=requests.ConnectTimeout("connect"))
        adapter = ShippoCarrier(SHIPPO_KEY)
        with pytest.raises(CarrierRefused) as refused:
            adapter.buy(SH_GROUND, reference="k")
        with pytest.raises(CarrierUnanswered):
            adapter.buy(SH_GROUND, reference="k")
    assert refused.value.message == (
        "Shippo: The address to is invalid: the ZIP code does not match the city."
    )


def test_shippo_lookup_lists_the_rates_transactions_and_void_refunds():
    with responses.RequestsMock() as rsps:
        answer(rsps, "GET", f"{SHIPPO}/transactions", "shippo_transactions_found")
        answer(rsps, "GET", f"{SHIPPO}/transactions", "shippo_transactions_none")
        answer(rsps, "POST", f"{SHIPPO}/refunds", "shippo_refund", status=201)
        adapter = ShippoCarrier(SHIPPO_KEY)
        found = adapter.lookup(SH_GROUND, reference="k")
        assert adapter.lookup(SH_GROUND, reference="k") is None
        assert adapter.void(found.provider_id) == "queued"
        assert f"rate={SH_GROUND.rate_id}" in rsps.calls[0].request.url
    assert found.tracking_number == "9205590164917312751089"
