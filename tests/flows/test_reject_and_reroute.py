"""Story 2: a location rejects its part of an order; the items go to another location, and
when none is left they are backordered — never straight back to a location that rejected them,
until stock arrives there (docs/fulfillment.md, Rejections and Backorders)."""

from __future__ import annotations

import pytest

from ordino.cases.models import Case
from tests.flows.story import order_body

pytestmark = pytest.mark.django_db

# WH-A's tees after it rejected the two it held for the order: (on_hand, committed,
# unavailable, available), and after two more tees were received there
REASONS = [
    # the shelf is empty: the two units and WH-A's three free ones are written off
    pytest.param("not_found", (0, 0, 0, 0), (2, 2, 0, 0), id="not_found"),
    # the two units are damaged: unavailable, no longer committed
    pytest.param("damaged", (5, 0, 2, 3), (7, 2, 2, 3), id="damaged"),
    # no room to work it: the two units are free again
    pytest.param("no_capacity", (5, 0, 0, 5), (7, 2, 0, 5), id="no_capacity"),
]


@pytest.fixture
def captured(story):
    # given five tees at WH-A and five at WH-B; an order for two is sourced to WH-A (priority)
    story.receive("WH-A", "TEE", 5)
    story.receive("WH-B", "TEE", 5)
    story.worker_runs()
    order = story.capture(order_body("W-1", [("TEE", 2, "10.00")]))
    assert story.fos(order["id"]) == [("WH-A", "open")]
    return order["id"], order["fulfillment_orders"][0]["id"]


@pytest.mark.parametrize(("reason", "wh_a_after_reject", "wh_a_after_receipt"), REASONS)
def test_rejected_items_go_elsewhere_then_wait_for_stock_at_a_rejecting_location(
    story, captured, reason, wh_a_after_reject, wh_a_after_receipt
):
    order_id, wh_a_fo = captured

    # when WH-A rejects its fulfillment order
    outcome = story.work(wh_a_fo, "reject", {"reason": reason, "note": "shelf 12"})
    # then the reason decides what happens to WH-A's tees, and the items go to WH-B
    assert (outcome["reason"], outcome["backordered"]) == (reason, [])
    assert [r["location"] for r in outcome["rerouted_to"]] == ["WH-B"]
    assert story.balance("WH-A", "TEE") == wh_a_after_reject
    assert story.balance("WH-B", "TEE") == (5, 2, 0, 3)
    assert story.fos(order_id) == [("WH-A", "rejected"), ("WH-B", "open")]
    assert story.status(order_id) == "allocated"
    assert story.buckets(order_id) == [(0, 0, 2, 0, 0)]
    assert story.order(order_id)["lines"][0]["allocations"] == [{"location": "WH-B", "quantity": 2}]

    # when WH-B rejects too, for lack of capacity
    wh_b_fo = story.open_fo(order_id, "WH-B")
    outcome = story.work(wh_b_fo, "reject", {"reason": "no_capacity"})
    # then no location is left that did not reject: the items are backordered, even where WH-A
    # still has free tees, and WH-B's two are free again
    assert (outcome["rerouted_to"], outcome["backordered"]) == ([], [{"line_no": 1, "quantity": 2}])
    assert story.status(order_id) == "backordered"
    assert story.buckets(order_id) == [(0, 2, 0, 0, 0)]
    assert story.fos(order_id) == [("WH-A", "rejected"), ("WH-B", "rejected")]
    assert story.balance("WH-B", "TEE") == (5, 0, 0, 5)
    # and the worker's backorder fill does not send them back to a rejecting location either
    story.worker_runs()
    assert story.status(order_id) == "backordered"
    assert story.balance("WH-A", "TEE") == wh_a_after_reject

    # when two tees arrive at WH-A and the worker relays the receipt
    story.receive("WH-A", "TEE", 2)
    story.worker_runs()
    # then WH-A, restocked since it rejected, serves the order again with a new fulfillment order
    assert story.status(order_id) == "allocated"
    assert story.buckets(order_id) == [(0, 0, 2, 0, 0)]
    assert story.fos(order_id) == [("WH-A", "rejected"), ("WH-B", "rejected"), ("WH-A", "open")]
    assert story.balance("WH-A", "TEE") == wh_a_after_receipt
    said = reason.replace("_", " ")
    # and rejected at every location, the order had a case in the inbox (docs/cases.md) until
    # the stock came
    case = f"Case {Case.objects.get(order_id=order_id).pk} (Order rejected at every location)"
    assert story.told(order_id) == [
        ("captured", "token:admin", "Captured from web as W-1; allocated."),
        ("rejected", "token:admin", f"WH-A rejected 2 item(s) ({said}); re-routed to WH-B."),
        ("rejected", "token:admin", "WH-B rejected 2 item(s) (no capacity); re-routed to nowhere."),
        ("case_created", "system:cases", f"{case}: Order W-1: rejected at every location"),
        (
            "backorder_filled",
            "system:backorders",
            "Stock arrived: 2 backordered item(s) reserved at WH-A.",
        ),
        ("case_resolved", "system:cases", f"{case}: Resolved by itself: the backorder was filled"),
    ]


def test_a_partial_reject_splits_the_order_over_two_locations(story, captured):
    order_id, wh_a_fo = captured
    # when WH-A finds only one of the two tees damaged
    outcome = story.work(
        wh_a_fo, "reject", {"reason": "damaged", "lines": [{"line_no": 1, "quantity": 1}]}
    )
    # then one tee stays at WH-A, the other goes to WH-B
    assert [r["location"] for r in outcome["rerouted_to"]] == ["WH-B"]
    assert story.fos(order_id) == [("WH-A", "open"), ("WH-B", "open")]
    assert story.order(order_id)["lines"][0]["allocations"] == [
        {"location": "WH-A", "quantity": 1},
        {"location": "WH-B", "quantity": 1},
    ]
    assert story.balance("WH-A", "TEE") == (5, 1, 1, 3)
    assert story.balance("WH-B", "TEE") == (5, 1, 0, 4)
    assert story.status(order_id) == "allocated"


def test_a_rejection_with_an_unknown_reason_changes_nothing(story, captured):
    order_id, wh_a_fo = captured
    before = (story.order(order_id), story.balance("WH-A", "TEE"), story.balance("WH-B", "TEE"))
    # when WH-A rejects for a reason Ordino does not know, or more tees than it holds
    story.refused(story.step(wh_a_fo, "reject", {"reason": "bored"}), 422, "validation_error")
    too_many = {"reason": "damaged", "lines": [{"line_no": 1, "quantity": 3}]}
    story.refused(story.step(wh_a_fo, "reject", too_many), 422, "invalid_lines")
    # then nothing changed
    after = (story.order(order_id), story.balance("WH-A", "TEE"), story.balance("WH-B", "TEE"))
    assert after == before
    assert story.timeline(order_id) == ["captured"]
