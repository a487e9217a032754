"""Story 8: an order paid by card is authorized after capture, captured shipment by shipment
(the last capture the remainder), partly refunded after a return, and its money adds up at
every step (docs/payments.md)."""

from __future__ import annotations

import pytest

from tests.flows.story import SHIP, order_body

pytestmark = pytest.mark.django_db
CARD = {"method": "card", "provider": "test", "token": "tok_approve"}


def money(story, order_id: int) -> tuple[str, ...]:
    b = story.ok(story.api.get(f"/orders/{order_id}/balance"))
    return b["ordered"], b["authorized"], b["captured"], b["refunded"], b["outstanding"]


def test_paid_shipped_in_two_parts_and_partly_refunded(story):
    # given three tees at 10.00 with 4.90 shipping, paid by card
    story.receive("WH-A", "TEE", 5)
    story.worker_runs()
    order = story.capture(
        order_body("W-P", [("TEE", 3, "10.00")], shipping_price="4.90", payments=[CARD])
    )
    order_id, fo = order["id"], order["fulfillment_orders"][0]["id"]
    story.worker_runs()
    # then the whole total is authorized, nothing captured
    assert money(story, order_id) == ("34.90", "34.90", "0.00", "0.00", "34.90")
    # when one tee ships: its money and the shipping are captured
    story.work(fo, "ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    story.worker_runs()
    assert money(story, order_id) == ("34.90", "34.90", "14.90", "0.00", "20.00")
    # when the rest ships: the last capture takes the remainder
    story.work(fo, "ship", SHIP)
    story.worker_runs()
    assert money(story, order_id) == ("34.90", "34.90", "34.90", "0.00", "0.00")
    # when one tee comes back and is refunded
    refund = story.ok(
        story.api.post(
            f"/orders/{order_id}/refunds",
            {"lines": [{"line_no": 1, "quantity": 1}], "reason": "too small"},
        ),
        201,
    )
    assert (refund["amount"], refund["status"]) == ("10.00", "pending")
    story.worker_runs()
    assert money(story, order_id) == ("34.90", "34.90", "34.90", "10.00", "0.00")
    # and a second refund of more than is left is refused
    story.refused(
        story.api.post(f"/orders/{order_id}/refunds", {"goodwill": "25.00", "reason": "r"}),
        409,
        "refund_exceeds_captured",
    )
    # and the timeline tells it
    kinds = story.timeline(order_id)
    for kind in ("payment_added", "payment_authorized", "payment_captured", "refund_recorded",
                 "refund_succeeded"):  # fmt: skip
        assert kind in kinds
