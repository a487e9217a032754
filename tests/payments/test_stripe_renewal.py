"""Stripe authorizations renewed before they lapse (`ordino payments renew`, the worker's hourly
job; docs/payments.md, "Authorizations that lapse"): a new PaymentIntent and the old one
released; what shipped captured and the rest asked for again as a new payment; a decline or a
storefront's intent opens an `authorization_expiring` case. Stripe's answers are recorded
(tests/payments/providers/recorded): no network."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from ordino.cases.models import Case
from ordino.core.domain.clock import utcnow
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import OrderTimelineEntry
from ordino.payments.models import Payment, PaymentTransaction
from ordino.payments.providers import registry
from tests.payments.conftest import SHIP, work
from tests.payments.providers.replay import PI, ReplayHTTPClient, provider, recorded
from tests.payments.providers.test_stripe_webhooks import SECRET
from tests.payments.test_stripe_webhook_route import (
    balance,
    book,
    deliver,
    event,
    intent,
    ok,
    stripe_order,
)

pytestmark = pytest.mark.django_db
OLD = "pi_3QwOld2eZvKYlo2C0Zz9yX8w"  # the intent authorized a week ago


@pytest.fixture
def answers(monkeypatch):
    client = ReplayHTTPClient()
    monkeypatch.setitem(registry.PROVIDERS, "stripe", lambda: provider(client))
    return client


@pytest.fixture
def order(api, shop):
    return stripe_order(api, shop)


def lapsing(order_id: int, token: str = "pm_card_visa") -> Payment:
    """The order's Stripe payment, authorized on OLD, lapsing in 12 hours."""
    payment = Payment.objects.get(order_id=order_id)
    Payment.objects.filter(pk=payment.pk).update(reference=OLD, token=token)
    book(payment, "authorize", "49.48", reference=OLD)
    Payment.objects.filter(pk=payment.pk).update(
        authorization_expires_at=utcnow() + timedelta(hours=12)
    )
    return Payment.objects.get(pk=payment.pk)


def renew() -> str:
    out = StringIO()
    call_command("payments", "renew", stdout=out)
    return out.getvalue().strip()


def calls(payment: Payment) -> list[tuple[str, str, str]]:
    rows = PaymentTransaction.objects.filter(payment=payment).order_by("id")
    return [(t.kind, str(t.amount), t.status) for t in rows]


def test_an_unshipped_order_gets_a_new_intent_and_the_old_one_is_released(
    api, client, order, answers, settings
):
    # given a Stripe authorization lapsing in 12 hours, nothing shipped
    payment = lapsing(order)
    answers.answers += [recorded("authorize_eur"), recorded("void")]
    # when the renewal runs (twice)
    assert renew() == "Re-authorized 1 payment(s)."
    assert renew() == "Re-authorized 0 payment(s)."
    # then a new PaymentIntent for what it held, off-session, with its own key
    create, cancel = answers.sent
    assert (create.method, create.path) == ("post", "/v1/payment_intents")
    assert (create.form["amount"], create.form["payment_method"]) == ("4948", "pm_card_visa")
    assert (create.form["capture_method"], create.form["off_session"]) == ("manual", "true")
    renewal = PaymentTransaction.objects.get(payment=payment, kind="reauthorize")
    assert create.headers["Idempotency-Key"] == renewal.idempotency_key
    # and the replaced intent released: a void of nothing, to the old intent, with its key
    assert (cancel.method, cancel.path) == ("post", f"/v1/payment_intents/{OLD}/cancel")
    release = PaymentTransaction.objects.get(payment=payment, kind="void")
    assert cancel.headers["Idempotency-Key"] == release.idempotency_key
    assert calls(payment) == [
        ("authorize", "49.480", "succeeded"),
        ("reauthorize", "49.480", "succeeded"),
        ("void", "0.000", "succeeded"),
    ]
    # and the payment holds the same money on the new intent, lapsing on its charge's
    # capture_before
    payment.refresh_from_db()
    assert (payment.reference, payment.status) == (PI, "authorized")
    # (the recorded charge's capture_before)
    assert payment.authorization_expires_at == datetime(2025, 12, 8, 2, 0, tzinfo=UTC)
    money = balance(api, order)
    assert (money["authorized"], money["voided"], money["payments"][0]["open"]) == (
        "49.48", "0.00", "49.48",
    )  # fmt: skip
    note = OrderTimelineEntry.objects.filter(order_id=order, kind="payment_voided").get()
    assert note.message == "Released the replaced authorization of payment 1 (card)."
    # and Stripe's event for the old intent's cancellation releases nothing more
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = SECRET
    told = ok(deliver(client, event("payment_intent.canceled", intent("canceled", id=OLD))))
    assert told["outcome"] == "already_booked"
    assert balance(api, order)["payments"][0]["open"] == "49.48"


