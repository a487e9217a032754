"""Boundary sweep: every JSON value of every write, and every query parameter, tried with the
boundary values of its kind (tests/reliability/boundaries.py), on both databases.

For each operation with a JSON body a full valid request (every optional field filled, so each
one is tried) is taken from `VALID`; then each scalar in it is replaced, one at a time, by each
boundary value of its kind (amounts past what is stored, exponents, years 1 and 9999 with
offsets, long strings, booleans and numeric strings for integers). Every answer must be below
500 and a refusal problem+json; after a write that was accepted, every list must still read
(a BC `placed_at` once made `GET /orders` answer 500 to every caller). Each request runs in a
savepoint rolled back after it, so each meets the same shop. A new operation with a JSON body
must get its valid request here: `test_every_write_with_a_json_body_is_swept` says so.
"""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from ordino.cases.models import Team
from ordino.fulfillment.models import FulfillmentOrder
from ordino.holds.services import order_hold_system
from ordino.payments.services import payments_authorize
from tests.factories import auth, order_body
from tests.reliability.boundaries import BOUNDARIES, READ_BACK, _leaves, _set, kind_of
from tests.reliability.openapi import operations
from tests.reliability.seed import Shop

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Ada Lovelace",
    "company": "Analytical Engines",
    "line1": "Unter den Linden 1",
    "line2": "Hof 2",
    "city": "Berlin",
    "region": "BE",
    "postal_code": "10117",
    "country": "DE",
    "phone": "+4930901820",
    "latitude": "52.5170",
    "longitude": "13.3889",
}
# a hold rule no order of the shop matches (nothing the sweeps do is held)
HOLD_CONDITION = {
    "all": [
        {"fact": "order.value", "op": "gt", "value": "100000"},
        {"fact": "order.currency", "op": "in", "value": ["CHF"]},
        {"fact": "customer.tags", "op": "contains", "value": "sweep"},
    ]
}
ROUTING = {
    "code": "sweep",
    "name": "Sweep",
    "condition": HOLD_CONDITION,
    "case_types": ["inquiry", "order_hold"],
    "team": "Sweepers",
    "priority": "high",
}
DEFINITION = {
    "strategies": [
        {
            "name": "everywhere",
            "filters": [{"type": "has_stock", "mode": "any"}],
            "ranking": {"criteria": [{"criterion": "priority"}]},
            "split": {"max_shipments": 2},
            "fallback": {"kind": "backorder"},
        }
    ],
}
CONNECTION = {
    "channel": "web",
    "platform": "shopify",
    "base_url": "https://sweep.myshopify.com",
    "access_token": "shpat_sweep",
    "webhook_secret": "shpss_sweep",
    "active": True,
    "poll_interval_seconds": 300,
}
CART = {
    "lines": [{"sku": "TEE", "quantity": 1}],
    "destination": {
        "country": "DE",
        "region": "BE",
        "postal_code": "10117",
        "latitude": "52.5",
        "longitude": "13.4",
    },
    "channel": "web",
    "value": "19.99",
    "currency": "EUR",
    "customer_tags": ["vip"],
}
LOCATION = {
    "code": "WH-X",
    "name": "X",
    "kind": "warehouse",
    "address_line1": "Hafenstr. 1",
    "address_line2": "Halle 3",
    "city": "Hamburg",
    "region": "HH",
    "postal_code": "20095",
    "country": "DE",
    "latitude": "53.55",
    "longitude": "9.99",
    "priority": 5,
    "daily_capacity": 100,
    "groups": ["EU"],
}
SKU = {
    "name": "Tee XL",
    "barcode": "4006381333931",
    "weight_grams": 200,
    "length_mm": 300,
    "width_mm": 200,
    "height_mm": 20,
    "tags": ["summer"],
    "hs_code": "610910",
    "origin_country": "PT",
    "customs_description": "Cotton T-shirt",
}
CHANNEL = {"name": "Shop", "kind": "web", "currency": "EUR", "stock_buffer": 2}
CUSTOMER = {
    "email": "grace@example.com",
    "phone": "030 901820",
    "first_name": "Grace",
    "last_name": "Hopper",
    "country": "DE",
    "tags": ["vip"],
}
MOVE = {"location": "WH-A", "sku": "TEE", "reference": "PO-1", "note": "n"}
LINES = [{"line_no": 1, "quantity": 1}]
TAX_RATE = {
    "country": "LU",
    "region": "",
    "tax_class": "standard",
    "rate": "16.5",
    "name": "LU VAT",
    "valid_from": "2020-01-01",
    "valid_to": "2026-12-31",
}

