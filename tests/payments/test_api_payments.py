"""Adding payments later, retrying, releasing on cancellation, and money in JPY and KWD."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.orders.models import OrderTimelineEntry
from ordino.payments.models import Payment, PaymentTransaction
from ordino.payments.services import payments_retry_due
from tests.factories import make_channel, order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


def test_a_bank_transfer_added_later_is_authorized_by_the_worker(api, stocked):
    # given an order captured without payments
    order = api.post("/orders", order_body()).json()
    # when a bank transfer of the whole total is added
    r = api.post(
        f"/orders/{order['id']}/payments", {"method": "bank_transfer", "provider": "offline"}
    )
    # then it is pending, for the whole total, and authorized once the worker ran
    assert r.status_code == 201, r.content
    assert (r.json()["amount"], r.json()["status"]) == ("49.48", "pending")
    work()
    assert Payment.objects.get().status == "authorized"


def test_a_payment_beyond_what_is_left_is_refused_and_changes_nothing(api, stocked):
    order = api.post("/orders", order_body(payments=[card(amount="40.00")])).json()
    r = api.post(
        f"/orders/{order['id']}/payments",
        {"method": "card", "provider": "test", "token": "tok_approve", "amount": "9.49"},
    )
    assert r.status_code == 422
    assert r.json()["code"] == "payment_exceeds_total"
    assert Payment.objects.count() == 1


def test_the_marketplace_s_payment_is_captured_at_once(api, stocked):
    order = api.post(
        "/orders", order_body(payments=[{"method": "marketplace", "provider": "offline"}])
    ).json()
    work()
    body = api.get(f"/orders/{order['id']}/balance").json()
    assert (body["captured"], body["outstanding"]) == ("49.48", "0.00")


def test_cancelling_releases_the_authorization(api, stocked):
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/orders/{order['id']}/cancel", {"reason": "customer"})
    work()
    body = api.get(f"/orders/{order['id']}/balance").json()
    assert (body["ordered"], body["voided"]) == ("0.00", "49.48")
    assert body["payments"][0]["status"] == "voided"


def test_cancelling_a_line_releases_its_share_and_the_rest_is_captured_on_shipping(api, stocked):
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(
        f"/orders/{order['id']}/cancel", {"reason": "r", "lines": [{"line_no": 2, "quantity": 1}]}
    )
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    body = api.get(f"/orders/{order['id']}/balance").json()
    assert (body["ordered"], body["captured"], body["voided"]) == ("39.98", "39.98", "9.50")


def test_a_failed_call_is_retried_by_the_worker_with_the_same_key(api, stocked):
    api.post("/orders", order_body(payments=[card("tok_fail_then_ok")]))
    work()
    txn = PaymentTransaction.objects.get()
    assert txn.status == "failed"
    key = txn.idempotency_key
    # when the worker's periodic job runs
    assert payments_retry_due() == 1
    txn.refresh_from_db()
    assert (txn.status, txn.idempotency_key, txn.attempts) == ("succeeded", key, 2)


def test_retry_with_nothing_waiting_is_409(api, paid):
    order_id, _ = paid
    payment = Payment.objects.get()
    r = api.post(f"/orders/{order_id}/payments/{payment.pk}/retry")
    assert r.status_code == 409
    assert r.json()["code"] == "nothing_to_retry"


def test_a_retry_of_another_order_s_payment_is_404(api, paid, stocked):
    other = api.post("/orders", order_body("W-2")).json()
    payment = Payment.objects.get()
    r = api.post(f"/orders/{other['id']}/payments/{payment.pk}/retry")
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("currency", "price", "one_tee"), [("JPY", "1999", "1999"), ("KWD", "1.999", "1.999")]
)
def test_captures_and_refunds_in_0_and_3_decimal_currencies(api, stocked, currency, price, one_tee):
    make_channel(f"shop-{currency.lower()}", currency=currency)
    lines = [{"sku": "TEE", "quantity": 3, "unit_price": price}]
    order = api.post(
        "/orders",
        order_body(channel=f"shop-{currency.lower()}", currency=currency, lines=lines,
                   payments=[card()]),
    ).json()  # fmt: skip
    work()
    fo = order["fulfillment_orders"][0]["id"]
    api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    work()
    assert api.get(f"/orders/{order['id']}/balance").json()["captured"] == one_tee
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    r = api.post(
        f"/orders/{order['id']}/refunds", {"lines": [{"line_no": 1, "quantity": 3}], "reason": "r"}
    )
    assert r.status_code == 201, r.content
    work()
    body = api.get(f"/orders/{order['id']}/balance").json()
    total = str(Decimal(price) * 3)
    assert (body["captured"], body["refunded"]) == (total, total)


def test_a_retry_asked_for_is_on_the_timeline_with_who_asked(api, stocked):
    # given a call that failed
    order = api.post("/orders", order_body(payments=[card("tok_fail_then_ok")])).json()
    work()
    payment = Payment.objects.get()
    # when someone asks for a retry
    r = api.post(f"/orders/{order['id']}/payments/{payment.pk}/retry")
    assert r.status_code == 202, r.content
    # then the order's timeline keeps who asked (the worker sends it later as the system)
    row = OrderTimelineEntry.objects.get(order_id=order["id"], kind="payment_retry_requested")
    assert (row.actor, row.message, row.data) == (
        "token:admin",
        "Retry of payment 1 requested.",
        {"payment_id": payment.pk},
    )
