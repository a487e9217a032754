"""Story 1: an order is captured, the warehouse accepts, picks, packs and ships it with
tracking, and the carrier delivers it (docs/fulfillment.md, States; docs/orders.md)."""

from __future__ import annotations

import pytest

from tests.flows.story import SHIP, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(story):
    # given five tees and five mugs received at WH-A, and an order for two tees and a mug
    story.receive("WH-A", "TEE", 5)
    story.receive("WH-A", "MUG", 5)
    story.worker_runs()
    order = story.capture(order_body("W-1", [("TEE", 2, "19.99"), ("MUG", 1, "9.50")]))
    return order["id"], order["fulfillment_orders"][0]["id"]


def test_captured_order_reserves_its_stock_at_one_location(story, captured):
    order_id, _ = captured
    # then the order is allocated, both lines at WH-A, in one open fulfillment order
    order = story.order(order_id)
    assert (order["status"], order["grand_total"], order["current_total"]) == (
        "allocated",
        "49.48",
        "49.48",
    )
    assert story.buckets(order_id) == [(0, 0, 2, 0, 0), (0, 0, 1, 0, 0)]
    assert [line["allocations"] for line in order["lines"]] == [
        [{"location": "WH-A", "quantity": 2}],
        [{"location": "WH-A", "quantity": 1}],
    ]
    assert story.fos(order_id) == [("WH-A", "open")]
    # and the reserved units are committed, not gone: on hand stays, available drops
    assert story.balance("WH-A", "TEE") == (5, 2, 0, 3)
    assert story.balance("WH-A", "MUG") == (5, 1, 0, 4)
    assert story.available("TEE") == {"WH-A": 3, "network": 3}


def test_accept_pick_pack_ship_deliver(story, captured):
    order_id, fo_id = captured
    # when the warehouse accepts, picks and packs
    assert story.work(fo_id, "accept")["status"] == "accepted"
    assert story.work(fo_id, "pick")["status"] == "picking"
    assert story.work(fo_id, "pack")["status"] == "packed"
    # then nothing has left the shelf yet
    assert story.status(order_id) == "allocated"
    assert story.balance("WH-A", "TEE") == (5, 2, 0, 3)

    # when it ships everything in one parcel with tracking
    shipped = story.work(fo_id, "ship", {**SHIP, "packages": [{"weight_grams": 1200}]})
    # then the fulfillment order is shipped with one shipment carrying both lines
    assert shipped["status"] == "shipped"
    (shipment,) = shipped["shipments"]
    assert (shipment["carrier"], shipment["tracking_numbers"]) == ("DHL", ["JD0001"])
    assert shipment["lines"] == [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}]
    assert shipment["delivered_at"] is None
    # and the units left stock: on hand and committed both drop by what shipped
    assert story.balance("WH-A", "TEE") == (3, 0, 0, 3)
    assert story.balance("WH-A", "MUG") == (4, 0, 0, 4)
    assert story.status(order_id) == "shipped"
    assert story.buckets(order_id) == [(0, 0, 0, 2, 0), (0, 0, 0, 1, 0)]

    # when the carrier delivers
    assert story.work(fo_id, "deliver")["status"] == "delivered"
    # then the order is delivered, stock does not move again, and the timeline tells it all
    order = story.order(order_id)
    assert (order["status"], order["current_total"]) == ("delivered", "49.48")
    assert story.buckets(order_id) == [(0, 0, 0, 2, 2), (0, 0, 0, 1, 1)]
    assert story.fos(order_id) == [("WH-A", "delivered")]
    assert story.balance("WH-A", "TEE") == (3, 0, 0, 3)
    assert story.timeline(order_id) == [
        "captured",
        "fulfillment_accepted",
        "fulfillment_picking",
        "fulfillment_packed",
        "shipped",
        "delivered",
    ]


def test_a_partial_shipment_then_the_rest(story, captured):
    order_id, fo_id = captured
    story.work(fo_id, "accept")
    # when one tee ships first
    first = story.work(fo_id, "ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    # then the fulfillment order stays accepted with the rest open, the order partially shipped
    assert first["status"] == "accepted"
    assert [line["quantity_open"] for line in first["lines"]] == [1, 1]
    assert story.status(order_id) == "partially_shipped"
    assert story.buckets(order_id) == [(0, 0, 1, 1, 0), (0, 0, 1, 0, 0)]
    assert story.balance("WH-A", "TEE") == (4, 1, 0, 3)
    # when the rest ships in a second parcel
    second = story.work(fo_id, "ship", {**SHIP, "tracking_numbers": ["JD0002"]})
    # then two shipments, everything shipped, nothing committed any more
    assert second["status"] == "shipped"
    assert [s["tracking_numbers"] for s in second["shipments"]] == [["JD0001"], ["JD0002"]]
    assert story.status(order_id) == "shipped"
    assert story.balance("WH-A", "TEE") == (3, 0, 0, 3)
    assert story.balance("WH-A", "MUG") == (4, 0, 0, 4)
    assert story.timeline(order_id) == ["captured", "fulfillment_accepted", "shipped", "shipped"]


def test_steps_out_of_order_are_refused_and_change_nothing(story, captured):
    order_id, fo_id = captured
    before = (story.order(order_id), story.fo(fo_id), story.balance("WH-A", "TEE"))
    # when the warehouse packs before accepting, or the carrier delivers what never shipped
    story.refused(story.step(fo_id, "pack"), 409, "invalid_fulfillment_transition")
    story.refused(story.step(fo_id, "deliver"), 409, "invalid_fulfillment_transition")
    # or ships without a tracking number, or more tees than were ordered
    story.refused(
        story.step(fo_id, "ship", {**SHIP, "tracking_numbers": []}), 422, "validation_error"
    )
    too_many = {**SHIP, "lines": [{"line_no": 1, "quantity": 3}]}
    story.refused(story.step(fo_id, "ship", too_many), 422, "invalid_lines")
    # then the order, its fulfillment order and the stock are exactly as they were
    assert (story.order(order_id), story.fo(fo_id), story.balance("WH-A", "TEE")) == before
    assert story.timeline(order_id) == ["captured"]