# (method, path, valid body): `{order}`, `{fo}`, `{transfer}`, `{customer}` are the shop's ids.
# fraud screening's card fields (docs/risk.md)
CARD_SEEN = {
    "method": "card",
    "provider": "offline",
    "card_fingerprint": "fp_1",
    "card_holder": "Grace Hopper",
}
# what a rate shop asks (the seed rates Germany with DHL Paket; the promise is met)
SHOP_ASKED = {
    "parcels": [{"length_cm": "30", "width_cm": "20", "height_cm": "10", "weight_kg": "1.2"}],
    "policy": "cheapest_on_time",
    "ship_day": "2026-12-04",
    "promised": "2026-12-10",
    "services": ["dhl:paket"],
}
VALID: dict[tuple[str, str], dict] = {
    ("post", "/catalog/products"): {
        "code": "P-X",
        "name": "X",
        "description": "d",
        "tags": ["a"],
        "is_active": True,
    },
    ("patch", "/catalog/products/{code}"): {"name": "Y", "description": "d", "tags": ["a"]},
    ("post", "/catalog/skus"): {"product": "P-TEE", "code": "TEE-X", "kind": "simple", **SKU},
    ("patch", "/catalog/skus/{code}"): SKU,
    ("put", "/catalog/skus/{code}/components"): {
        "components": [{"sku": "TEE", "quantity": 2}, {"sku": "CAP", "quantity": 1}]
    },
    ("post", "/location-groups"): {"code": "NORTH", "name": "North"},
    ("post", "/locations"): LOCATION,
    ("patch", "/locations/{code}"): {k: v for k, v in LOCATION.items() if k != "code"},
    ("post", "/channels"): {"code": "shop", "excluded_locations": ["WH-B"], **CHANNEL},
    ("patch", "/channels/{code}"): {"excluded_locations": ["WH-B"], **CHANNEL},
    ("post", "/customers"): CUSTOMER,
    ("patch", "/customers/{customer_id}"): CUSTOMER,
    ("post", "/customers/{customer_id}/addresses"): {
        **{k: v for k, v in ADDRESS.items() if k not in ("company", "latitude", "longitude")},
        "is_default": True,
    },
    ("post", "/customers/{customer_id}/store-credit"): {
        "kind": "goodwill",
        "amount": "10.00",
        "currency": "EUR",
        "reason": "late parcel",
    },
    ("post", "/inventory/receipts"): {**MOVE, "quantity": 5, "expected": False},
    ("post", "/inventory/incoming"): {**MOVE, "quantity": 5, "action": "expect"},
    ("post", "/inventory/adjustments"): {**MOVE, "delta": 3, "reason": "found"},
    ("post", "/inventory/counts"): {**MOVE, "counted": 120},
    ("post", "/inventory/damages"): {**MOVE, "quantity": 1, "action": "mark"},
    ("post", "/inventory/safety-stock"): {**MOVE, "quantity": 2},
    ("post", "/inventory/transfers"): {
        "source": "WH-A",
        "destination": "WH-B",
        "sku": "TEE",
        "quantity": 2,
        "reference": "T-1",
        "note": "n",
    },
    ("post", "/inventory/transfers/{transfer_id}/receive"): {"quantity": 1, "note": "n"},
    ("post", "/inventory/availability/bulk"): {"skus": ["TEE", "MUG"], "channel": "web"},
    ("post", "/orders"): order_body(
        "SWEEP-1",
        placed_at="2026-01-31T09:30:00+01:00",
        customer={
            "external_id": "C-1",
            "email": "grace@example.com",
            "phone": "+4930901820",
            "first_name": "Grace",
            "last_name": "Hopper",
        },
        shipping_address=ADDRESS,
        billing_address=ADDRESS,
        lines=[
            {
                "sku": "TEE",
                "quantity": 2,
                "unit_price": "19.99",
                "discount": "1.00",
                "tax": "3.80",
                "name": "Tee",
                "external_id": "L-1",
            },
            {"sku": "MUG", "quantity": 1, "unit_price": 9.5, "discount": 0, "tax": "1.81"},
        ],
        shipping_price="4.90",
        shipping_tax="0.93",
        discount="2.00",
        total="57.92",
        tags=["gift"],
        raw_payload={"id": 1, "amount": "56.91", "placed": "2026-01-31T09:30:00Z"},
        payments=[CARD_SEEN],
    ),
    ("post", "/orders/{order_id}/cancel"): {"reason": "r", "lines": LINES},
    ("post", "/orders/{order_id}/comments"): {"text": "r"},
    ("post", "/orders/{order_id}/credit-notes"): {"lines": [{"line_no": 1, "amount": "1"}]},
    ("post", "/orders/{order_id}/payments"): {
        "method": "card",
        "provider": "test",
        "token": "tok_approve",
        "amount": "10.00",
        "brand": "visa",
        "last4": "4242",
    },
    ("post", "/orders/{order_id}/refunds"): {
        "lines": [],
        "shipping": "0",
        "goodwill": "1.00",
        "reason": "r",
        "to": "original",
    },
    ("post", "/orders/{order_id}/refunds/{refund_id}/resend"): {"to": "store_credit"},
    ("post", "/orders/{order_id}/edit"): {
        "expected_version": 1,
        "add_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "5.00", "tax": "0.95"}],
        "change_lines": [{"line_no": 1, "quantity": 3}],
        "remove_lines": [2],
        "shipping_address": ADDRESS,
        "reason": "r",
    },
    ("post", "/fulfillment/orders/{fo_id}/hold"): {"reason": "r"},
    ("post", "/fulfillment/orders/{fo_id}/ship"): {
        "carrier": "DHL",
        "service": "parcel",
        "tracking_numbers": ["JD0001"],
        "packages": [{"weight_grams": 1200, "tracking_number": "JD0001"}],
        "lines": LINES,
    },
    ("post", "/fulfillment/orders/{fo_id}/reject"): {
        "reason": "damaged",
        "lines": LINES,
        "note": "n",
    },
    ("post", "/fulfillment/orders/{fo_id}/ready-for-pickup"): {"pickup_days": 3},
    ("post", "/fulfillment/orders/{fo_id}/picked-up"): {"pickup_code": "123456"},
    ("post", "/sourcing/profiles"): {
        "code": "sweep2",
        "name": "Sweep",
        "definition": DEFINITION,
        "effective_from": "2027-01-01T00:00:00+01:00",
        "is_default": False,
    },
    ("put", "/sourcing/profiles/{code}/draft"): {
        "definition": DEFINITION,
        "effective_from": "2027-01-01T00:00:00+01:00",
        "note": "n",
    },
    ("post", "/sourcing/profiles/{code}/draft/validate"): {"definition": DEFINITION},
    ("post", "/sourcing/profiles/{code}/versions/{number}/activate"): {
        "effective_from": "2027-01-01T00:00:00+01:00"
    },
    ("post", "/sourcing/simulate"): {
        "profile": "sweep",
        "version": "draft",
        "cart": CART,
        "at": "2026-01-31T09:30:00Z",
    },
    ("post", "/sourcing/backtest"): {
        "profile": "sweep",
        "version": "draft",
        "baseline": "active",
        "orders": 5,
        "channel": "web",
    },
    ("put", "/sourcing/zones"): {
        "zones": [{"country": "DE", "region": "BE", "postal_prefix": "10", "zone": "east"}],
        "distances": [{"zone_a": "east", "zone_b": "east", "km": "12.5"}],
    },
    ("put", "/sourcing/transit-times"): {
        "transit_times": [{"service": "standard", "from_zone": "*", "to_zone": "east", "days": 2}]
    },
    ("put", "/sourcing/schedules/{code}"): {
        "calendar": {"timezone": "Europe/Berlin", "hours": {"Mon": [["08:00", "18:00"]]}},
        "cost_per_shipment": "4.50",
    },
    ("post", "/promise"): {**CART, "service": "standard", "at": "2026-01-31T09:30:00Z"},
    ("post", "/orders/{order_id}/returns"): {
        "location": "WH-A",
        "reason": "damaged",
        "lines": [{"line_no": 2, "quantity": 1, "reason": "defective"}],
        "customer_note": "n",
    },
    ("post", "/orders/{order_id}/exchanges"): {
        "location": "WH-A",
        "reason": "size_or_fit",
        "lines": [{"line_no": 2, "quantity": 1, "reason": "defective"}],
        "new_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "9.50", "tax": "0"}],
        "refund_now": False,
        "customer_note": "n",
        "preview": False,
    },
    ("post", "/returns/{return_id}/approve"): {"carrier": "DHL", "tracking_number": "RT1"},
    ("post", "/returns/{return_id}/decline"): {"reason": "r"},
    ("post", "/returns/{return_id}/cancel"): {"reason": "r"},
    ("post", "/returns/{return_id}/receive"): {
        "lines": [{"line_no": 2, "restock": 1, "damaged": 0, "needs_processing": 0, "missing": 0}]
    },
    ("post", "/return-policies"): {
        "channel": "web",
        "sku": "TEE",
        "window_days": 30,
        "returnable": True,
    },
    ("post", "/holds/rules"): {
        "code": "sweep2",
        "name": "Sweep",
        "reason": "sweep",
        "kind": "approval",
        "release_permission": "approve",
        "condition": HOLD_CONDITION,
        "note": "n",
    },
    ("post", "/holds/rules/preview"): {"condition": HOLD_CONDITION, "limit": 10},
    ("post", "/holds/rules/{code}/versions"): {"condition": HOLD_CONDITION, "note": "n"},
    ("post", "/holds/rules/{code}/versions/{number}/activate"): {"reason": "r"},
    ("post", "/holds/rules/{code}/retire"): {"reason": "r"},
    ("post", "/orders/{order_id}/holds/{hold_id}/release"): {"reason": "r"},
    # a channel's feed of available-to-sell (docs/feeds.md)
    ("put", "/feeds/{code}/settings"): {
        "enabled": True,
        "min_interval_seconds": 30,
        "batch_size": 100,
        "reason": "r",
    },
    ("patch", "/risk/settings"): {
        "weights": {"velocity_card": 40, "name_mismatch": 0},
        "velocity_hours": 48,
        "velocity_limit": 5,
        "high_value": {"EUR": "1500.00"},
        "review_threshold": 80,
        "reason": "r",
    },
    # LU: a country the shop's orders never ship to, so a rate changes none of their totals
    ("post", "/tax/rates"): {
        **TAX_RATE,
        "rate": "17",
        "valid_from": "2027-01-01",
        "valid_to": "2030-12-31",
    },
    ("patch", "/tax/rates/{rate_id}"): {
        key: value for key, value in TAX_RATE.items() if key != "country"
    },
    # a box type of WH-A (docs/shipping.md, "Parcels and packing")
    ("put", "/shipping/boxes/{code}"): {
        "location": "WH-A",
        "name": "Sweep box",
        "inner_length_mm": 300,
        "inner_width_mm": 200,
        "inner_height_mm": 150,
        "outer_length_mm": 310,
        "outer_width_mm": 210,
        "outer_height_mm": 160,
        "tare_g": 150,
        "max_weight_g": 10000,
        "is_active": True,
        "reason": "r",
    },
    # carriers' services, quotes, a fulfillment order's rating and its shipping (docs/shipping.md)
    ("put", "/shipping/services/{carrier}/{code}"): {
        "name": "DHL Paket",
        "currency": "EUR",
        "max_weight": "31.5",
        "unit": "kg",
        "divisor": "5000",
        "min_volume": "0",
        "increment": "0.5",
        "transit_days": 2,
        "max_longest": "120",
        "max_length_plus_girth": "300",
        "carrier_name": "DHL",
        "reason": "r",
    },
    ("post", "/shipping/services/{carrier}/{code}/deactivate"): {"reason": "r"},
    ("put", "/shipping/policies/{channel}"): {"policy": "fastest", "reason": "r"},
    ("post", "/shipping/services/{carrier}/{code}/activate"): {"reason": "r"},
    ("put", "/shipping/services/{carrier}/{code}/surcharges/{kind}"): {
        "amount": "0",
        "percent": "10",
        "longest": "0",
        "length_plus_girth": "0",
        "prefixes": ["18565"],
    },
    # the customer's e-mails (docs/shipping.md, "Customer e-mails")
    ("put", "/shipping/notice-templates/{kind}"): {
        "subject": "Order {{ order_number }}",
        "body": "Hello {{ customer_name }}",
        "is_active": True,
        "reason": "r",
    },
    ("post", "/shipping/notice-templates/{kind}/preview"): {"subject": "S", "body": "B"},
    ("post", "/shipping/quote"): {
        **SHOP_ASKED,
        "destination": {
            "country": "DE",
            "region": "BE",
            "postal_code": "10115",
            "residential": True,
        },
    },
    ("post", "/fulfillment/orders/{fo_id}/rates"): {**SHOP_ASKED, "residential": True},
    ("post", "/fulfillment/orders/{fo_id}/ship-rated"): {"tracking_numbers": ["SWEEP-1"]},
    # carrier accounts and labels (docs/shipping.md, "Carrier adapters"): the seed's parcel 1
    # of WH-A's order has its label from the offline account, so the valid request calls no one
    ("put", "/shipping/accounts/{code}"): {
        "name": "Sweep",
        "adapter": "offline",
        "api_key": "k",
        "is_active": True,
        "reason": "r",
    },
    ("post", "/fulfillment/orders/{fo_id}/labels/purchase"): {
        "account": "sheets",
        "parcel": 1,
        "length_cm": "30",
        "width_cm": "20",
        "height_cm": "10",
        "weight_kg": "1.2",
        "service": "dhl:paket",
    },
    # cases (docs/cases.md): an inquiry, and an agent's steps on the caller's case
    ("post", "/cases"): {"title": "Where is my parcel?", "description": "d", "priority": "high"},
    ("post", "/cases/{case_id}/take"): {"user": "sweeper"},
    ("post", "/cases/{case_id}/assign"): {"user": "sweeper", "team": "Sweepers"},
    ("post", "/cases/{case_id}/status"): {"status": "waiting", "note": "n"},
    ("post", "/cases/{case_id}/comments"): {"text": "t"},
    ("post", "/cases/{case_id}/resolve"): {"resolution": "resolve", "note": "n"},
    # case routing rules (docs/cases.md, "Routing"): the caller's rule `sweep` is changed
    ("post", "/cases/routing-rules"): {**ROUTING, "code": "sweep2", "position": 5},
    # outbound webhooks (docs/webhooks.md)
    ("post", "/webhooks/endpoints"): {
        "url": "https://hooks.example.com/sweep",
        "event_types": ["order.shipped"],
        "description": "d",
    },
    ("patch", "/webhooks/endpoints/{endpoint_id}"): {
        "url": "https://hooks.example.com/other",
        "event_types": ["order.captured"],
        "description": "d",
    },
    ("post", "/webhooks/endpoints/{endpoint_id}/disable"): {"reason": "r"},
    ("post", "/webhooks/endpoints/{endpoint_id}/enable"): {"reason": "r"},
    ("post", "/webhooks/endpoints/{endpoint_id}/rotate-secret"): {"reason": "r"},
    ("post", "/webhooks/endpoints/{endpoint_id}/replay"): {
        "from": "2026-01-01T00:00:00Z",
        "to": "2027-01-01T00:00:00Z",
        "only_failed": True,
        "reason": "r",
    },
    ("post", "/webhooks/messages/{message_id}/replay"): {"reason": "r"},
    ("post", "/cases/routing-rules/preview"): {
        "condition": HOLD_CONDITION,
        "case_type": "inquiry",
        "limit": 10,
    },
    ("put", "/cases/routing-rules/{code}"): {
        **{k: v for k, v in ROUTING.items() if k != "code"},
        "position": 7,
        "reason": "r",
    },
    # channel connectors (docs/connectors.md): `market` is connected here; `web` by the caller
    ("post", "/connectors/connections"): {**CONNECTION, "channel": "market"},
    ("patch", "/connectors/connections/{connection_id}"): {
        **{k: v for k, v in CONNECTION.items() if k not in ("channel", "platform")},
        "reason": "r",
    },
}


