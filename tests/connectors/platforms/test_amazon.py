"""Amazon SP-API Orders 2026-01-01 platform module: the Order mapped to a capture, the pull by
`searchOrders` (pages, token, usage plans), `getOrder`. Pure, no database. Fixtures:
tests/connectors/fixtures/amazon/ (README.md there says which example each comes from)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ordino.connectors.platforms.amazon import PLATFORM, WITHHELD
from ordino.connectors.platforms.base import MappingError, WebhookRefused
from ordino.orders.commands import LineItem, OrderAddress, OrderCustomer
from tests.connectors.platforms.fakes import FakeTransport, fixture


def searched(page: int = 1, index: int = 0) -> dict:
    return fixture("amazon", f"search_orders_page_{page}.json")["orders"][index]


def got() -> dict:
    return fixture("amazon", "get_order.json")["order"]


def test_the_search_example_maps_with_the_line_total_split_per_unit_and_the_tip_left_out():
    # given the searchOrders example: 2 × 49.99 with 0.02 tax, 1 × 49.99, a 5.00 delivery tip
    order = PLATFORM.order_from_payload(searched(), channel="amazon-us")
    # then the lines are the items at their unit price, the total is Amazon's less the tip
    assert order.external_id == "123-4567890-1234567" and order.currency == "USD"
    assert order.lines == (
        LineItem(
            "ECHO-DOT-4-CHARCOAL",
            2,
            Decimal("49.99"),
            Decimal("0.00"),
            Decimal("0.02"),
            "Echo Dot (4th Gen) | Smart speaker with Alexa | Charcoal",
            "12345678901234",
        ),
        LineItem(
            "FIRE-TV-4K-2021",
            1,
            Decimal("49.99"),
            Decimal("0.00"),
            Decimal("0.00"),
            "Fire TV Stick 4K with Alexa Voice Remote",
            "12345678901235",
        ),
    )
    assert (order.shipping_price, order.shipping_tax) == (Decimal("0.00"), Decimal("0.00"))
    assert order.total == Decimal("149.99")
    assert order.placed_at == datetime(2024, 12, 25, 10, 30, tzinfo=UTC)
    assert order.promised_delivery == date(2024, 12, 30)  # deliverByWindow.latestDateTime
    assert order.customer == OrderCustomer(
        email="buyer-email@marketplace.amazon.com", first_name="John", last_name="Smith"
    )
    assert order.shipping_address == OrderAddress(
        line1="123 Main Street",
        city="Seattle",
        country="US",
        name="John Smith",
        company="Smith Industries LLC",
        line2="Suite 456",
        region="WA",
        postal_code="98101",
        phone="555-123-4567",
    )
    assert order.billing_address is None
    assert order.tags == (
        "channel:amazon",
        "fulfillment:merchant",
        "amazon:prime",
        "amazon:amazon_business",
        "amazon:marketplace:atvpdkikx0der",
    )


def test_the_get_order_example_maps_item_and_shipping_tax_from_their_details():
    order = PLATFORM.order_from_payload(got(), channel="amazon-uk")
    assert order.currency == "GBP"
    assert order.lines == (
        LineItem(
            "ECHO-DOT-4-UK-CHARCOAL-3PACK",
            3,
            Decimal("29.99"),
            Decimal("0.00"),
            Decimal("3.00"),
            "Echo Dot (4th Gen) | Smart speaker with Alexa | Charcoal",
            "20212345678901",
        ),
    )
    assert (order.shipping_price, order.shipping_tax) == (Decimal("10.00"), Decimal("1.00"))
    assert order.total == Decimal("103.97")
    lines = sum(line.unit_price * line.quantity + line.tax for line in order.lines)
    assert lines + order.shipping_price + order.shipping_tax == order.total


def test_an_amazon_fulfilled_order_keeps_the_promotion_and_says_who_ships_it():
    # given an FBA order: street withheld, 5.00 off the item, the 3.99 shipping promoted away
    order = PLATFORM.order_from_payload(searched(page=2), channel="amazon-us")
    assert order.lines == (
        LineItem(
            "BOTTLE-750-STEEL",
            1,
            Decimal("25.00"),
            Decimal("5.00"),
            Decimal("1.60"),
            "Stainless Steel Water Bottle 750 ml",
            "40123456789012",
        ),
    )
    assert order.shipping_price == Decimal("0.00") and order.total == Decimal("21.60")
    assert order.shipping_address == OrderAddress(
        line1=WITHHELD, city="Austin", country="US", region="TX", postal_code="78701"
    )
    assert order.customer == OrderCustomer(first_name="Maria", last_name="Garcia")
    assert order.tags[:2] == ("channel:amazon", "fulfillment:amazon")


@pytest.mark.parametrize(
    "payload", [searched(), got(), searched(page=2)], ids=["search", "get", "fba"]
)
def test_a_re_parse_of_the_stored_raw_payload_gives_the_identical_command(payload):
    first = PLATFORM.order_from_payload(payload, channel="amazon")
    replayed = PLATFORM.order_from_payload(
        json.loads(json.dumps(first.raw_payload)), channel="amazon"
    )
    assert first == PLATFORM.order_from_payload(payload, channel="amazon") == replayed
    assert first.fingerprint() == replayed.fingerprint()


def broken(change) -> dict:
    payload = got()
    change(payload)
    return payload


ITEM = "orderItems.0"
BREAKDOWNS = f"{ITEM}.proceeds.breakdowns"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda o: o["orderItems"][0]["product"].pop("sellerSku"), f"{ITEM}.product.sellerSku"),
        (lambda o: o["orderItems"][0].update(quantityOrdered=-2), f"{ITEM}.quantityOrdered"),
        (
            lambda o: o["proceeds"]["grandTotal"].update(currencyCode="ZZZ"),
            "proceeds.grandTotal.currencyCode",
        ),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(
                currencyCode="EUR"
            ),
            f"{BREAKDOWNS}.0.subtotal.currencyCode",
        ),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"][0]["subtotal"].update(
                amount=89.97
            ),
            f"{BREAKDOWNS}.0.subtotal.amount",
        ),
        (
            lambda o: o["orderItems"][0]["proceeds"]["breakdowns"].append(
                {"type": "GIFT_WRAP", "subtotal": {"amount": "2.99", "currencyCode": "GBP"}}
            ),
            f"{BREAKDOWNS}.3",
        ),
        (lambda o: o["orderItems"][0].pop("proceeds"), f"{ITEM}.proceeds"),
        (
            lambda o: o["fulfillment"].update(fulfillmentStatus="PENDING"),
            "fulfillment.fulfillmentStatus",
        ),
        (
            lambda o: o["recipient"]["deliveryAddress"].pop("addressLine1"),
            "recipient.deliveryAddress.addressLine1",
        ),
        (
            lambda o: o["recipient"]["deliveryAddress"].update(countryCode="UK"),
            "recipient.deliveryAddress.countryCode",
        ),
        (lambda o: o.update(orderItems=[]), "orderItems"),
        (lambda o: o.update(createdTime="25/12/2024"), "createdTime"),
    ],
)
def test_an_unmappable_field_is_refused_naming_its_json_path(change, path):
    with pytest.raises(MappingError) as refused:
        PLATFORM.order_from_payload(broken(change), channel="amazon")
    assert refused.value.path == path


@pytest.mark.parametrize(
    ("status", "cancelled"), [("UNSHIPPED", False), ("SHIPPED", False), ("CANCELLED", True)]
)
def test_the_order_state_reads_the_fulfillment_status_and_the_update_time(status, cancelled):
    state = PLATFORM.order_state(
        broken(lambda o: o["fulfillment"].update(fulfillmentStatus=status))
    )
    assert state == type(state)(
        "202-1234567-8901234", datetime(2024, 12, 25, 16, 30, tzinfo=UTC), cancelled
    )


def test_webhooks_are_refused_since_amazon_orders_are_pulled():
    with pytest.raises(WebhookRefused) as refused:
        PLATFORM.webhook_verify(body=b"{}", headers={}, secret="s", now=datetime.now(UTC))
    assert refused.value.code == "webhooks_unsupported"


def test_the_pull_follows_the_pagination_token_and_hands_over_ready_orders_oldest_first():
    # given two pages: the example (updated 14:45) with a token, then an FBA order (08:10) and
    # a PENDING one
    transport = FakeTransport(
        [
            fixture("amazon", "search_orders_page_1.json"),
            fixture("amazon", "search_orders_page_2.json"),
        ]
    )
    # when the orders updated after a moment are pulled
    pulled = list(
        PLATFORM.orders_pull(
            transport, updated_after=datetime(2024, 12, 24, 12, 0, 0, 999, tzinfo=UTC)
        )
    )
    # then the pending order is left for later and the others come oldest first
    assert [o["orderId"] for o in pulled] == ["113-7654321-7654321", "123-4567890-1234567"]
    # and the second call repeats the filter with the token, under the searchOrders plan
    first = {
        "lastUpdatedAfter": "2024-12-24T12:00:00Z",
        "includedData": "BUYER,RECIPIENT,PROCEEDS,PROMOTION,CANCELLATION,FULFILLMENT",
        "maxResultsPerPage": 100,
    }
    assert [(c.path, c.params, c.operation) for c in transport.calls] == [
        ("/orders/2026-01-01/orders", first, "searchOrders"),
        (
            "/orders/2026-01-01/orders",
            {**first, "paginationToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"},
            "searchOrders",
        ),
    ]
    assert PLATFORM.rate_limits == {"searchOrders": (0.0056, 20), "getOrder": (0.5, 30)}


def test_get_order_asks_for_one_order_with_its_datasets_under_the_getorder_plan():
    transport = FakeTransport([fixture("amazon", "get_order.json")])
    order = PLATFORM.order_get(transport, "202-1234567-8901234")
    assert order["orderId"] == "202-1234567-8901234"
    [call] = transport.calls
    assert (call.path, call.operation) == (
        "/orders/2026-01-01/orders/202-1234567-8901234",
        "getOrder",
    )
    assert call.params == {
        "includedData": "BUYER,RECIPIENT,PROCEEDS,PROMOTION,CANCELLATION,FULFILLMENT"
    }
