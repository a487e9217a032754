"""A parcel's customs declaration as each aggregator's API takes it (docs/shipping.md,
"Customs"): EasyPost's `customs_info` (ounces, the value as an exact decimal in the order's
currency, the US exemption), Shippo's `customs_declaration` (grams, tariff numbers); a parcel
that crosses no border carries none. Never the network: `responses` answers every request."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
import responses

from ordino.shipping.carriers.base import Address
from ordino.shipping.carriers.easypost_carrier import EasyPostCarrier
from ordino.shipping.carriers.shippo_carrier import ShippoCarrier
from ordino.shipping.domain.customs import LineToDeclare, declaration_make
from tests.shipping.carriers.recorded import EASYPOST, SHIPPO, answer
from tests.shipping.carriers.test_adapters import EP_KEY, SHIPPO_KEY, SPEC

pytestmark = pytest.mark.django_db

TO_LONDON = Address("Ada Lovelace", "10 Downing St", "London", "SW1A 2AA", "GB")
DECLARATION = declaration_make(
    lines=[
        LineToDeclare(
            "TEE", "Tee", 2, 3, Decimal("59.70"), "61091000", "PT", "Cotton T-shirt", 180
        ),
        LineToDeclare("MUG", "Mug", 1, 1, Decimal("9.50"), "691200", "CN", "", 350),
    ],
    currency="USD",
    signer="WH-A",
    sender_country="US",
    recipient_country="GB",
)
ABROAD = replace(SPEC, recipient=TO_LONDON, customs=DECLARATION)


def _sent(rsps) -> dict:
    return json.loads(rsps.calls[0].request.body)


def test_easypost_sends_the_declaration_as_customs_info():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        EasyPostCarrier(EP_KEY).rates(ABROAD)
        shipment = _sent(rsps)["shipment"]
    assert shipment["customs_info"] == {
        "contents_type": "merchandise",
        "customs_certify": True,
        "customs_signer": "WH-A",
        "non_delivery_option": "return",
        "restriction_type": "none",
        "eel_pfc": "NOEEI 30.37(a)",
        "customs_items": [
            {"description": "Cotton T-shirt", "quantity": 2, "value": "39.80", "currency": "USD",
             "weight": 12.7, "hs_tariff_number": "61091000", "origin_country": "PT",
             "code": "TEE"},
            {"description": "Mug", "quantity": 1, "value": "9.50", "currency": "USD",
             "weight": 12.3, "hs_tariff_number": "691200", "origin_country": "CN",
             "code": "MUG"},
        ],
    }  # fmt: skip


def test_shippo_sends_the_declaration_as_customs_declaration():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{SHIPPO}/shipments", "shippo_shipment_created", status=201)
        ShippoCarrier(SHIPPO_KEY).rates(ABROAD)
        sent = _sent(rsps)
    assert sent["customs_declaration"] == {
        "certify": True,
        "certify_signer": "WH-A",
        "contents_type": "MERCHANDISE",
        "non_delivery_option": "RETURN",
        "eel_pfc": "NOEEI_30_37_a",
        "items": [
            {"description": "Cotton T-shirt", "quantity": 2, "net_weight": "360",
             "mass_unit": "g", "value_amount": "39.80", "value_currency": "USD",
             "tariff_number": "61091000", "origin_country": "PT", "sku_code": "TEE"},
            {"description": "Mug", "quantity": 1, "net_weight": "350", "mass_unit": "g",
             "value_amount": "9.50", "value_currency": "USD", "tariff_number": "691200",
             "origin_country": "CN", "sku_code": "MUG"},
        ],
    }  # fmt: skip


def test_a_parcel_from_outside_the_us_declares_no_us_exemption():
    from_berlin = replace(DECLARATION, sender_country="DE", recipient_country="CH")
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{SHIPPO}/shipments", "shippo_shipment_created", status=201)
        EasyPostCarrier(EP_KEY).rates(replace(ABROAD, customs=from_berlin))
        ShippoCarrier(SHIPPO_KEY).rates(replace(ABROAD, customs=from_berlin))
        easypost = json.loads(rsps.calls[0].request.body)["shipment"]["customs_info"]
        shippo = json.loads(rsps.calls[1].request.body)["customs_declaration"]
    assert "eel_pfc" not in easypost and "eel_pfc" not in shippo


def test_a_domestic_parcel_carries_no_declaration():
    with responses.RequestsMock() as rsps:
        answer(rsps, "POST", f"{EASYPOST}/shipments", "easypost_shipment_created", status=201)
        answer(rsps, "POST", f"{SHIPPO}/shipments", "shippo_shipment_created", status=201)
        EasyPostCarrier(EP_KEY).rates(SPEC)
        ShippoCarrier(SHIPPO_KEY).rates(SPEC)
        assert "customs_info" not in json.loads(rsps.calls[0].request.body)["shipment"]
        assert "customs_declaration" not in json.loads(rsps.calls[1].request.body)
