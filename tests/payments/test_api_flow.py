"""Payments through the API: authorized after capture, captured per shipment, refunded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.payments.models import Payment, PaymentTransaction, Refund
from tests.factories import order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


def money(body: dict, *keys: str) -> list[Decimal]:
    return [Decimal(str(body[k])) for k in keys]


def test_captured_order_is_authorized_by_the_worker(api, paid):
    # given an order captured with a test card, and the worker run
    order_id, _ = paid
    # when its balance is read
    body = api.get(f"/orders/{order_id}/balance").json()
    # then the whole total is authorized, nothing captured yet
    assert money(body, "ordered", "authorized", "captured", "outstanding") == [
        Decimal("49.48"),
        Decimal("49.48"),
        Decimal("0"),
        Decimal("49.48"),
    ]
    assert body["payments"][0]["status"] == "authorized"
    assert body["payments"][0]["last4"] == "4242"


def test_shipments_capture_their_units_and_the_last_the_remainder(api, paid):
    # given an authorized order of 2 tees and a mug
    order_id, fo = paid
    # when one tee ships, then the rest
    r = api.post(
        f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]}
    )
    assert r.status_code == 200, r.content
    work()
    first = api.get(f"/orders/{order_id}/balance").json()
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    last = api.get(f"/orders/{order_id}/balance").json()
    # then the first capture is one tee's money, and all captures tie out to the total
    assert Decimal(str(first["captured"])) == Decimal("19.99")
    assert [(x["line_no"], x["captured"]) for x in first["lines"]] == [
        (1, "19.99"),
        (2, "0.00"),
        (0, "0.00"),
    ]
    assert money(last, "captured", "outstanding") == [Decimal("49.48"), Decimal("0")]
    captures = PaymentTransaction.objects.filter(kind="capture", status="succeeded")
    assert sorted(t.amount for t in captures) == [Decimal("19.99"), Decimal("29.49")]
    assert sum(Decimal(str(x["captured"])) for x in last["lines"]) == Decimal("49.48")


def test_a_provider_that_captures_once_is_captured_whole_on_the_last_shipment(
    api, paid, monkeypatch
):
    # given an authorized order whose provider captures an authorization once (Stripe without
    # multicapture: a partial capture would release the rest)
    from ordino.payments.providers.scripted import ScriptedProvider

    monkeypatch.setattr(ScriptedProvider, "multicapture", False, raising=False)
    order_id, fo = paid
    # when one tee ships
    r = api.post(
        f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]}
    )
    assert r.status_code == 200, r.content
    work()
    # then nothing is captured yet
    assert not PaymentTransaction.objects.filter(kind="capture").exists()
    # when the rest ships
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    # then one capture of the whole, final
    (capture,) = PaymentTransaction.objects.filter(kind="capture")
    assert (capture.amount, capture.status) == (Decimal("49.48"), "succeeded")
    body = api.get(f"/orders/{order_id}/balance").json()
    assert money(body, "captured", "outstanding") == [Decimal("49.48"), Decimal("0")]


def test_a_repeated_event_captures_nothing_twice(api, paid):
    order_id, fo = paid
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    from ordino.payments.services import payments_collect

    # when the shipment's event is delivered again
    payments_collect(order_id=order_id)
    # then nothing more is captured
    assert PaymentTransaction.objects.filter(kind="capture").count() == 1


def test_refund_lines_and_shipping_then_sent(api, paid):
    order_id, fo = paid
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    r = api.post(
        f"/orders/{order_id}/refunds",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason": "damaged"},
    )
    assert r.status_code == 201, r.content
    assert Decimal(str(r.json()["amount"])) == Decimal("19.99")
    assert r.json()["status"] == "pending"
    work()
    body = api.get(f"/orders/{order_id}/balance").json()
    assert money(body, "captured", "refunded") == [Decimal("49.48"), Decimal("19.99")]
    assert Refund.objects.get().status == "succeeded"


def test_refund_beyond_captured_is_refused_and_changes_nothing(api, paid):
    order_id, fo = paid
    api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 2, "quantity": 1}]})
    work()
    # when more than the 9.50 captured is refunded
    r = api.post(f"/orders/{order_id}/refunds", {"goodwill": "10.00", "reason": "sorry"})
    # then 409, and nothing is recorded
    assert r.status_code == 409
    assert r.json()["code"] == "refund_exceeds_captured"
    assert Refund.objects.count() == 0
    assert PaymentTransaction.objects.filter(kind="refund").count() == 0


def test_declined_card_holds_the_work_and_a_retry_after_a_new_card(api, stocked):
    body = api.post("/orders", order_body(payments=[card("tok_decline")])).json()
    work()
    payment = Payment.objects.get()
    assert payment.status == "declined"
    fo = body["fulfillment_orders"][0]["id"]
    assert api.get(f"/fulfillment/orders/{fo}").json()["status"] == "on_hold"


def test_lost_answer_is_retried_with_the_same_key_never_charged_twice(api, stocked):
    from ordino.payments.models import ScriptedProviderCall
    from ordino.payments.services import payments_retry_due, transaction_send

    body = api.post("/orders", order_body(payments=[card("tok_lost_answer")])).json()
    work()
    txn = PaymentTransaction.objects.get()
    assert txn.status == "unknown"
    transaction_send(txn_id=txn.pk)
    txn.refresh_from_db()
    assert txn.status == "succeeded"
    assert ScriptedProviderCall.objects.count() == 1
    assert payments_retry_due() == 0
    assert api.get(f"/orders/{body['id']}/balance").json()["payments"][0]["status"] == "authorized"


def test_payment_with_a_card_number_is_refused_and_the_order_not_captured(api, stocked):
    r = api.post("/orders", order_body(payments=[card("4242424242424242")]))
    assert r.status_code == 422
    assert r.json()["code"] == "card_number_refused"
    from ordino.orders.models import Order

    assert Order.objects.count() == 0


def test_payments_over_the_total_are_refused(api, stocked):
    r = api.post("/orders", order_body(payments=[card(amount="40.00"), card(amount="10.00")]))
    assert r.status_code == 422
    assert r.json()["code"] == "payment_exceeds_total"


def test_a_new_card_after_a_decline_releases_the_held_work(api, stocked):
    # given an order whose card was declined, its work on hold
    body = api.post("/orders", order_body(payments=[card("tok_decline")])).json()
    work()
    fo = body["fulfillment_orders"][0]["id"]
    # when the customer pays with another card, authorized by the worker
    r = api.post(f"/orders/{body['id']}/payments", card("tok_approve"))
    assert r.status_code == 201, r.content
    work()
    # then the work is open again
    assert api.get(f"/fulfillment/orders/{fo}").json()["status"] == "open"
    assert Payment.objects.get(sequence=2).status == "authorized"
