"""WooCommerce, Amazon and eBay through the connector core (docs/connectors-marketplaces.md):
a signed WooCommerce webhook captures its order once; an eBay poll stores and captures what it
pulls, with the platform's own authentication, and a second poll of the same orders adds none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
import respx

from ordino.connectors.models import InboundMessage
from ordino.connectors.services import ConnectionSettings, connection_create, connection_poll
from ordino.orders.models import Order
from tests.connectors.platforms.fakes import fixture
from tests.connectors.woocommerce import WOO_SECRET, WOO_URL, woo_signed
from tests.factories import make_channel, make_location, make_sku, stock

pytestmark = pytest.mark.django_db
EBAY_URL = "https://api.ebay.com"


def _in_stock(payloads, skus_of) -> None:
    warehouse = make_location("WH-M")
    for code in {sku for payload in payloads for sku in skus_of(payload)}:
        stock(warehouse, make_sku(code), 50)


def test_a_signed_woocommerce_webhook_captures_its_order_once(client):
    # given a WooCommerce connection of a USD channel, the order's SKUs in stock
    make_channel("woo", currency="USD")
    order = fixture("woocommerce", "order_727.json")
    _in_stock([order], lambda o: [line["sku"] for line in o["line_items"]])
    connection = connection_create(channel="woo", values=ConnectionSettings(
        platform="woocommerce", base_url=WOO_URL, access_token="ck_1:cs_1",
        webhook_secret=WOO_SECRET, poll_interval_seconds=0,
    ))  # fmt: skip
    body = json.dumps(order).encode()
    url = f"/api/v1/connectors/{connection.pk}/webhooks/woocommerce"
    # when Woo delivers it, then delivers it again
    first = client.post(url, data=body, content_type="application/json",
                        **woo_signed(body, delivery="11"))  # fmt: skip
    again = client.post(url, data=body, content_type="application/json",
                        **woo_signed(body, delivery="11"))  # fmt: skip
    # then one order, at the shop's total, and the redelivery is a duplicate
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "captured"
    assert again.json()["duplicate"] is True
    captured = Order.objects.get()
    assert (captured.external_id, captured.current_total) == ("727", Decimal("29.35"))
    assert InboundMessage.objects.count() == 1


def test_a_tampered_woocommerce_webhook_is_refused_and_stores_nothing(client):
    make_channel("woo", currency="USD")
    connection = connection_create(channel="woo", values=ConnectionSettings(
        platform="woocommerce", base_url=WOO_URL, access_token="ck_1:cs_1",
        webhook_secret=WOO_SECRET, poll_interval_seconds=0,
    ))  # fmt: skip
    body = json.dumps(fixture("woocommerce", "order_727.json")).encode()
    headers = woo_signed(body, delivery="12")
    response = client.post(
        f"/api/v1/connectors/{connection.pk}/webhooks/woocommerce",
        data=body.replace(b"29.35", b"0.01"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_signature_invalid"
    assert (Order.objects.count(), InboundMessage.objects.count()) == (0, 0)


@respx.mock
def test_an_ebay_poll_captures_what_it_pulls_and_a_second_poll_adds_nothing():
    # given an eBay connection of a USD channel and the US order of eBay's sample page
    make_channel("ebay", currency="USD")
    page = fixture("ebay", "get_orders.json")
    us_order = page["orders"][1]
    page = {**page, "orders": [us_order], "total": 1}
    _in_stock([us_order], lambda o: [line["sku"] for line in o["lineItems"]])
    connection = connection_create(channel="ebay", values=ConnectionSettings(
        platform="ebay", base_url=EBAY_URL, access_token="v^1.1#ebay-token",
        webhook_secret="", poll_interval_seconds=600,
    ))  # fmt: skip
    connection.updated_after = datetime(2026, 11, 1, tzinfo=UTC)
    connection.save()
    route = respx.get(f"{EBAY_URL}/sell/fulfillment/v1/order").mock(
        return_value=httpx.Response(200, json=page)
    )
    # when it is polled twice
    first = connection_poll(connection=connection, sleep=lambda seconds: None)
    second = connection_poll(connection=connection, sleep=lambda seconds: None)
    # then the order is captured once, at eBay's total, with eBay's bearer token
    assert (first.pulled, first.new, first.error) == (1, 1, "")
    assert (second.pulled, second.new) == (1, 0)
    captured = Order.objects.get()
    assert (captured.external_id, captured.current_total) == ("27-10000-00002", Decimal("71.07"))
    assert route.calls.last.request.headers["Authorization"] == "Bearer v^1.1#ebay-token"