def test_what_shipped_is_captured_and_the_rest_asked_for_again(api, order, answers):
    # given a Stripe authorization (no multicapture) lapsing with one tee shipped of three
    # units: Stripe captures once, so nothing was captured at the shipment
    payment = lapsing(order)
    fo = FulfillmentOrder.objects.get(order_id=order)
    part = {**SHIP, "lines": [{"line_no": 1, "quantity": 1}]}
    assert api.post(f"/fulfillment/orders/{fo.pk}/ship", part).status_code == 200
    work()
    assert answers.sent == []
    answers.answers += [recorded("capture_partial"), recorded("void_after_capture")]
    # when the renewal runs
    assert renew() == "Re-authorized 1 payment(s)."
    # then the shipped tee is captured by the final capture (no final_capture=false), the rest
    # released with it (Stripe's cancel answers that nothing is left: succeeded)
    capture, cancel = answers.sent
    assert capture.path == f"/v1/payment_intents/{OLD}/capture"
    assert capture.form["amount_to_capture"] == "1999"
    assert "final_capture" not in capture.form
    assert cancel.path == f"/v1/payment_intents/{OLD}/cancel"
    assert calls(payment) == [
        ("authorize", "49.480", "succeeded"),
        ("capture", "19.990", "succeeded"),
        ("void", "29.490", "succeeded"),
    ]
    # and the rest is a new payment of the order, authorized by the worker on a new intent
    fresh = Payment.objects.get(order_id=order, sequence=2)
    assert (fresh.method, fresh.provider, fresh.token, str(fresh.amount)) == (
        "card", "stripe", "pm_card_visa", "29.490",
    )  # fmt: skip
    answers.answers.append(recorded("authorize_eur"))
    work()
    assert answers.sent[-1].path == "/v1/payment_intents"
    assert answers.sent[-1].form["amount"] == "2949"
    money = balance(api, order)
    assert (money["authorized"], money["captured"], money["voided"]) == (
        "78.97", "19.99", "29.49",
    )  # fmt: skip
    assert [p["open"] for p in money["payments"]] == ["0.00", "29.49"]
    assert money["outstanding"] == "29.49"


def test_a_declined_renewal_opens_an_authorization_expiring_case(api, order, answers):
    # given a lapsing authorization whose card is now declined
    payment = lapsing(order)
    answers.answers.append(recorded("authorize_card_declined"))
    # when the renewal runs, and the worker delivers its events
    renew()
    work()
    # then the renewal is declined, the old intent kept (nothing released), one case opened
    assert calls(payment) == [
        ("authorize", "49.480", "succeeded"),
        ("reauthorize", "49.480", "failed"),
    ]
    assert len(answers.sent) == 1
    case = Case.objects.get(type__code="authorization_expiring")
    assert (case.order_id, case.payment_id, case.status) == (order, payment.pk, "new")
    assert "lapses before the goods ship" in case.title
    assert "insufficient funds" in case.title
    # and the next run does not ask Stripe again
    renew()
    work()
    assert len(answers.sent) == 1
    assert Case.objects.filter(type__code="authorization_expiring").count() == 1


def test_a_storefronts_intent_cannot_be_renewed_a_person_is_asked(api, order, answers):
    # given a lapsing authorization on an intent the storefront confirmed (its pi_ token)
    payment = lapsing(order, token=OLD)
    # when the renewal runs (twice)
    renew()
    renew()
    work()
    # then nothing is sent to Stripe; one case, the timeline says why
    assert answers.sent == []
    assert calls(payment) == [("authorize", "49.480", "succeeded")]
    case = Case.objects.get(type__code="authorization_expiring")
    assert "the storefront's PaymentIntent needs the customer" in case.title
    note = OrderTimelineEntry.objects.get(order_id=order, kind="payment_authorization_expiring")
    assert note.message == (
        "The authorization of €49.48 on payment 1 (card) lapses soon and could not be renewed "
        "(the storefront's PaymentIntent needs the customer)."
    )


def test_a_renewal_is_resolved_by_the_next_authorization(api, order, answers):
    # given a declined renewal's case
    lapsing(order)
    answers.answers += [recorded("authorize_card_declined")]
    renew()
    work()
    case = Case.objects.get(type__code="authorization_expiring")
    # when the payment is authorized again (a later renewal: a week passed)
    Payment.objects.filter(order_id=order).update(
        authorization_expires_at=datetime(2000, 1, 1, tzinfo=UTC)
    )
    PaymentTransaction.objects.filter(kind="reauthorize").update(
        created_at=utcnow() - timedelta(days=3)
    )
    answers.answers += [recorded("authorize_eur"), recorded("void")]
    renew()
    work()
    # then the case resolved itself
    case.refresh_from_db()
    assert case.status == "resolved"
