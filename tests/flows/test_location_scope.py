"""A scoped story: an order split over two warehouses, each working it with its own
location-limited token. Each sees and works only its own fulfillment order; the other one
answers 404 as if it did not exist, and nothing changes (docs/security.md; design.md §11)."""

from __future__ import annotations

import pytest

from tests.flows.story import SHIP, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def split(story):
    """Given tees only at WH-A and mugs only at WH-B, an order for a tee and a mug: one
    fulfillment order at each warehouse. Returns (order id, {location: FO id})."""
    story.receive("WH-A", "TEE", 3)
    story.receive("WH-B", "MUG", 3)
    story.worker_runs()
    order = story.capture(order_body("W-1", [("TEE", 1, "10.00"), ("MUG", 1, "5.00")]))
    assert story.fos(order["id"]) == [("WH-A", "open"), ("WH-B", "open")]
    return order["id"], {f["location"]: f["id"] for f in order["fulfillment_orders"]}


def test_each_warehouse_sees_and_works_only_its_own_part(story, staff, split):
    order_id, fo = split
    wh_a, wh_b = staff("WH-A"), staff("WH-B")
    # then each warehouse's queue holds its own fulfillment order only
    assert (wh_a.queue(), wh_b.queue()) == ([fo["WH-A"]], [fo["WH-B"]])
    assert wh_b.queue(location="WH-A") == []
    assert story.queue(location="WH-A") == [fo["WH-A"]]
    assert wh_b.fo(fo["WH-B"])["lines"][0]["sku"] == "MUG"

    # when WH-B reads or works WH-A's fulfillment order
    before = (story.order(order_id), story.fo(fo["WH-A"]), story.balance("WH-A", "TEE"))
    wh_b.refused(
        wh_b.api.get(f"/fulfillment/orders/{fo['WH-A']}"), 404, "fulfillment_order_not_found"
    )
    for action, body in [
        ("accept", None),
        ("ship", SHIP),
        ("reject", {"reason": "not_found"}),
        ("deliver", None),
    ]:
        wh_b.refused(wh_b.step(fo["WH-A"], action, body), 404, "fulfillment_order_not_found")
    # then nothing changed: not the order, not WH-A's work, not WH-A's tees
    assert (story.order(order_id), story.fo(fo["WH-A"]), story.balance("WH-A", "TEE")) == before
    assert story.timeline(order_id) == ["captured"]

    # when each warehouse ships its own part
    wh_b.work(fo["WH-B"], "accept")
    wh_b.work(fo["WH-B"], "ship", {**SHIP, "tracking_numbers": ["JD-B"]})
    # then the order is partly shipped, and WH-A's part still waits
    assert story.status(order_id) == "partially_shipped"
    assert story.fos(order_id) == [("WH-A", "open"), ("WH-B", "shipped")]
    wh_a.work(fo["WH-A"], "accept")
    wh_a.work(fo["WH-A"], "ship", {**SHIP, "tracking_numbers": ["JD-A"]})
    assert story.status(order_id) == "shipped"
    assert story.buckets(order_id) == [(0, 0, 0, 1, 0), (0, 0, 0, 1, 0)]
    assert story.told(order_id)[1:] == [
        ("fulfillment_accepted", "token:wh-b", "Accepted at WH-B."),
        ("shipped", "token:wh-b", "Shipped 1 item(s) from WH-B with DHL JD-B."),
        ("fulfillment_accepted", "token:wh-a", "Accepted at WH-A."),
        ("shipped", "token:wh-a", "Shipped 1 item(s) from WH-A with DHL JD-A."),
    ]


def test_a_warehouse_reads_only_its_own_stock(story, staff, split):
    wh_b = staff("WH-B")
    # then WH-B's token lists WH-B's balances only, and WH-A's stock is not there for it
    rows = wh_b.ok(wh_b.api.get("/inventory/balances"))["items"]
    assert [(r["location"], r["sku"], r["on_hand"], r["committed"]) for r in rows] == [
        ("WH-B", "MUG", 3, 1)
    ]
    assert wh_b.balance("WH-A", "TEE") == (0, 0, 0, 0)
    assert wh_b.available("TEE") == {"network": 0}
    assert story.available("TEE") == {"WH-A": 2, "network": 2}
    # and it cannot receive stock at WH-A: 404, and WH-A's tees are as they were
    refused = wh_b.api.post(
        "/inventory/receipts", {"location": "WH-A", "sku": "TEE", "quantity": 1}
    )
    wh_b.refused(refused, 404, "location_not_found")
    assert story.balance("WH-A", "TEE") == (3, 1, 0, 2)
