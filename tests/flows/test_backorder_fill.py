"""Story 4: what no location has is backordered, and filled — oldest order first — when stock
arrives: by a receipt, or by a bulk stock feed, once the worker relays the event
(docs/fulfillment.md, Backorders; docs/inventory.md)."""

from __future__ import annotations

import pytest

from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def backordered(story):
    """Given no mugs anywhere, W-1 for three mugs, then W-2 for one: both backordered."""
    first = story.capture(order_body("W-1", [("MUG", 3, "5.00")]))
    second = story.capture(order_body("W-2", [("MUG", 1, "5.00")]))
    for order in (first, second):
        assert (order["status"], order["fulfillment_orders"]) == ("backordered", [])
    assert story.buckets(first["id"]) == [(0, 3, 0, 0, 0)]
    assert story.buckets(second["id"]) == [(0, 1, 0, 0, 0)]
    return first["id"], second["id"]


def test_receipts_fill_the_oldest_backorder_first(story, backordered):
    first, second = backordered
    # when two mugs are received at WH-B
    story.receive("WH-B", "MUG", 2)
    # then, until the worker relays the receipt, they are simply available
    assert story.balance("WH-B", "MUG") == (2, 0, 0, 2)
    assert story.status(first) == "backordered"
    # when the worker runs
    story.worker_runs()
    # then the oldest order takes both, in a fulfillment order at WH-B; the newer one waits
    assert story.buckets(first) == [(0, 1, 2, 0, 0)]
    assert story.fos(first) == [("WH-B", "open")]
    assert story.buckets(second) == [(0, 1, 0, 0, 0)]
    assert (story.status(first), story.status(second)) == ("backordered", "backordered")
    assert story.balance("WH-B", "MUG") == (2, 2, 0, 0)

    # when two more mugs are received, at WH-A this time, and the worker runs
    story.receive("WH-A", "MUG", 2)
    story.worker_runs()
    # then the first order's last mug and the second order's one are reserved at WH-A
    assert (story.status(first), story.status(second)) == ("allocated", "allocated")
    assert story.buckets(first) == [(0, 0, 3, 0, 0)]
    assert story.fos(first) == [("WH-B", "open"), ("WH-A", "open")]
    assert story.fos(second) == [("WH-A", "open")]
    assert story.balance("WH-A", "MUG") == (2, 2, 0, 0)
    assert story.available("MUG") == {"WH-A": 0, "WH-B": 0, "network": 0}
    assert story.told(first) == [
        ("captured", "token:admin", "Captured from web as W-1; backordered."),
        (
            "backorder_filled",
            "system:backorders",
            "Stock arrived: 2 backordered item(s) reserved at WH-B.",
        ),
        (
            "backorder_filled",
            "system:backorders",
            "Stock arrived: 1 backordered item(s) reserved at WH-A.",
        ),
    ]


def test_a_stock_feed_fills_backorders_where_it_counted_stock(story, backordered):
    first, second = backordered
    # when a feed counts five mugs at WH-B (and the tees there, unchanged at none)
    feed = story.feed("location,sku,quantity\nWH-B,MUG,5\nWH-B,TEE,0\n")
    assert (feed["status"], feed["rows"], feed["applied"], feed["unchanged"]) == (
        "applied",
        2,
        1,
        1,
    )
    assert story.balance("WH-B", "MUG") == (5, 0, 0, 5)
    # and the worker relays the feed's event
    story.worker_runs()
    # then both orders are allocated, each with a fulfillment order at WH-B
    assert (story.status(first), story.status(second)) == ("allocated", "allocated")
    assert story.buckets(first) == [(0, 0, 3, 0, 0)]
    assert story.buckets(second) == [(0, 0, 1, 0, 0)]
    assert story.fos(first) == [("WH-B", "open")]
    assert story.fos(second) == [("WH-B", "open")]
    assert story.balance("WH-B", "MUG") == (5, 4, 0, 1)

    # when a later feed counts fewer mugs than the orders hold
    late = story.feed("WH-B,MUG,3\n")
    # then that row is refused, and nothing the orders hold is taken from them
    assert (late["applied"], late["refused"]) == (0, 1)
    assert [r["line"] for r in late["refusals"]] == [1]
    story.worker_runs()
    assert story.balance("WH-B", "MUG") == (5, 4, 0, 1)
    assert (story.status(first), story.status(second)) == ("allocated", "allocated")


def test_the_filled_order_ships_from_where_the_stock_arrived(story, backordered):
    first, _ = backordered
    # given three mugs received at WH-A and relayed by the worker
    story.receive("WH-A", "MUG", 3)
    story.worker_runs()
    fo_id = story.open_fo(first, "WH-A")
    # when WH-A ships the filled order
    story.work(fo_id, "accept")
    story.work(fo_id, "ship", {"carrier": "UPS", "tracking_numbers": ["1Z999"]})
    # then it is shipped, and the mugs left WH-A
    assert story.status(first) == "shipped"
    assert story.buckets(first) == [(0, 0, 0, 3, 0)]
    assert story.balance("WH-A", "MUG") == (0, 0, 0, 0)
    assert story.timeline(first) == [
        "captured",
        "backorder_filled",
        "fulfillment_accepted",
        "shipped",
    ]
