"""Store credit through the API: staff give it, an order pays with it (held at capture,
redeemed per shipment, released on cancel), refunds go to it, and every refusal changes
nothing (docs/payments.md, "Store credit")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.events.models import OutboxEvent
from ordino.orders.models import OrderTimelineEntry
from ordino.payments.credit_selectors import credit_proven
from ordino.payments.models import (
    Payment,
    PaymentTransaction,
    Refund,
    StoreCreditAccount,
    StoreCreditEntry,
)
from tests.factories import make_channel, order_body
from tests.payments.conftest import SHIP, card, work

pytestmark = pytest.mark.django_db

CREDIT = {"method": "store_credit", "provider": "store_credit"}


@pytest.fixture
def ada(api, stocked) -> int:
    """The customer the test orders name (order_body's Ada), with 30.00 EUR of credit."""
    r = api.post("/customers", {"email": "ada@example.com", "first_name": "Ada"})
    assert r.status_code == 201, r.content
    customer_id = r.json()["id"]
    give = {"amount": "30.00", "currency": "EUR", "reason": "late parcel"}
    assert api.post(f"/customers/{customer_id}/store-credit", give).status_code == 201
    return customer_id


def credit(api, customer_id: int) -> dict:
    body = api.get(f"/customers/{customer_id}/store-credit").json()
    return {a["currency"]: (a["balance"], a["held"]) for a in body["accounts"]}


def counts() -> tuple[int, ...]:
    return (
        Payment.objects.count(),
        PaymentTransaction.objects.count(),
        Refund.objects.count(),
        StoreCreditEntry.objects.count(),
        OutboxEvent.objects.count(),
        OrderTimelineEntry.objects.count(),
    )


def proven() -> None:
    for account in StoreCreditAccount.objects.all():
        credit_proven(account)  # raises if the row and the entries disagree


def test_staff_give_and_take_back_credit_with_a_reason(api, ada):
    # given 30.00 given as goodwill
    # when 12.50 is taken back
    r = api.post(
        f"/customers/{ada}/store-credit",
        {"kind": "adjustment", "amount": "12.50", "currency": "eur", "reason": "typo"},
    )
    # then the entry says so and the balance is what the entries add up to
    assert r.status_code == 201, r.content
    assert (r.json()["kind"], r.json()["amount"], r.json()["balance_after"]) == (
        "adjusted", "12.50", "17.50",
    )  # fmt: skip
    body = api.get(f"/customers/{ada}/store-credit").json()
    assert body["accounts"] == [
        {"currency": "EUR", "balance": "17.50", "held": "0.00", "expiring": []}
    ]
    assert [(e["kind"], e["amount"], e["reason"]) for e in body["entries"]] == [
        ("goodwill", "30.00", "late parcel"),
        ("adjusted", "12.50", "typo"),
    ]
    assert OutboxEvent.objects.filter(name="store_credit.issued").count() == 1
    assert OutboxEvent.objects.filter(name="store_credit.adjusted").count() == 1
    proven()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"amount": "0", "currency": "EUR", "reason": "r"}, 422, "invalid_amount"),
        ({"amount": -1, "currency": "EUR", "reason": "r"}, 422, "greater_than_equal"),
        ({"amount": "-1", "currency": "EUR", "reason": "r"}, 422, "decimal_parsing"),
        ({"amount": 1.5, "currency": "EUR", "reason": "r", "extra": 1}, 422, "extra_forbidden"),
        ({"amount": "1.001", "currency": "EUR", "reason": "r"}, 422, "money_precision"),
        ({"amount": "1000001", "currency": "EUR", "reason": "r"}, 422, "amount_too_large"),
        ({"amount": "1", "currency": "XYZ", "reason": "r"}, 422, "unknown_currency"),
        ({"amount": "1", "currency": "EUR", "reason": ""}, 422, "string_too_short"),
        ({"amount": "1", "currency": "EUR", "reason": "  "}, 422, "reason_required"),
        (
            {"kind": "adjustment", "amount": "30.01", "currency": "EUR", "reason": "r"},
            422,
            "store_credit_insufficient",
        ),
        (
            {"kind": "adjustment", "amount": "1", "currency": "USD", "reason": "r"},
            422,
            "store_credit_insufficient",
        ),
    ],
)
def test_bad_issues_are_refused_and_change_nothing(api, ada, body, status, code):
    before = counts()
    r = api.post(f"/customers/{ada}/store-credit", body)
    assert r.status_code == status, r.content
    assert code in [r.json()["code"]] + [e["code"] for e in r.json().get("errors", [])]
    assert counts() == before
    assert credit(api, ada)["EUR"] == ("30.00", "0.00")


