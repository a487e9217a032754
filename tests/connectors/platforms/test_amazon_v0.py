"""Amazon SP-API Orders v0 platform module (retired 2027-03-27): getOrders + getOrderItems
mapped to a capture, `ItemPrice` as the line total, the pull by LastUpdatedAfter/NextToken.
Pure, no database. Fixtures: tests/connectors/fixtures/amazon_v0/ (README.md there says which
example each comes from)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ordino.connectors.platforms.amazon import WITHHELD
from ordino.connectors.platforms.amazon_v0 import PLATFORM
from ordino.connectors.platforms.base import MappingError
from ordino.orders.commands import LineItem, OrderAddress, OrderCustomer
from tests.connectors.platforms.fakes import FakeTransport, fixture

MFN = "902-1845936-5435065"
AFN = "028-1234567-7654321"


def items(name: str) -> list:
    return fixture("amazon_v0", name)["payload"]["OrderItems"]


def merchant_order() -> dict:
    order = fixture("amazon_v0", "get_orders_page_1.json")["payload"]["Orders"][1]
    both = items(f"get_order_items_{MFN}.json") + items(f"get_order_items_{MFN}_page_2.json")
    return {**order, "OrderItems": both}


def amazon_order() -> dict:
    order = fixture("amazon_v0", "get_orders_page_2.json")["payload"]["Orders"][0]
    return {**order, "OrderItems": items(f"get_order_items_{AFN}.json")}


def test_item_price_is_the_line_total_and_the_promotion_and_its_tax_come_off():
    # given 2 items for ItemPrice 20.00 with 2.00 promotion (0.16 of its tax), 3 items for 10.00
    order = PLATFORM.order_from_payload(merchant_order(), channel="amazon-us")
    # then the unit price is the line total over the quantity, split to the cent when needed
    assert order.lines == (
        LineItem(
            "NABetaASINB00551Q3CS",
            2,
            Decimal("10.00"),
            Decimal("2.00"),
            Decimal("1.46"),
            "B00551Q3CS [Card Book]",
            "05015851154158",
        ),
        LineItem(
            "CBA_OTF_5",
            1,
            Decimal("3.34"),
            Decimal("0.00"),
            Decimal("0.27"),
            "Example item name",
            "79039765272157",
        ),
        LineItem(
            "CBA_OTF_5",
            2,
            Decimal("3.33"),
            Decimal("0.00"),
            Decimal("0.53"),
            "Example item name",
            "79039765272157",
        ),
    )
    assert (order.shipping_price, order.shipping_tax) == (Decimal("4.99"), Decimal("0.40"))
    assert order.total == Decimal("35.65")
    lines = sum(x.unit_price * x.quantity - x.discount + x.tax for x in order.lines)
    assert lines + order.shipping_price + order.shipping_tax == order.total
    assert order.placed_at == datetime(2017, 1, 21, 9, 12, 3, tzinfo=UTC)
    assert order.promised_delivery == date(2017, 1, 27)  # LatestDeliveryDate
    assert order.customer == OrderCustomer(
        email="fzyrv6gwkhbb15c@example.com", first_name="MFNIntegrationTestMerchant"
    )
    assert order.shipping_address == OrderAddress(
        line1="2201 WESTLAKE AVE",
        city="SEATTLE",
        country="US",
        name="MFNIntegrationTestMerchant",
        region="WA",
        postal_code="98121-2778",
        phone="+1 480-386-0930 ext. 73824",
    )
    assert order.tags == (
        "channel:amazon",
        "fulfillment:merchant",
        "amazon:prime",
        "amazon:marketplace:atvpdkikx0der",
    )


def test_an_amazon_fulfilled_order_is_tagged_and_keeps_what_amazon_tells_of_the_address():
    order = PLATFORM.order_from_payload(amazon_order(), channel="amazon-de")
    assert order.lines == (
        LineItem(
            "BOTTLE-750-STEEL",
            1,
            Decimal("15.00"),
            Decimal("0.00"),
            Decimal("2.39"),
            "Trinkflasche Edelstahl 750 ml",
            "31284500012391",
        ),
    )
    assert order.total == Decimal("15.00")  # VAT included: the channel's prices include tax
    assert order.shipping_address == OrderAddress(
        line1=WITHHELD, city="München", country="DE", region="Bayern", postal_code="80331"
    )
    assert order.customer is None
    assert order.tags == (
        "channel:amazon",
        "fulfillment:amazon",
        "amazon:prime",
        "amazon:marketplace:a1pa6795ukmfr9",
    )


@pytest.mark.parametrize("make", [merchant_order, amazon_order], ids=["mfn", "afn"])
def test_a_re_parse_of_the_stored_raw_payload_gives_the_identical_command(make):
    first = PLATFORM.order_from_payload(make(), channel="amazon")
    replayed = PLATFORM.order_from_payload(
        json.loads(json.dumps(first.raw_payload)), channel="amazon"
    )
    assert first == PLATFORM.order_from_payload(make(), channel="amazon") == replayed
    assert first.fingerprint() == replayed.fingerprint()


def broken(change) -> dict:
    payload = merchant_order()
    change(payload)
    return payload


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda o: o["OrderItems"][0].pop("SellerSKU"), "OrderItems.0.SellerSKU"),
        (lambda o: o["OrderItems"][1].update(QuantityOrdered=-3), "OrderItems.1.QuantityOrdered"),
        (lambda o: o["OrderTotal"].update(CurrencyCode="USX"), "OrderTotal.CurrencyCode"),
        (
            lambda o: o["OrderItems"][0]["ItemTax"].update(CurrencyCode="EUR"),
            "OrderItems.0.ItemTax.CurrencyCode",
        ),
        (
            lambda o: (
                o["OrderTotal"].update(CurrencyCode="JPY", Amount="3565"),
                [
                    m.update(CurrencyCode="JPY")
                    for i in o["OrderItems"]
                    for m in i.values()
                    if isinstance(m, dict)
                ],
                o["OrderItems"][0]["ItemPrice"].update(Amount="25.99"),
            ),
            "OrderItems.0.ItemPrice.Amount",
        ),
        (lambda o: o["OrderItems"][0].pop("ItemPrice"), "OrderItems.0.ItemPrice"),
        (
            lambda o: o["OrderItems"][0].update(CODFee={"CurrencyCode": "USD", "Amount": "10.00"}),
            "OrderItems.0.CODFee",
        ),
        (
            lambda o: o["OrderItems"][0]["PromotionDiscount"].update(Amount="20.01"),
            "OrderItems.0.PromotionDiscount",
        ),
        (lambda o: o.update(OrderStatus="Pending"), "OrderStatus"),
        (lambda o: o["ShippingAddress"].pop("AddressLine1"), "ShippingAddress.AddressLine1"),
        (lambda o: o.update(OrderItems=[]), "OrderItems"),
    ],
)
def test_an_unmappable_field_is_refused_naming_its_json_path(change, path):
    with pytest.raises(MappingError) as refused:
        PLATFORM.order_from_payload(broken(change), channel="amazon")
    assert refused.value.path == path


@pytest.mark.parametrize(("status", "cancelled"), [("Unshipped", False), ("Canceled", True)])
def test_the_order_state_reads_the_status_and_the_update_time(status, cancelled):
    state = PLATFORM.order_state(broken(lambda o: o.update(OrderStatus=status)))
    assert (state.external_id, state.cancelled) == (MFN, cancelled)
    assert state.updated_at == datetime(2017, 1, 21, 10, 5, 44, tzinfo=UTC)


def test_the_pull_pages_orders_then_fetches_each_orders_items_oldest_first():
    # given two pages of orders (a Pending one, an MFN one; an AFN one older than both) and
    # the items of each ready order (the MFN order's on two pages)
    transport = FakeTransport(
        [
            fixture("amazon_v0", "get_orders_page_1.json"),
            fixture("amazon_v0", "get_orders_page_2.json"),
            fixture("amazon_v0", f"get_order_items_{AFN}.json"),
            fixture("amazon_v0", f"get_order_items_{MFN}.json"),
            fixture("amazon_v0", f"get_order_items_{MFN}_page_2.json"),
        ]
    )
    # when the orders updated after a moment are pulled for the connection's marketplaces
    pulled = list(
        PLATFORM.orders_pull(
            transport,
            updated_after=datetime(2017, 1, 19, tzinfo=UTC),
            marketplace_ids=("ATVPDKIKX0DER", "A1PA6795UKMFR9"),
        )
    )
    # then the ready orders come oldest first, each with all its items
    assert [(o["AmazonOrderId"], len(o["OrderItems"])) for o in pulled] == [(AFN, 1), (MFN, 2)]
    assert pulled[1] == merchant_order()
    # and each call carries its cursor and its usage plan's operation name
    search = {
        "LastUpdatedAfter": "2017-01-19T00:00:00Z",
        "MaxResultsPerPage": 100,
        "MarketplaceIds": "ATVPDKIKX0DER,A1PA6795UKMFR9",
    }
    assert [(c.path, c.params, c.operation) for c in transport.calls] == [
        ("/orders/v0/orders", search, "getOrders"),
        (
            "/orders/v0/orders",
            {**search, "NextToken": "2YgYW55IGNhcm5hbCBwbGVhc3VyZS4"},
            "getOrders",
        ),
        (f"/orders/v0/orders/{AFN}/orderItems", {}, "getOrderItems"),
        (f"/orders/v0/orders/{MFN}/orderItems", {}, "getOrderItems"),
        (
            f"/orders/v0/orders/{MFN}/orderItems",
            {"NextToken": "MRgZW55IGNhcm5hbCBwbGVhc3VyZS6"},
            "getOrderItems",
        ),
    ]
    assert {c.operation for c in transport.calls} <= set(PLATFORM.rate_limits)
