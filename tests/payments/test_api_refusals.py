"""What the payments API refuses, exactly, and that a refusal changes nothing."""

from __future__ import annotations

import pytest

from ordino.events.models import OutboxEvent
from ordino.orders.models import OrderTimelineEntry
from ordino.payments.models import Payment, PaymentTransaction, Refund
from tests.factories import make_token, order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Payment.objects.count(),
        PaymentTransaction.objects.count(),
        Refund.objects.count(),
        OutboxEvent.objects.count(),
        OrderTimelineEntry.objects.count(),
    )


def test_refunding_unshipped_units_is_refused(api, paid):
    order_id, fo = paid
    api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    work()
    before = _counts()
    r = api.post(
        f"/orders/{order_id}/refunds", {"lines": [{"line_no": 1, "quantity": 2}], "reason": "r"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "refund_exceeds_units")
    assert _counts() == before


def test_refunding_more_shipping_than_paid_is_refused(api, stocked):
    order = api.post("/orders", order_body(shipping_price="4.90", payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    before = _counts()
    r = api.post(f"/orders/{order['id']}/refunds", {"shipping": "4.91", "reason": "r"})
    assert (r.status_code, r.json()["code"]) == (422, "refund_exceeds_shipping")
    assert _counts() == before
    ok = api.post(f"/orders/{order['id']}/refunds", {"shipping": "4.90", "reason": "r"})
    assert ok.status_code == 201


def test_an_empty_refund_and_an_unknown_line_are_refused(api, paid):
    order_id, _ = paid
    before = _counts()
    r = api.post(f"/orders/{order_id}/refunds", {"reason": "r"})
    assert (r.status_code, r.json()["code"]) == (422, "refund_empty")
    r = api.post(
        f"/orders/{order_id}/refunds", {"lines": [{"line_no": 9, "quantity": 1}], "reason": "r"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "unknown_line")
    assert _counts() == before


@pytest.mark.parametrize(
    "body",
    [
        {"goodwill": True, "reason": "r"},
        {"goodwill": "1.001", "reason": "r"},
        {"goodwill": "-1", "reason": "r"},
        {"goodwill": "1"},
        {"goodwill": "1", "reason": "r", "amount": "1"},
        {"lines": [{"line_no": "1", "quantity": 1}], "reason": "r"},
    ],
)
def test_malformed_refunds_are_422_and_change_nothing(api, paid, body):
    order_id, _ = paid
    before = _counts()
    r = api.post(f"/orders/{order_id}/refunds", body)
    assert r.status_code == 422, r.content
    assert r["Content-Type"] == "application/problem+json"
    assert _counts() == before


@pytest.mark.parametrize(
    ("payment", "code"),
    [
        ({"method": "card", "provider": "test"}, "token_required"),
        (
            {"method": "card", "provider": "test", "token": "4111 1111 1111 1111"},
            "card_number_refused",
        ),
        ({"method": "card", "provider": "test", "token": "t", "last4": "42a2"}, "validation_error"),
        ({"method": "cheque", "provider": "offline"}, "validation_error"),
        (
            {"method": "card", "provider": "test", "token": "t", "amount": "0"},
            "invalid_amount",
        ),
    ],
)
def test_malformed_payments_are_refused_and_change_nothing(api, stocked, payment, code):
    order = api.post("/orders", order_body()).json()
    before = _counts()
    r = api.post(f"/orders/{order['id']}/payments", payment)
    assert (r.status_code, r.json()["code"]) == (422, code)
    assert _counts() == before


def test_a_read_only_token_may_read_the_balance_but_not_refund(client, api, paid):
    from tests.conftest import ApiClient

    order_id, _ = paid
    reader = ApiClient(client, make_token("orders:read", name="reader"))
    assert reader.get(f"/orders/{order_id}/balance").status_code == 200
    r = reader.post(f"/orders/{order_id}/refunds", {"goodwill": "1", "reason": "r"})
    assert (r.status_code, r.json()["code"]) == (403, "insufficient_scope")


def test_a_declined_payment_retried_through_the_api_is_tried_anew(api, stocked):
    order = api.post("/orders", order_body(payments=[card("tok_decline")])).json()
    work()
    payment = Payment.objects.get()
    r = api.post(f"/orders/{order['id']}/payments/{payment.pk}/retry")
    assert (r.status_code, r.json()["status"]) == (202, "declined")
    work()
    keys = list(PaymentTransaction.objects.values_list("idempotency_key", flat=True))
    assert len(set(keys)) == 2  # a new authorization, with a key of its own
