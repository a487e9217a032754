"""Exchanges through the API: returned units for new lines in one change of the order, the
difference charged or refunded (docs/returns.md, "Exchanges")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import Order, OrderChange, OrderLine
from ordino.payments.models import Payment, Refund
from ordino.returns.events import ReturnReceived
from ordino.returns.models import Return
from ordino.returns.services import return_refund_issue
from tests.factories import order_body, stock
from tests.payments.conftest import card, work
from tests.returns.conftest import SHIP, ship_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(api, shop):
    """W-1 (two tees at 19.99, a mug at 9.50: 49.48 EUR) paid by card, delivered, captured;
    caps in stock at WH-A."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    stock(shop["wh_a"], shop["CAP"], 5)
    order = api.post("/orders", {**order_body(), "payments": [card()]}).json()
    work()
    ship_all(api, order)
    work()
    return order


def exchange_body(returned, new_lines, **extra) -> dict:
    return {
        "location": "WH-A",
        "reason": "size_or_fit",
        "lines": [{"line_no": no, "quantity": qty} for no, qty in returned],
        "new_lines": [
            {"sku": sku, "quantity": qty, "unit_price": price} for sku, qty, price in new_lines
        ],
        **extra,
    }


def exchange(api, order: dict, body: dict):
    return api.post(f"/orders/{order['id']}/exchanges", body)


def receive(api, exchange_id: int, *lines: dict) -> None:
    assert api.post(f"/returns/{exchange_id}/approve", {}).status_code == 200
    got = api.post(f"/returns/{exchange_id}/receive", {"lines": list(lines)})
    assert got.status_code == 200, got.content


def ship_new(api, order_id: int) -> None:
    for fo in FulfillmentOrder.objects.filter(order_id=order_id, status="open"):
        assert api.post(f"/fulfillment/orders/{fo.pk}/ship", SHIP).status_code == 200


def money(api, order_id: int) -> tuple[str, ...]:
    b = api.get(f"/orders/{order_id}/balance").json()
    return (b["ordered"], b["captured"], b["refunded"], b["outstanding"], b["overpaid"])


def test_an_even_exchange_moves_no_money(api, paid):
    # given a delivered, paid order
    # when a tee is exchanged for a cap of the same price
    made = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")]))
    # then one exchange: its return requested, a new line 3 reserved at WH-A, no money to move
    assert made.status_code == 201, made.content
    x = made.json()
    assert (x["direction"], x["difference"], x["charge"], x["refund_on_receipt"]) == (
        "even", "0.00", "0.00", "0.00",
    )  # fmt: skip
    assert x["rma"]["state"] == "requested"
    assert [(n["line_no"], n["sku"], n["allocated"]) for n in x["new_lines"]] == [
        (3, "CAP", [{"location": "WH-A", "quantity": 1}])
    ]
    (change,) = OrderChange.objects.filter(order_id=paid["id"], kind="exchange")
    assert change.data["exchange"] == {"return_id": x["id"], "return": x["rma"]["number"]}
    assert (change.version, change.amount_delta) == (x["order_version"], Decimal("19.99"))
    assert Order.objects.get(pk=paid["id"]).status == "partially_shipped"
    assert Payment.objects.count() == 1
    assert OutboxEvent.objects.filter(name="exchange.created").count() == 1
    # when the cap ships, the tee comes back, and the worker runs
    work()
    ship_new(api, paid["id"])
    receive(api, x["id"], {"line_no": 1, "restock": 1})
    work()
    # then nothing was refunded and the balance is settled
    assert Refund.objects.count() == 0
    assert money(api, paid["id"]) == ("49.48", "49.48", "0.00", "0.00", "0.00")


def test_the_customer_owes_the_difference_it_is_charged_with_their_card(api, paid):
    # when the mug (9.50) is exchanged for a cap at 19.99
    made = exchange(api, paid, exchange_body([(2, 1)], [("CAP", 1, "19.99")]))
    assert made.status_code == 201, made.content
    x = made.json()
    # then 10.49 is charged: a new payment with the order's card, authorized by the worker
    assert (x["direction"], x["difference"], x["charge"]) == ("customer_owes", "10.49", "10.49")
    payment = Payment.objects.get(pk=x["payment_id"])
    assert (payment.amount, payment.token, payment.sequence) == (Decimal("10.49"), "tok_approve", 2)
    work()
    assert Payment.objects.get(pk=x["payment_id"]).status == "authorized"
    # when the cap ships and the mug comes back
    ship_new(api, paid["id"])
    work()
    receive(api, x["id"], {"line_no": 2, "restock": 1})
    work()
    # then nothing is refunded, and what was captured is exactly what the order is worth now
    assert Refund.objects.count() == 0
    assert money(api, paid["id"]) == ("59.97", "59.97", "0.00", "0.00", "0.00")


