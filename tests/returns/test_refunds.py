"""A receipt's refund decision given back through payments: after the receipt commits, once
per receipt, refused visibly when nothing was captured."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.events.models import OutboxEvent
from ordino.orders.models import Order, OrderTimelineEntry
from ordino.payments.models import Refund
from ordino.returns.events import ReturnReceived
from ordino.returns.services import return_refund_issue
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import SHIP, return_body, ship_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(api, shop):
    """W-1 (two tees at 19.99, a mug at 9.50, EUR) paid by card, shipped, delivered, captured."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
    work()
    ship_all(api, order)
    work()
    return order


def returned(api, order, *receipt: dict) -> int:
    rid = api.post(f"/orders/{order['id']}/returns", return_body((1, 2), (2, 1))).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    assert api.post(f"/returns/{rid}/receive", {"lines": list(receipt)}).status_code == 200
    return rid


def test_a_receipt_is_refunded_once_for_what_came_back(api, paid):
    # given a paid, delivered order
    # when a tee comes back, a tee is missing and the mug comes back damaged, and the worker runs
    rid = returned(
        api, paid, {"line_no": 1, "restock": 1, "missing": 1}, {"line_no": 2, "damaged": 1}
    )
    work()
    # then one refund of the tee and the mug (not the missing tee), tied to the receipt
    (refund,) = Refund.objects.all()
    assert refund.amount == Decimal("29.49")
    assert refund.lines == [
        {"line_no": 1, "quantity": 1, "amount": "19.99", "tax": "0.00"},
        {"line_no": 2, "quantity": 1, "amount": "9.50", "tax": "0.00"},
    ]
    assert refund.source.startswith(f"return:{rid}:")
    # and the balance agrees: the order's total went down by what was refunded, nothing is due
    balance = api.get(f"/orders/{paid['id']}/balance").json()
    assert (balance["refunded"], balance["outstanding"], balance["overpaid"]) == (
        "29.49",
        "0.00",
        "0.00",
    )
    # when the same event is delivered again
    event = ReturnReceived.from_payload(OutboxEvent.objects.get(name="return.received").payload)
    return_refund_issue(event)
    # then still one refund
    assert Refund.objects.count() == 1


def test_two_receipts_of_one_return_are_two_refunds(api, paid):
    rid = returned(api, paid, {"line_no": 1, "restock": 1})
    work()
    again = api.post(f"/returns/{rid}/receive", {"lines": [{"line_no": 1, "restock": 1}]})
    assert again.status_code == 200, again.content
    work()
    assert sorted(r.amount for r in Refund.objects.all()) == [Decimal("19.99"), Decimal("19.99")]
    assert len({r.source for r in Refund.objects.all()}) == 2


def test_an_unpaid_order_is_not_refunded_and_its_timeline_says_why(api, shop):
    # given an order without payments, delivered
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    ship_all(api, order)
    # when a tee comes back and the worker runs
    returned(api, order, {"line_no": 1, "restock": 1})
    work()
    # then no refund, the timeline says why, and the decision is still the return's
    assert Refund.objects.count() == 0
    entry = OrderTimelineEntry.objects.get(kind="return_refund_refused")
    assert entry.message.startswith(f"Return R{order['id']}-1: no refund recorded: ")
    order_row = Order.objects.get(pk=order["id"])
    assert order_row.current_total == order_row.grand_total - Decimal("19.99")


def test_outstanding_after_a_return_is_what_is_still_owed(api, shop):
    # given W-1 (two tees at 19.99, a mug at 9.50) paid by card, the tees shipped and captured
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
    work()
    fo = order["fulfillment_orders"][0]["id"]
    tees = {**SHIP, "lines": [{"line_no": 1, "quantity": 2}]}
    assert api.post(f"/fulfillment/orders/{fo}/ship", tees).status_code == 200
    work()
    # when one tee comes back and is refunded
    rid = api.post(f"/orders/{order['id']}/returns", return_body((1, 1))).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    got = api.post(f"/returns/{rid}/receive", {"lines": [{"line_no": 1, "restock": 1}]})
    assert got.status_code == 200, got.content
    work()
    # then the mug is still owed: ordered − returned-and-refunded (29.49) against
    # captured − refunded (39.98 − 19.99), per line and for the order
    b = api.get(f"/orders/{order['id']}/balance").json()
    assert (b["ordered"], b["captured"], b["refunded"], b["outstanding"], b["overpaid"]) == (
        "29.49", "39.98", "19.99", "9.50", "0.00",
    )  # fmt: skip
    assert [(x["line_no"], x["ordered"], x["captured"], x["refunded"], x["outstanding"])
            for x in b["lines"]] == [
        (1, "39.98", "39.98", "19.99", "0.00"),
        (2, "9.50", "0.00", "0.00", "9.50"),
        (0, "0.00", "0.00", "0.00", "0.00"),
    ]  # fmt: skip
    assert [(p["captured"], p["refunded"], p["outstanding"]) for p in b["payments"]] == [
        ("39.98", "19.99", "9.50")
    ]
    # when the mug ships
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    # then it is captured, and nothing is owed any more
    b = api.get(f"/orders/{order['id']}/balance").json()
    assert (b["ordered"], b["captured"], b["refunded"], b["outstanding"], b["overpaid"]) == (
        "29.49", "49.48", "19.99", "0.00", "0.00",
    )  # fmt: skip
    assert [p["outstanding"] for p in b["payments"]] == ["0.00"]