CODES = {
    "/catalog/products/{code}": "P-TEE",
    "/catalog/skus/{code}": "TEE",
    "/catalog/skus/{code}/components": "GIFT",
    "/locations/{code}": "WH-A",
    "/channels/{code}": "web",
    "/sourcing/schedules/{code}": "WH-A",
    "/feeds/{code}/settings": "web",
    "/shipping/services/{carrier}/{code}": "paket",  # the seed's DHL Paket
    "/shipping/services/{carrier}/{code}/surcharges/{kind}": "paket",
    "/shipping/services/{carrier}/{code}/deactivate": "paket",
    "/shipping/services/{carrier}/{code}/activate": "paket",
}


def _path(template: str, caller: Caller) -> str:
    shop = caller.shop
    fo = {"ready-for-pickup": caller.pickup_fo, "picked-up": caller.counter_fo}.get(
        template.rsplit("/", 1)[-1], shop.fulfillments["WH-A"]
    )
    # asks back units of the delivered order
    returned = template.endswith(("/returns", "/exchanges"))
    open_return = template.endswith("/receive")
    return "/api/v1" + template.format(
        code=CODES.get(template, "sweep"),
        customer_id=shop.customers["web"],
        order_id=(
            caller.held_order
            if "/holds/" in template
            else shop.returned_orders["web"]
            if returned
            else shop.orders["web"]
        ),
        return_id=shop.returns["web-open" if open_return else "web"],
        transfer_id=shop.transfers["WH-B>WH-A"],
        fo_id=fo,
        number=2,
        rate_id=caller.rate_id,
        case_id=caller.case_id,
        hold_id=caller.hold_id,
        refund_id=caller.refund_id,
        endpoint_id=caller.endpoint_id,
        message_id=caller.message_id,
        connection_id=caller.connection_id,
        carrier="dhl",
        kind="shipped" if "/notice-templates/" in template else "fuel",
        channel="web",
    )