def test_the_merchant_owes_the_difference_it_is_refunded_once_on_receipt(api, paid):
    # when two tees (39.98) are exchanged for a cap at 9.99
    made = exchange(api, paid, exchange_body([(1, 2)], [("CAP", 1, "9.99")]))
    assert made.status_code == 201, made.content
    x = made.json()
    assert (x["direction"], x["difference"], x["refund_on_receipt"]) == (
        "merchant_owes", "-29.99", "29.99",
    )  # fmt: skip
    work()
    assert Refund.objects.count() == 0  # nothing before the goods are back
    # when the cap ships, one tee comes back, then the other
    ship_new(api, paid["id"])
    receive(api, x["id"], {"line_no": 1, "restock": 1})
    work()
    # then the first tee (19.99) paid for the cap (9.99): 10.00 refunded
    assert [r.goodwill for r in Refund.objects.order_by("id")] == [Decimal("10.00")]
    got = api.post(f"/returns/{x['id']}/receive", {"lines": [{"line_no": 1, "restock": 1}]})
    assert got.status_code == 200
    work()
    # and the second the rest: 29.99 in all, and again on a redelivered event nothing more
    assert [r.goodwill for r in Refund.objects.order_by("id")] == [
        Decimal("10.00"), Decimal("19.99"),
    ]  # fmt: skip
    for row in OutboxEvent.objects.filter(name="return.received"):
        return_refund_issue(ReturnReceived.from_payload(row.payload))
    assert Refund.objects.count() == 2
    assert money(api, paid["id"]) == ("19.49", "49.48", "29.99", "0.00", "0.00")


def test_the_merchant_may_refund_the_difference_at_once(api, paid):
    body = exchange_body([(1, 2)], [("CAP", 1, "9.99")], refund_now=True)
    made = api.post(f"/orders/{paid['id']}/exchanges", body)
    assert made.status_code == 201, made.content
    x = made.json()
    assert (x["refund_now"], x["refund_on_receipt"]) == ("29.99", "0.00")
    assert Refund.objects.get(pk=x["refund_id"]).amount == Decimal("29.99")
    work()
    ship_new(api, paid["id"])
    receive(api, x["id"], {"line_no": 1, "restock": 2})
    work()
    assert Refund.objects.count() == 1  # the receipt refunds nothing more
    assert money(api, paid["id"]) == ("19.49", "49.48", "29.99", "0.00", "0.00")


def test_a_preview_answers_what_would_happen_and_changes_nothing(api, paid):
    before = _state()
    body = exchange_body([(2, 1)], [("CAP", 1, "19.99")], preview=True)
    seen = api.post(f"/orders/{paid['id']}/exchanges", body)
    assert seen.status_code == 200, seen.content
    x = seen.json()
    assert (x["id"], x["preview"], x["direction"], x["charge"]) == (
        None, True, "customer_owes", "10.49",
    )  # fmt: skip
    assert x["new_lines"][0]["allocated"] == [{"location": "WH-A", "quantity": 1}]
    assert _state() == before


def test_new_units_beyond_the_stock_are_backordered_as_an_edits_would_be(api, paid):
    # given 3 tees left at WH-A and none elsewhere
    # when the mug is exchanged for 9 tees
    made = exchange(api, paid, exchange_body([(2, 1)], [("TEE", 9, "1")]))
    # then 3 are reserved and 6 wait as a backorder, as an order edit would have it
    assert made.status_code == 201, made.content
    assert [(n["allocated"], n["backordered"]) for n in made.json()["new_lines"]] == [
        ([{"location": "WH-A", "quantity": 3}], 6)
    ]


def _state() -> tuple:
    return (
        Return.objects.count(),
        OrderLine.objects.count(),
        OrderChange.objects.count(),
        Payment.objects.count(),
        Refund.objects.count(),
        OutboxEvent.objects.count(),
        list(Order.objects.values_list("version", "current_total", "status")),
    )
