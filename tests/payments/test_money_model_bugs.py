"""Bugs the money model (tests/reliability/test_money_model.py) found, fixed: each one's
smallest reproduction stays here as a regression test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.invoices.models import Invoice
from ordino.payments.models import Payment, PaymentTransaction, Refund, ScriptedProviderCall
from ordino.payments.services import (
    payment_capture_now,
    payments_collect,
    payments_refund_overpaid,
    payments_retry_due,
)
from tests.factories import order_body, stock
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db

D = Decimal


def captured(order_id: int) -> Decimal:
    return sum(
        (
            t.amount
            for t in PaymentTransaction.objects.filter(
                payment__order_id=order_id, kind="capture", status="succeeded"
            )
        ),
        D(0),
    )


def test_units_shipped_after_a_return_are_captured_whole(api, stocked):
    # given two tees (19.99) and a mug (9.50) paid by card; the tees shipped (captured 39.98)
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    fo = order["fulfillment_orders"][0]["id"]
    ship_tees = {**SHIP, "lines": [{"line_no": 1, "quantity": 2}]}
    assert api.post(f"/fulfillment/orders/{fo}/ship", ship_tees).status_code == 200
    work()
    assert captured(order["id"]) == D("39.98")
    # and one tee returned, received and refunded (the order's total is now 29.49)
    body = {"location": "WH-A", "reason": "size_or_fit", "lines": [{"line_no": 1, "quantity": 1}]}
    rid = api.post(f"/orders/{order['id']}/returns", body).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = {"lines": [{"line_no": 1, "restock": 1}]}
    assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
    work()
    # when the mug ships
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    # then the mug's 9.50 is captured too (what was sold: 49.48), and the tee's 19.99 went back
    assert captured(order["id"]) == D("49.48")
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert (balance["ordered"], balance["captured"], balance["refunded"]) == (
        "29.49",
        "49.48",
        "19.99",
    )
    assert (balance["outstanding"], balance["overpaid"]) == ("0.00", "0.00")


def transactions(order_id: int, kind: str) -> list[tuple[str, str]]:
    return [
        (str(t.amount), t.status)
        for t in PaymentTransaction.objects.filter(payment__order_id=order_id, kind=kind).order_by(
            "id"
        )
    ]


def captured_whole_then_refunded(api, payments: list[dict]) -> dict:
    """W-1 (49.48 EUR) paid by `payments`, shipped and captured whole after the worker's
    retries, then refunded whole (two tees and the mug) and the worker run once."""
    order = api.post("/orders", order_body(payments=payments)).json()
    work()
    payments_retry_due()
    work()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    payments_retry_due()
    work()
    assert captured(order["id"]) == D("49.48")
    refund = {
        "lines": [{"line_no": 1, "quantity": 2}, {"line_no": 2, "quantity": 1}],
        "reason": "x",
    }
    assert api.post(f"/orders/{order['id']}/refunds", refund).status_code == 201
    work()
    return order


def test_a_capture_that_failed_is_in_flight_not_opened_again(api, stocked):
    # given an order paid by a card whose every call fails once (an error at the provider),
    # authorized on the worker's retry
    order = api.post("/orders", order_body(payments=[card("tok_fail_then_ok")])).json()
    work()
    assert payments_retry_due() == 1
    # and shipped whole: its capture failed, to be retried with its key
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    assert transactions(order["id"], "capture") == [("49.480", "failed")]
    # when something makes the order's captures be reckoned again before the retry (delivered)
    assert api.post(f"/fulfillment/orders/{fo}/deliver").status_code == 200
    work()
    payments_collect(order_id=order["id"])
    # then no second capture was opened: the failed one is money on its way
    assert transactions(order["id"], "capture") == [("49.480", "failed")]
    # and the retry captures it once
    assert payments_retry_due() == 1
    assert captured(order["id"]) == D("49.48")
    assert ScriptedProviderCall.objects.filter(kind="capture").count() == 1


def test_a_refund_that_failed_is_in_flight_not_refundable_again(api, stocked):
    # given an order paid by card, shipped and captured whole, and a refund of everything;
    # its card's calls fail once, so the refund's call failed
    order = captured_whole_then_refunded(api, [card("tok_fail_then_ok")])
    assert transactions(order["id"], "refund") == [("49.480", "failed")]
    # when a goodwill refund is asked before the retry
    again = api.post(f"/orders/{order['id']}/refunds", {"goodwill": "10.00", "reason": "y"})
    # then it is refused: nothing is left to refund, and nothing changed
    assert again.status_code == 409
    assert again.json()["code"] == "refund_exceeds_captured"
    assert transactions(order["id"], "refund") == [("49.480", "failed")]
    # and the retry refunds the 49.48 once
    assert payments_retry_due() == 1
    assert transactions(order["id"], "refund") == [("49.480", "succeeded")]
    assert ScriptedProviderCall.objects.filter(kind="refund").count() == 1


def test_an_exchange_after_a_refunded_return_charges_the_difference(api, stocked, shop):
    # given two tees (19.99) and a mug (9.50) paid by card, shipped and captured (49.48)
    stock(shop["wh_a"], shop["CAP"], 5)
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    # and a tee returned, received and refunded (the order is worth 29.49 now)
    body = {"location": "WH-A", "reason": "size_or_fit", "lines": [{"line_no": 1, "quantity": 1}]}
    rid = api.post(f"/orders/{order['id']}/returns", body).json()["id"]
    assert api.post(f"/returns/{rid}/approve", {}).status_code == 200
    receipt = {"lines": [{"line_no": 1, "restock": 1}]}
    assert api.post(f"/returns/{rid}/receive", receipt).status_code == 200
    work()
    assert Refund.objects.get().status == "succeeded"
    # when the mug (9.50) is exchanged for a cap at 19.99
    swap = {
        "location": "WH-A",
        "reason": "size_or_fit",
        "lines": [{"line_no": 2, "quantity": 1}],
        "new_lines": [{"sku": "CAP", "quantity": 1, "unit_price": "19.99"}],
    }
    made = api.post(f"/orders/{order['id']}/exchanges", swap)
    # then it is made, and the 10.49 difference is a new payment with the order's card: the
    # card's 49.48 covers only the 29.49 it was not refunded
    assert made.status_code == 201, made.content
    assert (made.json()["direction"], made.json()["charge"]) == ("customer_owes", "10.49")
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [D("10.49"), D("49.48")]


def test_a_declined_refund_leaves_no_credit_note_and_its_units_are_refunded_again(api, stocked):
    # given two tees and a mug paid by a card whose refunds are declined, shipped and captured
    order = api.post("/orders", order_body(payments=[card("tok_refund_decline")])).json()
    work()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    # when both tees are refunded and the card declines it
    tees = {"lines": [{"line_no": 1, "quantity": 2}], "reason": "x"}
    assert api.post(f"/orders/{order['id']}/refunds", tees).status_code == 201
    work()
    assert list(Refund.objects.values_list("status", flat=True)) == ["failed"]
    # then no credit note: nothing was given back
    assert not Invoice.objects.filter(kind="credit_note").exists()
    # when the tees are refunded again, to store credit, and the worker runs (no failure)
    again = {**tees, "to": "store_credit"}
    assert api.post(f"/orders/{order['id']}/refunds", again).status_code == 201
    work()
    # then one credit note, of the refund that gave the 39.98 back
    notes = Invoice.objects.filter(kind="credit_note")
    assert [(n.total, n.reference) for n in notes] == [
        (D("39.98"), f"refund:{Refund.objects.get(status='succeeded').pk}")
    ]


def test_a_line_cancelled_after_an_early_capture_is_refunded_despite_goodwill(api, stocked):
    # given two tees (39.98) and a mug (9.50) paid by card and captured at once by staff
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    payment = Payment.objects.get(order_id=order["id"])
    payment_capture_now(order_id=order["id"], payment_id=payment.pk, actor="staff")
    assert captured(order["id"]) == D("49.48")
    # and 5.00 of goodwill given back (a concession: it hid the overpayment once)
    got = api.post(f"/orders/{order['id']}/refunds", {"goodwill": "5.00", "reason": "late"})
    assert got.status_code == 201, got.content
    work()
    # when the mug is cancelled
    got = api.post(f"/orders/{order['id']}/cancel", {"lines": [{"line_no": 2, "quantity": 1}]})
    assert got.status_code == 200, got.content
    work()
    # then its 9.50 goes back by itself, once, and nothing is left overpaid
    refunds = Refund.objects.filter(order_id=order["id"]).order_by("id")
    assert [(r.goodwill, r.source, r.status) for r in refunds] == [
        (D("5.00"), "", "succeeded"),
        (D("9.50"), "overpaid:1", "succeeded"),
    ]
    assert payments_refund_overpaid(order_id=order["id"]) is None  # the event delivered again
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert (balance["ordered"], balance["captured"], balance["refunded"]) == (
        "39.98", "49.48", "14.50",
    )  # fmt: skip
    assert (balance["outstanding"], balance["overpaid"]) == ("0.00", "0.00")
    # and when the tees ship, their invoice is what the customer paid net, goodwill aside
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    work()
    assert [i.total for i in Invoice.objects.filter(order_id=order["id"])] == [D("39.98")]
    assert Refund.objects.filter(order_id=order["id"]).count() == 2


def test_goodwill_alone_leaves_nothing_overpaid_and_refunds_nothing_more(api, stocked):
    # given an order captured at once by staff, and 5.00 of goodwill given back
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    payment = Payment.objects.get(order_id=order["id"])
    payment_capture_now(order_id=order["id"], payment_id=payment.pk, actor="staff")
    got = api.post(f"/orders/{order['id']}/refunds", {"goodwill": "5.00", "reason": "late"})
    assert got.status_code == 201, got.content
    work()
    # when the overpayment is looked for
    refund = payments_refund_overpaid(order_id=order["id"])
    # then there is none: a concession is not an overpayment
    assert refund is None
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert (balance["refunded"], balance["overpaid"]) == ("5.00", "0.00")
    assert Refund.objects.filter(order_id=order["id"]).count() == 1


def test_the_failed_part_of_a_declined_refund_is_not_sent_again(api, stocked):
    # given an order paid by two cards: 9.50 by one whose every call fails once, the rest by
    # one whose refunds are declined; captured whole, then refunded whole: one part declined,
    # the other failed at the provider
    payments = [card("tok_fail_then_ok", amount="9.50"), card("tok_refund_decline")]
    order = captured_whole_then_refunded(api, payments)
    assert Refund.objects.get().status == "failed"
    assert sorted(transactions(order["id"], "refund")) == [
        ("39.980", "failed"),
        ("9.500", "failed"),
    ]
    # when the retry job runs
    payments_retry_due()
    work()
    # then the failed part is not sent again: no money goes back for a refund that failed
    assert sorted(transactions(order["id"], "refund")) == [
        ("39.980", "failed"),
        ("9.500", "failed"),
    ]
    assert ScriptedProviderCall.objects.filter(kind="refund").count() == 2  # each part once
