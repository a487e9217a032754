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
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock
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


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        (exchange_body([(1, 1)], [("NOPE", 1, "19.99")]), 422, "invalid_edit", "new_lines.0.sku"),
        (exchange_body([(1, 3)], [("CAP", 1, "19.99")]), 422, "quantity_exceeds_returnable",
         "lines.0.quantity"),
        (exchange_body([(9, 1)], [("CAP", 1, "19.99")]), 422, "line_not_found", "lines.0.line_no"),
        (exchange_body([(1, 1)], [("CAP", 1, "19.999")]), 422, "invalid_edit",
         "new_lines.0.unit_price"),
        (exchange_body([(1, 1)], [("CAP", 1, "19.99")], location="NOWHERE"), 404,
         "location_not_found", "location"),
        (exchange_body([(1, 1)], [("CAP", 1, "19.99")], expected_version=1), 409,
         "order_changed", None),
        (exchange_body([(1, 2)], [("CAP", 1, "1")], refund_now=True, lines=[
            {"line_no": 1, "quantity": 2}]) | {"new_lines": [
            {"sku": "CAP", "quantity": 1, "unit_price": "1", "discount": "2"}]}, 422,
         "invalid_edit", "new_lines.0.discount"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    api, paid, body, status, code, field
):
    before = _state()
    refused = exchange(api, paid, body)
    assert (refused.status_code, refused.json()["code"]) == (status, code), refused.content
    if field is not None:
        assert field in [e["field"] for e in refused.json()["errors"]]
    assert _state() == before


def test_after_the_return_window_the_exchange_is_refused(api, paid, settings):
    settings.ORDINO_RETURN_WINDOW_DAYS = 0
    before = _state()
    refused = exchange(api, paid, exchange_body([(1, 1)], [("CAP", 1, "19.99")]))
    assert (refused.status_code, refused.json()["code"]) == (422, "return_window_closed")
    assert refused.json()["errors"][0]["field"] == "lines.0.line_no"
    assert _state() == before


def test_a_cancelled_order_takes_no_exchange(api, shop):
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    assert api.post(f"/orders/{order['id']}/cancel", {"reason": "customer"}).status_code == 200
    before = _state()
    refused = exchange(api, order, exchange_body([(1, 1)], [("CAP", 1, "19.99")]))
    assert (refused.status_code, refused.json()["code"]) == (409, "order_not_exchangeable")
    assert _state() == before


def test_more_money_back_at_once_than_was_captured_is_refused(api, paid):
    # given 40.00 of the 49.48 captured refunded already
    given = {"goodwill": "40.00", "reason": "goodwill"}
    assert api.post(f"/orders/{paid['id']}/refunds", given).status_code == 201
    before = _state()
    body = exchange_body([(1, 2)], [("CAP", 1, "9.99")], refund_now=True)
    refused = exchange(api, paid, body)
    assert (refused.status_code, refused.json()["code"]) == (409, "refund_exceeds_captured")
    assert _state() == before


def test_a_declined_charge_holds_the_new_lines_and_can_be_retried(api, paid):
    # given the card on file now declines
    Payment.objects.filter(order_id=paid["id"]).update(token="tok_decline")
    made = exchange(api, paid, exchange_body([(2, 1)], [("CAP", 1, "19.99")]))
    assert made.status_code == 201, made.content
    x = made.json()
    # when the worker asks for the difference
    work()
    # then the payment is declined, the new line's fulfillment order is on hold, and the
    # payment waits for a retry
    assert Payment.objects.get(pk=x["payment_id"]).status == "declined"
    (fo,) = FulfillmentOrder.objects.filter(order_id=paid["id"], lines__order_line__line_no=3)
    assert fo.status == "on_hold"
    retried = api.post(f"/orders/{paid['id']}/payments/{x['payment_id']}/retry")
    assert retried.status_code == 202, retried.content


def test_a_token_outside_the_order_gets_404_and_changes_nothing(api, paid, client):
    make_channel("shop")
    outside = ApiClient(client, make_token("returns orders", name="shop", channel_codes=["shop"]))
    before = _state()
    body = exchange_body([(1, 1)], [("CAP", 1, "19.99")])
    refused = outside.post(f"/orders/{paid['id']}/exchanges", body)
    assert (refused.status_code, refused.json()["code"]) == (404, "order_not_found")
    assert _state() == before
    made = exchange(api, paid, body).json()
    assert outside.get(f"/exchanges/{made['id']}").status_code == 404
    assert outside.get("/exchanges").json()["items"] == []
    assert [e["id"] for e in api.get("/exchanges", order_id=paid["id"]).json()["items"]] == [
        made["id"]
    ]
    assert api.get(f"/exchanges/{made['id']}").json()["rma"]["number"] == made["rma"]["number"]


def test_a_plain_return_is_not_an_exchange(api, paid):
    plain = api.post(
        f"/orders/{paid['id']}/returns",
        {"location": "WH-A", "reason": "damaged", "lines": [{"line_no": 1, "quantity": 1}]},
    ).json()
    got = api.get(f"/exchanges/{plain['id']}")
    assert (got.status_code, got.json()["code"]) == (404, "exchange_not_found")


def test_the_command_line_lists_and_shows_exchanges(api, paid, capsys):
    from django.core.management import CommandError, call_command

    x = exchange(api, paid, exchange_body([(2, 1)], [("CAP", 1, "19.99")])).json()
    call_command("exchanges", "list")
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1
    assert listed[0].split()[:6] == [
        str(x["id"]), x["rma"]["number"], "order", str(paid["id"]), "requested", "10.49",
    ]  # fmt: skip
    assert listed[0].endswith(f"charge 10.49 EUR (payment {x['payment_id']})")
    call_command("exchanges", "list", "--order", str(paid["id"] + 1))
    assert capsys.readouterr().out == "No exchanges.\n"
    call_command("exchanges", "show", str(x["id"]))
    shown = capsys.readouterr().out
    assert "  returned  9.50 EUR (tax 0.00)\n    line 2 MUG × 1 (received 0)\n" in shown
    assert "    line 3 CAP × 1 19.99 EUR\n" in shown
    assert f"  difference 10.49 EUR: charge 10.49 EUR (payment {x['payment_id']})" in shown
    with pytest.raises(CommandError, match="No return"):
        call_command("exchanges", "show", str(x["id"] + 100))
