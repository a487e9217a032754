"""Story 5: customer service changes an order — cancels part of it, then the rest; or edits it
while no location has started — and the money follows exactly (docs/orders.md, Money, Cancel,
Edit).

The order: three tees at 19.99 (tax 6.00) and a mug at 9.50 (tax 1.80), an order discount of
3.00 and shipping of 4.90. The discount is shared by largest remainder: 2.59 to the tees, 0.41
to the mug; so the tees are worth 59.97 − 2.59 + 6.00 = 63.38, the mug 9.50 − 0.41 + 1.80 =
10.89, and the order 4.90 + 63.38 + 10.89 = 79.17.
"""

from __future__ import annotations

import pytest

from tests.flows.story import order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured(story):
    # given tees, mugs and caps at WH-A, and the order above
    for sku in ("TEE", "MUG", "CAP"):
        story.receive("WH-A", sku, 5)
    story.worker_runs()
    body = order_body("W-1", [("TEE", 3, "19.99"), ("MUG", 1, "9.50")])
    body["lines"][0]["tax"] = "6.00"
    body["lines"][1]["tax"] = "1.80"
    order = story.capture({**body, "discount": "3.00", "shipping_price": "4.90"})
    assert [(line["order_discount"], line["total"]) for line in order["lines"]] == [
        ("2.59", "63.38"),
        ("0.41", "10.89"),
    ]
    assert (order["subtotal"], order["discount_total"], order["tax_total"]) == (
        "69.47",
        "3.00",
        "7.80",
    )
    assert (order["grand_total"], order["current_total"], order["version"]) == ("79.17", "79.17", 1)
    return order["id"], order["fulfillment_orders"][0]["id"]


def cancel(story, order_id: int, lines=None):
    body = {"reason": "customer called"} if lines is None else {"lines": lines}
    return story.api.post(f"/orders/{order_id}/cancel", body)


def test_cancel_one_tee_then_the_rest(story, captured):
    order_id, fo_id = captured
    # when one tee is cancelled
    after_one = story.ok(cancel(story, order_id, [{"line_no": 1, "quantity": 1}]))
    # then it gives back its largest-remainder third of 63.38 (21.13), and its stock
    assert (after_one["status"], after_one["current_total"]) == ("allocated", "58.04")
    assert after_one["grand_total"] == "79.17"  # the captured order is never rewritten
    assert story.buckets(order_id) == [(1, 0, 2, 0, 0), (0, 0, 1, 0, 0)]
    assert story.balance("WH-A", "TEE") == (5, 2, 0, 3)
    assert [line["quantity_open"] for line in story.fo(fo_id)["lines"]] == [2, 1]

    # when the rest of the order is cancelled
    after_all = story.ok(cancel(story, order_id))
    # then two tees (42.25) and the mug (10.89) are given back: the order is worth its shipping
    assert (after_all["status"], after_all["current_total"]) == ("cancelled", "4.90")
    assert story.buckets(order_id) == [(3, 0, 0, 0, 0), (1, 0, 0, 0, 0)]
    assert story.fos(order_id) == [("WH-A", "cancelled")]
    assert story.balance("WH-A", "TEE") == (5, 0, 0, 5)
    assert story.balance("WH-A", "MUG") == (5, 0, 0, 5)
    assert story.changes(order_id) == [("cancel", 2, "-21.13"), ("cancel", 3, "-53.14")]
    assert story.timeline(order_id) == ["captured", "cancelled", "cancelled"]

    # and a cancelled order cannot be cancelled again, nor its fulfillment order worked
    before = story.order(order_id)
    story.refused(cancel(story, order_id), 409, "order_not_cancellable")
    story.refused(story.step(fo_id, "accept"), 409, "invalid_fulfillment_transition")
    assert story.order(order_id) == before


def test_edit_adds_a_line_and_more_mugs_before_the_warehouse_starts(story, captured):
    order_id, fo_id = captured
    # when two caps at 7.50 (tax 1.43) are added and the mug becomes two
    edit = {
        "expected_version": 1,
        "add_lines": [{"sku": "CAP", "quantity": 2, "unit_price": "7.50", "tax": "1.43"}],
        "change_lines": [{"line_no": 2, "quantity": 2}],
        "reason": "customer called",
    }
    edited = story.ok(story.api.post(f"/orders/{order_id}/edit", edit))
    # then the caps are worth 16.43 (no share of the order discount); the second mug brings
    # 9.50 and its tax 1.80, the mug's discount share stays 0.41: 22.19 for the line
    assert [
        (line["sku"], line["quantity"], line["tax"], line["total"]) for line in edited["lines"]
    ] == [
        ("TEE", 3, "6.00", "63.38"),
        ("MUG", 2, "3.60", "22.19"),
        ("CAP", 2, "1.43", "16.43"),
    ]
    assert (edited["current_total"], edited["grand_total"], edited["version"]) == (
        "106.90",
        "79.17",
        2,
    )
    assert story.changes(order_id) == [("edit", 2, "27.73")]
    # and the new units are reserved in WH-A's open fulfillment order
    assert story.fos(order_id) == [("WH-A", "open")]
    assert [(fl["sku"], fl["quantity_open"]) for fl in story.fo(fo_id)["lines"]] == [
        ("TEE", 3),
        ("MUG", 2),
        ("CAP", 2),
    ]
    assert story.balance("WH-A", "MUG") == (5, 2, 0, 3)
    assert story.balance("WH-A", "CAP") == (5, 2, 0, 3)
    assert story.timeline(order_id) == ["captured", "edited"]


def test_no_edit_once_the_warehouse_has_started_or_on_a_stale_version(story, captured):
    order_id, fo_id = captured
    # given a colleague cancelled the mug (version 2), and the warehouse accepted the tees
    story.ok(cancel(story, order_id, [{"line_no": 2, "quantity": 1}]))
    story.work(fo_id, "accept")
    before = (story.order(order_id), story.fo(fo_id), story.balance("WH-A", "TEE"))
    assert before[0]["version"] == 2
    # when customer service edits the tees, or edits with the version it read before
    fewer = {"expected_version": 2, "change_lines": [{"line_no": 1, "quantity": 1}]}
    released = story.refused(
        story.api.post(f"/orders/{order_id}/edit", fewer), 409, "line_released"
    )
    caps = {
        "expected_version": 1,
        "add_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "7.50"}],
    }
    story.refused(story.api.post(f"/orders/{order_id}/edit", caps), 409, "order_changed")
    # then the refusal names the line, and nothing changed
    assert [e["field"] for e in released["errors"]] == ["change_lines.0.line_no"]
    assert (story.order(order_id), story.fo(fo_id), story.balance("WH-A", "TEE")) == before
    assert story.balance("WH-A", "CAP") == (5, 0, 0, 5)
    assert story.changes(order_id) == [("cancel", 2, "-10.89")]