def test_an_unknown_customer_is_404(api, ada):
    r = api.get(f"/customers/{ada + 99}/store-credit")
    assert (r.status_code, r.json()["code"]) == (404, "customer_not_found")
    r = api.post(
        f"/customers/{ada + 99}/store-credit", {"amount": "1", "currency": "EUR", "reason": "r"}
    )
    assert (r.status_code, r.json()["code"]) == (404, "customer_not_found")


def test_paying_with_credit_holds_it_then_shipments_redeem_it(api, ada):
    # given 30.00 of credit
    # when an order of 49.48 is paid 30.00 by store credit and the rest by card
    order = api.post("/orders", order_body(payments=[{**CREDIT, "amount": "30.00"}, card()])).json()
    # then the credit is held at once, the payment authorized
    assert credit(api, ada)["EUR"] == ("0.00", "30.00")
    work()
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert [(p["method"], p["status"], p["authorized"]) for p in balance["payments"]] == [
        ("store_credit", "authorized", "30.00"),
        ("card", "authorized", "19.48"),
    ]
    # when everything ships
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    # then the held credit is redeemed, the card captured for the rest
    assert credit(api, ada)["EUR"] == ("0.00", "0.00")
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert [(p["method"], p["captured"]) for p in balance["payments"]] == [
        ("store_credit", "30.00"),
        ("card", "19.48"),
    ]
    kinds = list(StoreCreditEntry.objects.order_by("id").values_list("kind", "amount"))
    assert kinds == [
        ("goodwill", Decimal("30.000")),
        ("held", Decimal("30.000")),
        ("redeemed", Decimal("30.000")),
    ]
    timeline = OrderTimelineEntry.objects.filter(order_id=order["id"])
    assert {"store_credit_held", "store_credit_redeemed"} <= set(
        timeline.values_list("kind", flat=True)
    )
    proven()


def test_a_cancelled_order_releases_its_credit(api, ada):
    order = api.post("/orders", order_body(payments=[{**CREDIT, "amount": "25.00"}, card()]))
    order = order.json()
    work()
    r = api.post(f"/orders/{order['id']}/cancel", {"reason": "customer asked"})
    assert r.status_code == 200, r.content
    work()
    assert credit(api, ada)["EUR"] == ("30.00", "0.00")
    assert StoreCreditEntry.objects.filter(kind="released").get().amount == Decimal("25.000")
    proven()


def test_credit_that_does_not_cover_the_payment_is_refused(api, ada):
    before = counts()
    r = api.post("/orders", order_body(payments=[{**CREDIT, "amount": "30.01"}, card()]))
    assert (r.status_code, r.json()["code"]) == (422, "store_credit_insufficient")
    assert r.json()["errors"][0]["field"] == "payments.0.amount"
    assert counts() == before
    assert credit(api, ada)["EUR"] == ("30.00", "0.00")


def test_credit_needs_its_own_provider_and_a_customer(api, ada):
    before = counts()
    wrong = {"method": "store_credit", "provider": "offline"}
    r = api.post("/orders", order_body(payments=[wrong]))
    assert (r.status_code, r.json()["code"]) == (422, "provider_mismatch")
    r = api.post("/orders", order_body(customer=None, payments=[{**CREDIT, "amount": "1.00"}]))
    assert (r.status_code, r.json()["code"]) == (422, "customer_required")
    assert counts() == before


def test_a_payment_added_later_with_credit(api, ada):
    # given 25.00 of credit, and an order of 49.48 paid 19.48 by card
    take = {"kind": "adjustment", "amount": "5", "currency": "EUR", "reason": "r"}
    api.post(f"/customers/{ada}/store-credit", take)
    order = api.post("/orders", order_body(payments=[card(amount="19.48")])).json()
    # when the rest, 30.00, is added as store credit: refused, nothing written
    before = counts()
    r = api.post(f"/orders/{order['id']}/payments", CREDIT)
    assert (r.status_code, r.json()["code"]) == (422, "store_credit_insufficient")
    assert counts() == before
    # when 25.00 is: held and authorized at once
    r = api.post(f"/orders/{order['id']}/payments", {**CREDIT, "amount": "25"})
    assert (r.status_code, r.json()["status"]) == (201, "authorized")
    assert credit(api, ada)["EUR"] == ("0.00", "25.00")