class Caller:
    def __init__(self, client, shop: Shop) -> None:
        self.client, self.shop, self.headers = client, shop, auth(shop.token)
        self.pickup_fo = 0
        self.counter_fo = 0
        self.rate_id = 0
        self.held_order = 0
        self.case_id = 0
        self.hold_id = 0
        self.refund_id = 0
        self.endpoint_id = 0
        self.message_id = 0
        self.connection_id = 0

    def send(self, method: str, path: str, body=None, query=None):
        if body is None:
            return self.client.get(path, query or {}, **self.headers)
        return getattr(self.client, method)(
            path, data=json.dumps(body), content_type="application/json", **self.headers
        )

    def check(self, label: str, response) -> None:
        assert response.status_code < 500, (label, response.status_code, response.content[:300])
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", label
            return
        for path in READ_BACK:
            read = self.send("get", path, query={"limit": 200})
            assert read.status_code < 500, (label, "then GET", path, read.content[:300])


@pytest.fixture
def caller(reliability_shop, client, db):
    """The shop, plus a profile `sweep` (version 1 active, draft 2), a hold rule `sweep`
    (likewise), an order with an open hold, and a pickup order."""
    caller = Caller(client, reliability_shop)
    profile = {"code": "sweep", "name": "S", "definition": DEFINITION, "is_default": False}
    rule = {"code": "sweep", "name": "S", "reason": "sweep"}
    for method, path, body in (
        ("post", "/api/v1/sourcing/profiles", profile),
        ("post", "/api/v1/sourcing/profiles/sweep/versions/1/activate", {}),
        ("put", "/api/v1/sourcing/profiles/sweep/draft", {"definition": DEFINITION}),
        ("post", "/api/v1/holds/rules", {**rule, "condition": HOLD_CONDITION}),
        ("post", "/api/v1/holds/rules/sweep/versions/1/activate", {}),
        ("post", "/api/v1/holds/rules/sweep/versions", {"condition": HOLD_CONDITION}),
    ):
        response = caller.send(method, path, body)
        assert response.status_code < 300, (path, response.content)
    pickup = order_body("SWEEP-PICKUP", delivery_method="pickup", pickup_location="STORE-1")
    response = caller.send("post", "/api/v1/orders", pickup)
    assert response.status_code == 201, response.content
    caller.pickup_fo = response.json()["fulfillment_orders"][0]["id"]
    caller.counter_fo = _at_the_counter(caller)
    _paid_by_the_marketplace(caller)
    rate = caller.send("post", "/api/v1/tax/rates", TAX_RATE)
    assert rate.status_code == 201, rate.content
    caller.rate_id = rate.json()["id"]
    caller.case_id = _a_case(caller)
    routed = caller.send("post", "/api/v1/cases/routing-rules", {**ROUTING, "code": "sweep"})
    assert routed.status_code == 201, routed.content
    caller.held_order, caller.hold_id = _a_held_order(caller)
    caller.refund_id = _a_reversed_refund(reliability_shop.orders["web"])
    caller.endpoint_id, caller.message_id = _a_dead_webhook_message(caller)
    connected = caller.send("post", "/api/v1/connectors/connections", CONNECTION)
    assert connected.status_code == 201, connected.content
    caller.connection_id = connected.json()["id"]
    return caller


