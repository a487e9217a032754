"""Each platform's mapped fixtures capture through orders' own use case (`order_capture`):
Ordino's totals agree with the channel's to the cent, the raw payload is kept, and the same
payload mapped again replays the order instead of making a second one. One database test per
fixture; the mappings themselves are tested without a database beside this file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.connectors.platforms import amazon, amazon_v0, ebay, woocommerce
from ordino.orders.models import Order
from ordino.orders.services import order_capture
from tests.connectors.platforms import test_amazon_v0 as v0
from tests.connectors.platforms.fakes import fixture
from tests.factories import make_channel, make_location, make_sku, stock

CASES = [
    # platform, payload, channel currency, the channel's prices include tax
    (woocommerce, lambda: fixture("woocommerce", "order_727.json"), "USD", False),
    (woocommerce, lambda: fixture("woocommerce", "order_inclusive_coupon.json"), "EUR", True),
    (amazon, lambda: fixture("amazon", "search_orders_page_1.json")["orders"][0], "USD", False),
    (amazon, lambda: fixture("amazon", "get_order.json")["order"], "GBP", False),
    (amazon, lambda: fixture("amazon", "search_orders_page_2.json")["orders"][0], "USD", False),
    (amazon_v0, v0.merchant_order, "USD", False),
    (amazon_v0, v0.amazon_order, "EUR", True),
    (ebay, lambda: fixture("ebay", "get_orders.json")["orders"][0], "EUR", True),
    (ebay, lambda: fixture("ebay", "get_orders.json")["orders"][1], "USD", False),
]
IDS = [
    "woo",
    "woo-incl",
    "amz-search",
    "amz-get",
    "amz-fba",
    "v0-mfn",
    "v0-afn",
    "ebay-de",
    "ebay-us",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("module", "payload", "currency", "inclusive"), CASES, ids=IDS)
def test_a_mapped_order_captures_with_the_channels_total_and_replays_once(
    module, payload, currency, inclusive
):
    # given a channel as the platform's store is set up, its SKUs in stock
    make_channel("market", currency=currency, prices_include_tax=inclusive)
    command = module.PLATFORM.order_from_payload(payload(), channel="market")
    warehouse = make_location("WH-1")
    for code in {line.sku for line in command.lines}:
        stock(warehouse, make_sku(code), 50)
    # when the mapped order is captured
    captured = order_capture(command=command, actor="connector:test")
    # then Ordino's grand total is the channel's, the payload and the tags are kept
    order = Order.objects.get(pk=captured.order.pk)
    assert not captured.replayed
    assert order.grand_total == command.total
    assert order.raw_payload == payload()
    assert order.tags[0] == f"channel:{module.PLATFORM.code.split('_')[0]}"
    assert order.lines.count() == len(command.lines)
    # and the same payload mapped and captured again is the same order, not a second one
    again = module.PLATFORM.order_from_payload(payload(), channel="market")
    assert order_capture(command=again, actor="connector:test").replayed
    assert Order.objects.count() == 1
    assert (
        sum((line.total for line in order.lines.all()), Decimal(0))
        + order.shipping_price
        + (0 if inclusive else order.shipping_tax)
        == order.grand_total
    )