def test_a_refund_to_store_credit_issues_it_without_a_provider(api, ada):
    # given an order paid by card only, shipped and captured
    order = api.post("/orders", order_body(payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    # when a tee is refunded to store credit
    r = api.post(
        f"/orders/{order['id']}/refunds",
        {"lines": [{"line_no": 1, "quantity": 1}], "reason": "too small", "to": "store_credit"},
    )
    # then it succeeded at once, counts against the card's capture, and the credit grew
    assert r.status_code == 201, r.content
    assert (r.json()["status"], r.json()["to"], r.json()["amount"]) == (
        "succeeded", "store_credit", "19.99",
    )  # fmt: skip
    assert credit(api, ada)["EUR"] == ("49.99", "0.00")
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert balance["payments"][0]["refunded"] == "19.99"
    issued = StoreCreditEntry.objects.get(kind="issued")
    assert (issued.order_id, issued.refund_id) == (order["id"], r.json()["id"])
    assert OutboxEvent.objects.filter(name="refund.succeeded").count() == 1
    # and what was captured still bounds it
    before = counts()
    r = api.post(
        f"/orders/{order['id']}/refunds",
        {"goodwill": "29.50", "reason": "r", "to": "store_credit"},
    )
    assert (r.status_code, r.json()["code"]) == (409, "refund_exceeds_captured")
    assert counts() == before
    proven()


def test_refunds_take_the_card_first_and_store_credit_last(api, ada):
    # given an order paid 30.00 by credit and 19.48 by card, all captured
    order = api.post("/orders", order_body(payments=[{**CREDIT, "amount": "30.00"}, card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    # when 25.00 is refunded to the original payments
    r = api.post(f"/orders/{order['id']}/refunds", {"goodwill": "25.00", "reason": "sorry"})
    assert r.status_code == 201
    work()
    # then the card takes 19.48 and the credit's 5.52 goes back to store credit
    balance = api.get(f"/orders/{order['id']}/balance").json()
    assert [(p["method"], p["refunded"]) for p in balance["payments"]] == [
        ("store_credit", "5.52"),
        ("card", "19.48"),
    ]
    assert credit(api, ada)["EUR"] == ("5.52", "0.00")
    assert Refund.objects.get().status == "succeeded"
    proven()


def test_a_refund_to_credit_of_an_order_without_customer_is_refused(api, stocked):
    order = api.post("/orders", order_body(customer=None, payments=[card()])).json()
    work()
    api.post(f"/fulfillment/orders/{order['fulfillment_orders'][0]['id']}/ship", SHIP)
    work()
    before = counts()
    r = api.post(
        f"/orders/{order['id']}/refunds", {"goodwill": "1.00", "reason": "r", "to": "store_credit"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "customer_required")
    assert r.json()["errors"][0]["field"] == "to"
    assert counts() == before


@pytest.mark.parametrize(
    ("currency", "amount", "code"),
    [("JPY", "1.5", "money_precision"), ("KWD", "1.0005", "money_precision")],
)
def test_credit_in_currencies_with_0_and_3_decimals(api, ada, currency, amount, code):
    ok = {"JPY": "1500", "KWD": "1.250"}[currency]
    r = api.post(f"/customers/{ada}/store-credit", {"amount": ok, "currency": currency,
                                                     "reason": "r"})  # fmt: skip
    assert (r.status_code, r.json()["balance_after"]) == (201, ok)
    r = api.post(f"/customers/{ada}/store-credit", {"amount": amount, "currency": currency,
                                                     "reason": "r"})  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, code)
    assert credit(api, ada)[currency] == (ok, "0" if currency == "JPY" else "0.000")


def test_each_shipment_redeems_its_share_of_the_held_credit(api, ada):
    # given 49.48 of credit and an order paid by it alone
    more = {"amount": "19.48", "currency": "EUR", "reason": "r"}
    assert api.post(f"/customers/{ada}/store-credit", more).status_code == 201
    order = api.post("/orders", order_body(payments=[CREDIT])).json()
    fo = order["fulfillment_orders"][0]["id"]
    work()
    # when one tee ships, then the rest
    api.post(f"/fulfillment/orders/{fo}/ship", {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]})
    work()
    first = credit(api, ada)["EUR"]
    api.post(f"/fulfillment/orders/{fo}/ship", SHIP)
    work()
    # then the first redeems the tee's 19.99, the last the remainder
    assert first == ("0.00", "29.49")
    assert credit(api, ada)["EUR"] == ("0.00", "0.00")
    redeemed = StoreCreditEntry.objects.filter(kind="redeemed").order_by("id")
    assert [e.amount for e in redeemed] == [Decimal("19.990"), Decimal("29.490")]
    proven()


def test_credit_in_another_currency_does_not_pay(api, ada):
    # given 30.00 EUR of credit and a shop in JPY
    make_channel("jp", currency="JPY")
    before = counts()
    body = order_body("J-1", channel="jp", currency="JPY",
                      lines=[{"sku": "TEE", "quantity": 1, "unit_price": "1500"}])  # fmt: skip
    r = api.post("/orders", {**body, "payments": [{**CREDIT, "amount": "100"}]})
    assert (r.status_code, r.json()["code"]) == (422, "store_credit_insufficient")
    assert counts() == before