def _a_dead_webhook_message(caller: Caller) -> tuple[int, int]:
    """A webhook endpoint, and a message to it the receiver never took (dead): replayable."""
    from ordino.core.domain.clock import utcnow
    from ordino.webhooks.models import WebhookMessage

    body = {"url": "https://hooks.example.com/sweep", "event_types": ["order.captured"]}
    response = caller.send("post", "/api/v1/webhooks/endpoints", body)
    assert response.status_code == 201, response.content
    endpoint_id = response.json()["id"]
    message = WebhookMessage.objects.create(
        endpoint_id=endpoint_id, event_id=1, event_type="order.captured", order_id=1, sequence=1,
        body={"type": "order.captured"}, created_at=utcnow(), state="dead", attempts=10,
        round_attempts=10,
    )  # fmt: skip
    return endpoint_id, message.pk


def _a_reversed_refund(order_id: int) -> int:
    """A goodwill refund of the web order that the provider took back after accepting it
    (Stripe's refund `failed`): the one kind of refund a person sends again."""
    from ordino.core.domain.clock import utcnow
    from ordino.payments.models import Refund

    refund = Refund.objects.create(
        order_id=order_id, reason="sweep", amount="1.00", currency="EUR", shipping="0",
        goodwill="1.00", status="reversed", created_at=utcnow(),
    )  # fmt: skip
    return refund.pk


