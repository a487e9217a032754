"""eBay Sell Fulfillment platform module: the Order mapped to a capture (line costs,
promotions, negative discounts, Collect and Remit taxes), the getOrders pull by last
modification. Pure, no database. Fixtures: tests/connectors/fixtures/ebay/ (README.md there
says where they come from)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ordino.connectors.platforms.base import MappingError, WebhookRefused
from ordino.connectors.platforms.ebay import PLATFORM
from ordino.orders.commands import LineItem, OrderAddress, OrderCustomer
from tests.connectors.platforms.fakes import FakeTransport, fixture


def order(index: int = 0) -> dict:
    return fixture("ebay", "get_orders.json")["orders"][index]


def test_line_cost_is_the_line_total_and_the_promotions_and_delivery_discount_come_off():
    # given a German order: 4 × 30.55 and 4 × 35.65 with a multi-buy promotion, delivery
    # 19.80 less a 14.85 delivery discount
    mapped = PLATFORM.order_from_payload(order(0), channel="ebay-de")
    # then each line is at its unit price with its promotion, the delivery is net of discount
    assert mapped.external_id == "12-10000-00001" and mapped.currency == "EUR"
    assert mapped.lines == (
        LineItem(
            "15620.Kt",
            4,
            Decimal("30.55"),
            Decimal("6.08"),
            Decimal("0.00"),
            "Montageplatten 70x70mm 15mm",
            "10085146243212",
        ),
        LineItem(
            "15619.Kt",
            4,
            Decimal("35.65"),
            Decimal("7.16"),
            Decimal("0.00"),
            "Montageplatten 70x70mm 10mm",
            "10085146243312",
        ),
    )
    assert (mapped.shipping_price, mapped.shipping_tax) == (Decimal("4.95"), Decimal("0.00"))
    assert mapped.total == Decimal("256.51")
    lines = sum(x.unit_price * x.quantity - x.discount + x.tax for x in mapped.lines)
    assert lines + mapped.shipping_price == mapped.total
    assert mapped.placed_at == datetime(2026, 9, 23, 8, 6, 35, tzinfo=UTC)
    # maxEstimatedDeliveryDate 2026-09-24T22:00Z: its UTC day, the earlier one it may fall on
    assert mapped.promised_delivery == date(2026, 9, 24)
    assert mapped.customer == OrderCustomer(
        "bau_buyer_1", "0a1b2c3d4e5f60718293@members.ebay.com", "9410000000", "Karl", "Beispiel"
    )
    assert mapped.shipping_address == OrderAddress(
        line1="Musterweg 3",
        city="Regensburg",
        country="DE",
        name="Beispiel Bau GmbH",
        postal_code="93047",
        phone="09410000000",
    )
    assert mapped.tags == ("channel:ebay", "fulfillment:merchant")


def test_ebays_collect_and_remit_tax_is_the_lines_tax_and_is_tagged():
    mapped = PLATFORM.order_from_payload(order(1), channel="ebay-us")
    assert mapped.lines == (
        LineItem(
            "SOCK-MERINO-L",
            3,
            Decimal("19.99"),
            Decimal("0.00"),
            Decimal("5.10"),
            "Merino trail socks, size L",
            "10099900000001",
        ),
    )
    assert (mapped.shipping_price, mapped.total) == (Decimal("6.00"), Decimal("71.07"))
    assert mapped.shipping_address.line2 == "Apt 4" and mapped.shipping_address.region == "CO"
    assert mapped.tags == ("channel:ebay", "fulfillment:merchant", "ebay:collect_and_remit")


@pytest.mark.parametrize("index", [0, 1])
def test_a_re_parse_of_the_stored_raw_payload_gives_the_identical_command(index):
    first = PLATFORM.order_from_payload(order(index), channel="ebay")
    replayed = PLATFORM.order_from_payload(
        json.loads(json.dumps(first.raw_payload)), channel="ebay"
    )
    assert first == PLATFORM.order_from_payload(order(index), channel="ebay") == replayed
    assert first.fingerprint() == replayed.fingerprint()


def broken(change) -> dict:
    payload = order(0)
    change(payload)
    return payload


SHIP_TO = "fulfillmentStartInstructions.0.shippingStep.shipTo"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda o: o["lineItems"][0].pop("sku"), "lineItems.0.sku"),
        (lambda o: o["lineItems"][1].update(quantity=-4), "lineItems.1.quantity"),
        (
            lambda o: o["pricingSummary"]["total"].update(currency="EURO"),
            "pricingSummary.total.currency",
        ),
        (
            lambda o: o["lineItems"][0]["lineItemCost"].update(currency="USD"),
            "lineItems.0.lineItemCost.currency",
        ),
        (
            lambda o: o["lineItems"][0]["lineItemCost"].update(value=122.2),
            "lineItems.0.lineItemCost.value",
        ),
        (
            lambda o: o["lineItems"][0]["discountedLineItemCost"].update(value="130.00"),
            "lineItems.0.discountedLineItemCost",
        ),
        (lambda o: o["lineItems"][0].pop("lineItemCost"), "lineItems.0.lineItemCost"),
        (
            lambda o: o["pricingSummary"].update(adjustment={"value": "-2.00", "currency": "EUR"}),
            "pricingSummary.adjustment",
        ),
        (
            lambda o: o["pricingSummary"]["deliveryDiscount"].update(value="-20.00"),
            "pricingSummary.deliveryDiscount",
        ),
        (lambda o: o.update(fulfillmentStartInstructions=[]), "fulfillmentStartInstructions"),
        (
            lambda o: o["fulfillmentStartInstructions"][0]["shippingStep"]["shipTo"][
                "contactAddress"
            ].update(countryCode="XX"),
            f"{SHIP_TO}.contactAddress.countryCode",
        ),
        (lambda o: o.update(lineItems=[]), "lineItems"),
    ],
)
def test_an_unmappable_field_is_refused_naming_its_json_path(change, path):
    with pytest.raises(MappingError) as refused:
        PLATFORM.order_from_payload(broken(change), channel="ebay")
    assert refused.value.path == path


@pytest.mark.parametrize(
    ("change", "cancelled"),
    [
        (lambda o: None, False),
        (lambda o: o["cancelStatus"].update(cancelState="IN_PROGRESS"), False),
        (lambda o: o["cancelStatus"].update(cancelState="CANCELED"), True),
        (lambda o: o.update(orderPaymentStatus="FULLY_REFUNDED"), True),
        (lambda o: o.update(orderPaymentStatus="FAILED"), True),
    ],
)
def test_the_order_state_says_cancelled_for_a_cancellation_or_an_ended_payment(change, cancelled):
    state = PLATFORM.order_state(broken(change))
    assert (state.external_id, state.cancelled) == ("12-10000-00001", cancelled)
    assert state.updated_at == datetime(2026, 9, 23, 9, 41, 52, tzinfo=UTC)


def test_webhooks_are_refused_since_ebay_orders_are_pulled():
    with pytest.raises(WebhookRefused) as refused:
        PLATFORM.webhook_verify(body=b"{}", headers={}, secret="s", now=datetime.now(UTC))
    assert refused.value.code == "webhooks_unsupported"


def test_the_pull_pages_by_offset_and_hands_over_the_oldest_change_first():
    # given 201 orders changed after the cursor, served newest first on pages of 200
    start = datetime(2026, 9, 23, tzinfo=UTC)
    orders = [
        {
            **order(0),
            "orderId": f"12-{n:05d}-00000",
            "lastModifiedDate": (start + timedelta(minutes=201 - n))
            .isoformat()
            .replace("+00:00", "Z"),
        }
        for n in range(201)
    ]
    transport = FakeTransport(
        [
            {"total": 201, "limit": 200, "offset": 0, "orders": orders[:200]},
            {"total": 201, "limit": 200, "offset": 200, "orders": orders[200:]},
        ]
    )
    # when the orders modified after the cursor are pulled
    cursor = datetime(2026, 9, 23, 0, 0, 0, 123456, tzinfo=UTC)
    pulled = list(PLATFORM.orders_pull(transport, updated_after=cursor))
    # then all come, oldest change first, and the filter, pages and operation are eBay's
    assert [o["orderId"] for o in pulled] == [f"12-{n:05d}-00000" for n in range(200, -1, -1)]
    query = {
        "filter": "lastmodifieddate:[2026-09-23T00:00:00.123Z..]",
        "limit": 200,
        "fieldGroups": "TAX_BREAKDOWN",
    }
    assert [(c.path, c.params, c.operation) for c in transport.calls] == [
        ("/sell/fulfillment/v1/order", {**query, "offset": 0}, "getOrders"),
        ("/sell/fulfillment/v1/order", {**query, "offset": 200}, "getOrders"),
    ]
    assert set(PLATFORM.rate_limits) == {"getOrders"}


def test_a_pull_with_nothing_changed_asks_once():
    transport = FakeTransport([{"total": 0, "limit": 200, "offset": 0, "orders": []}])
    assert list(PLATFORM.orders_pull(transport, updated_after=datetime.now(UTC))) == []
    assert len(transport.calls) == 1
