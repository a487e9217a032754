"""Story 10: a customer exchanges what they got. Another size of the same price moves no money;
a dearer item is charged to their card; a cheaper one is refunded once the goods are back. The
new lines are reserved, shipped and captured like any line, and the order's balance ends exact
(docs/returns.md, "Exchanges"). Only HTTP calls (and the worker)."""

from __future__ import annotations

import pytest

from tests.flows.story import SHIP, Story, order_body

pytestmark = pytest.mark.django_db

CARD = {"method": "card", "provider": "test", "token": "tok_approve"}


def delivered(story: Story) -> dict:
    """W-X: two tees at 19.99 and a mug at 9.50 (49.48 EUR) paid by card, shipped from WH-A,
    delivered, captured; caps and tees in stock."""
    for sku in ("TEE", "MUG", "CAP"):
        story.receive("WH-A", sku, 5)
    order = story.capture(
        order_body("W-X", [("TEE", 2, "19.99"), ("MUG", 1, "9.50")], payments=[CARD])
    )
    story.worker_runs()
    fo = order["fulfillment_orders"][0]["id"]
    story.work(fo, "ship", SHIP)
    story.work(fo, "deliver")
    story.worker_runs()
    return order


def exchange(story: Story, order: dict, returned, new_lines, **extra) -> dict:
    body = {
        "location": "WH-A",
        "reason": "size_or_fit",
        "lines": [{"line_no": no, "quantity": qty} for no, qty in returned],
        "new_lines": [{"sku": s, "quantity": q, "unit_price": p} for s, q, p in new_lines],
        **extra,
    }
    preview = story.ok(story.api.post(f"/orders/{order['id']}/exchanges", body | {"preview": True}))
    made = story.ok(story.api.post(f"/orders/{order['id']}/exchanges", body), 201)
    for same in ("direction", "difference", "tax_difference", "charge", "refund_on_receipt"):
        assert preview[same] == made[same], same  # the preview said what happened
    return made


def ship_and_take_back(story: Story, order: dict, made: dict, lines: list[dict]) -> None:
    """The new lines ship from WH-A; the returned units come back; the worker runs."""
    story.work(story.open_fo(order["id"], "WH-A"), "ship", SHIP)
    story.worker_runs()
    story.ok(story.api.post(f"/returns/{made['id']}/approve", {}))
    story.ok(story.api.post(f"/returns/{made['id']}/receive", {"lines": lines}))
    story.worker_runs()


def money(story: Story, order_id: int) -> tuple[str, ...]:
    b = story.ok(story.api.get(f"/orders/{order_id}/balance"))
    return (b["ordered"], b["captured"], b["refunded"], b["outstanding"], b["overpaid"])


def test_an_even_exchange_another_size_moves_no_money(story):
    order = delivered(story)
    # When a tee is exchanged for a cap at the same price
    made = exchange(story, order, [(1, 1)], [("CAP", 1, "19.99")])
    # Then the order has a change of kind exchange, the cap is reserved at WH-A, no money moves
    assert made["direction"] == "even"
    assert story.changes(order["id"])[-1] == ("exchange", made["order_version"], "19.99")
    assert story.status(order["id"]) == "partially_shipped"
    assert story.timeline(order["id"])[-3:] == ["return.requested", "exchanged", "exchange.created"]
    # When the cap ships and the tee comes back
    ship_and_take_back(story, order, made, [{"line_no": 1, "restock": 1}])
    # Then the tee is sellable again, the order shipped, and its money is settled
    assert story.balance("WH-A", "TEE") == (4, 0, 0, 4)
    assert story.status(order["id"]) == "shipped"
    assert money(story, order["id"]) == ("49.48", "49.48", "0.00", "0.00", "0.00")


def test_the_customer_pays_the_difference_by_card(story):
    order = delivered(story)
    # When the mug (9.50) is exchanged for two caps at 19.99
    made = exchange(story, order, [(2, 1)], [("CAP", 2, "19.99")])
    assert (made["direction"], made["charge"]) == ("customer_owes", "30.48")
    story.worker_runs()
    # Then the difference is authorized on their card, then captured when the caps ship
    ship_and_take_back(story, order, made, [{"line_no": 2, "restock": 1}])
    assert money(story, order["id"]) == ("79.96", "79.96", "0.00", "0.00", "0.00")


def test_the_merchant_refunds_the_difference_once_the_goods_are_back(story):
    order = delivered(story)
    # When two tees (39.98) are exchanged for a mug at 9.50
    made = exchange(story, order, [(1, 2)], [("MUG", 1, "9.50")])
    assert (made["direction"], made["refund_on_receipt"]) == ("merchant_owes", "30.48")
    story.worker_runs()
    assert money(story, order["id"])[2] == "0.00"  # nothing before the goods are back
    # Then, once the mug shipped and the tees are back, 30.48 is refunded and all is settled
    ship_and_take_back(story, order, made, [{"line_no": 1, "restock": 2}])
    assert money(story, order["id"]) == ("19.00", "49.48", "30.48", "0.00", "0.00")