def _a_held_order(caller: Caller) -> tuple[int, int]:
    """An order of its own with an open hold: a hold stops its order's work, so the web order,
    which the other writes ship, edit and reject, stays free."""
    response = caller.send("post", "/api/v1/orders", order_body("SWEEP-HELD"))
    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    hold = order_hold_system(order_id=order_id, cause="sweep", actor="t")
    return order_id, hold.pk


def _a_case(caller: Caller) -> int:
    """An inquiry about the web order, and the agent and team its steps name."""
    sweeper = User.objects.create_user("sweeper", is_staff=True)
    Team.objects.create(name="Sweepers").members.add(sweeper)
    body = {"title": "Sweep", "order_id": caller.shop.orders["web"]}
    response = caller.send("post", "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _paid_by_the_marketplace(caller: Caller) -> None:
    """20.00 of the web order collected by the marketplace (captured), so a refund is valid."""
    order_id = caller.shop.orders["web"]
    body = {"method": "marketplace", "provider": "offline", "amount": "20.00"}
    response = caller.send("post", f"/api/v1/orders/{order_id}/payments", body)
    assert response.status_code == 201, response.content
    payments_authorize(order_id=order_id)


def _at_the_counter(caller: Caller) -> int:
    """A second pickup order, ready at the counter with the code VALID's handover gives."""
    pickup = order_body("SWEEP-COUNTER", delivery_method="pickup", pickup_location="STORE-1")
    response = caller.send("post", "/api/v1/orders", pickup)
    assert response.status_code == 201, response.content
    fo_id = response.json()["fulfillment_orders"][0]["id"]
    ready = caller.send("post", f"/api/v1/fulfillment/orders/{fo_id}/ready-for-pickup", {})
    assert ready.status_code == 200, ready.content
    FulfillmentOrder.objects.filter(pk=fo_id).update(pickup_code="123456")
    return fo_id


def _sweep(caller: Caller, method: str, path: str, valid: dict) -> int:
    sent = 0
    with transaction.atomic():
        baseline = caller.send(method, path, valid)
        assert baseline.status_code < 300, (method, path, baseline.content[:500])
        transaction.set_rollback(True)
    for leaf, value in list(_leaves(valid)):
        for boundary in BOUNDARIES[kind_of(value)]:
            body = copy.deepcopy(valid)
            _set(body, leaf, boundary)
            label = f"{method.upper()} {path} {'.'.join(map(str, leaf))}={str(boundary)[:40]}"
            with transaction.atomic():
                caller.check(label, caller.send(method, path, body))
                transaction.set_rollback(True)
            sent += 1
    return sent


@pytest.mark.parametrize(("method", "template"), list(VALID), ids=[" ".join(k) for k in VALID])
def test_every_value_of_a_write_at_its_boundaries(caller, method, template):
    # given the shop and a full valid request; when each value is replaced by each boundary value
    # then no answer is a server error, and every list still reads after an accepted write
    path = _path(template, caller)
    assert _sweep(caller, method, path, VALID[(method, template)]) > 0


QUERY_BOUNDARIES = {
    "integer": ["2", "true", "-1", "0", str(2**31), str(2**63), str(10**20), "1.5", ""],
    "string": ["x" * 10_000, "", " ", "bogus", "de", "0001-01-01T00:00:00+14:00"],
    "date-time": BOUNDARIES["date-time"] + ["2026-01-31", "0.5", "1700000000"],
    "boolean": ["2", "yes", ""],
}


def _query_kind(schema: dict) -> str:
    option = next(o for o in schema.get("anyOf", [schema]) if o.get("type") != "null")
    if option.get("format") == "date-time":
        return "date-time"
    return option.get("type", "string") if option.get("type") in QUERY_BOUNDARIES else "string"


GET_PARAMS = [
    (op, param)
    for op in operations()
    if op.method == "get" and not op.path_params
    for param in op.spec.get("parameters", [])
    if param["in"] == "query" and param["name"] != "cursor"
]


@pytest.mark.parametrize(
    ("op", "param"), GET_PARAMS, ids=[f"{op.label} {p['name']}" for op, p in GET_PARAMS]
)
def test_every_query_parameter_at_its_boundaries(caller, op, param):
    for value in QUERY_BOUNDARIES[_query_kind(param["schema"])]:
        response = caller.send("get", op.path, query={param["name"]: value})
        caller.check(f"{op.label}?{param['name']}={value[:40]}", response)


def test_every_write_with_a_json_body_is_swept():
    documented = {
        (op.method, op.path.removeprefix("/api/v1"))
        for op in operations()
        if "application/json" in op.spec.get("requestBody", {}).get("content", {})
        and "x-signed" not in op.spec  # a provider's signed webhook reads no typed fields
    }
    assert documented == set(VALID)
