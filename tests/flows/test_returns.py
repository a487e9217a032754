"""Story 9: a customer sends units back. Each unit gets one disposition when the parcel is
opened: a restocked tee is sellable again (and fills a backorder once the worker relays it), a
damaged mug stays on hand but unavailable; the order counts them returned, and the refund
decision is their exact share of the lines (docs/returns.md). Only HTTP calls."""

from __future__ import annotations

import pytest

from tests.flows.story import SHIP, order_body

pytestmark = pytest.mark.django_db


def test_a_return_restocks_sets_aside_and_decides_the_refund(story):
    # Given W-1 (two tees, one mug) shipped from WH-A and delivered, the last tee sold out
    story.receive("WH-A", "TEE", 2)
    story.receive("WH-A", "MUG", 1)
    order = story.capture(order_body("W-1", [("TEE", 2, "19.99"), ("MUG", 1, "9.50")]))
    fo = order["fulfillment_orders"][0]["id"]
    story.work(fo, "ship", SHIP)
    story.work(fo, "deliver")
    waiting = story.capture(order_body("W-2", [("TEE", 1, "19.99")]))
    assert story.status(waiting["id"]) == "backordered"
    # When the customer asks one tee and the mug back, and the shop approves
    api = story.api
    ret = story.ok(
        api.post(
            f"/orders/{order['id']}/returns",
            {"location": "WH-A", "reason": "size_or_fit",
             "lines": [{"line_no": 1, "quantity": 1}, {"line_no": 2, "quantity": 1}]},
        ),
        201,
    )  # fmt: skip
    story.ok(api.post(f"/returns/{ret['id']}/approve", {"tracking_number": "RT1"}))
    # And the parcel is opened: the tee is fine, the mug is broken
    received = story.ok(
        api.post(
            f"/returns/{ret['id']}/receive",
            {"lines": [{"line_no": 1, "restock": 1}, {"line_no": 2, "damaged": 1}]},
        )
    )
    # Then the tee is on hand and sellable, the mug on hand but set aside
    assert story.balance("WH-A", "TEE") == (1, 0, 0, 1)
    assert story.balance("WH-A", "MUG") == (1, 0, 1, 0)
    # And the refund decision is each line's share; the order's change (version 4: after
    # capture, ship and deliver) lowers its current total by it
    assert (received["refund_total"], [x["refund_total"] for x in received["lines"]]) == (
        "29.49",
        ["19.99", "9.50"],
    )
    assert story.changes(order["id"])[-1] == ("return", 4, "-29.49")
    assert [line["quantity_returned"] for line in story.order(order["id"])["lines"]] == [1, 1]
    # And the timeline tells it
    assert story.timeline(order["id"])[-4:] == [
        "return.requested",
        "return.approved",
        "returned",
        "return.received",
    ]
    # When the worker relays the receipt, the restocked tee fills W-2's backorder
    story.worker_runs()
    assert story.status(waiting["id"]) == "allocated"
    # And the closed return says so; asking the same units back again is refused
    assert story.ok(api.post(f"/returns/{ret['id']}/close"))["state"] == "closed"
    story.refused(
        api.post(
            f"/orders/{order['id']}/returns",
            {"location": "WH-A", "reason": "other", "lines": [{"line_no": 2, "quantity": 1}]},
        ),
        422,
        "quantity_exceeds_returnable",
    )
