"""POST /api/v1/payments/webhooks/stripe: signed (no token), recorded once per Stripe event id,
applied to the payment it is about without double-booking what Ordino's calls booked
(docs/payments-stripe.md, "Webhooks"). The events are written here after the shapes of Stripe's
API reference (Event, PaymentIntent, Charge, Dispute) and signed by the test: no network."""

from __future__ import annotations

import json
from decimal import Decimal
from itertools import count

import pytest

from ordino.core.domain.clock import utcnow
from ordino.events.models import OutboxEvent
from ordino.fulfillment.models import FulfillmentOrder
from ordino.orders.models import OrderTimelineEntry
from ordino.payments.models import Payment, PaymentTransaction, Refund, StripeWebhookEvent
from ordino.payments.services.common import payment_status_refresh
from tests.factories import order_body
from tests.payments.conftest import work
from tests.payments.providers.test_stripe_webhooks import SECRET, sign

pytestmark = pytest.mark.django_db

PATH = "/api/v1/payments/webhooks/stripe"
PI = "pi_3QyWbH2eZvKYlo2C1u8Zx0aB"
CH = "ch_3QyWbH2eZvKYlo2C1pXr4TqN"
DISPUTE = "du_1QyWbK2eZvKYlo2CkT3m9VbE"
_ids = count(1)


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = SECRET


def stripe_order(api, shop) -> int:
    """A 49.48 EUR order (two tees, a mug) paid by one Stripe card, not authorized yet."""
    from tests.factories import stock

    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    payments = [{"method": "card", "provider": "stripe", "token": "pm_card_visa"}]
    body = api.post("/orders", order_body(payments=payments)).json()
    return body["id"]


@pytest.fixture
def order(api, shop):
    return stripe_order(api, shop)


def payment_of(order_id: int) -> Payment:
    return Payment.objects.get(order_id=order_id)


def book(payment: Payment, kind: str, amount: str, status: str = "succeeded", **extra):
    """A transaction as the worker would have left it (its call answered, or not)."""
    n = PaymentTransaction.objects.filter(payment=payment, kind=kind).count() + 1
    txn = PaymentTransaction.objects.create(
        payment=payment, kind=kind, amount=Decimal(amount), status=status,
        idempotency_key=f"ordino-{payment.order_id}-{payment.pk}-{kind}-{n}",
        created_at=utcnow(), finished_at=utcnow() if status == "succeeded" else None, **extra,
    )  # fmt: skip
    payment_status_refresh(payment, utcnow())
    return txn


def authorized(order_id: int) -> Payment:
    payment = payment_of(order_id)
    Payment.objects.filter(pk=payment.pk).update(reference=PI)
    book(payment, "authorize", "49.48")
    return payment_of(order_id)


def event(event_type: str, obj: dict, event_id: str | None = None) -> bytes:
    body = {
        "id": event_id or f"evt_3QyWbH2eZvKYlo2C{next(_ids):08d}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": int(utcnow().timestamp()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    return json.dumps(body).encode()


def intent(status: str, **fields) -> dict:
    return {
        "id": PI, "object": "payment_intent", "amount": 4948, "amount_capturable": 0,
        "amount_received": 0, "capture_method": "manual", "currency": "eur",
        "latest_charge": CH, "metadata": {}, "status": status, **fields,
    }  # fmt: skip


def charge(**fields) -> dict:
    return {
        "id": CH, "object": "charge", "amount": 4948, "amount_captured": 4948,
        "amount_refunded": 0, "captured": True, "currency": "eur", "payment_intent": PI,
        "refunded": False, "status": "succeeded", **fields,
    }  # fmt: skip


def dispute(status: str, amount: int = 4948) -> dict:
    return {
        "id": DISPUTE, "object": "dispute", "amount": amount, "charge": CH, "currency": "eur",
        "evidence_details": {"due_by": 1767225599, "has_evidence": False, "past_due": False,
                             "submission_count": 0},
        "is_charge_refundable": False, "livemode": False, "metadata": {},
        "payment_intent": PI, "reason": "product_not_received", "status": status,
    }  # fmt: skip


def deliver(client, body: bytes, signature: str | None = "sign"):
    headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": sign(body)}
    if signature not in ("sign", None):
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return client.post(PATH, data=body, content_type="application/json", **headers)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def balance(api, order_id: int) -> dict:
    return api.get(f"/orders/{order_id}/balance").json()


def txns(payment: Payment, kind: str) -> list[tuple[str, str]]:
    rows = PaymentTransaction.objects.filter(payment=payment, kind=kind).order_by("id")
    return [(str(t.amount), t.status) for t in rows]


# ----------------------------------------------------------------------------- the door


def test_a_bad_signature_is_a_400_problem_and_stores_nothing(client, order):
    # given an authorized payment and a body signed with another secret
    payment = authorized(order)
    body = event("payment_intent.canceled", intent("canceled"))
    forged = sign(body, "whsec_someone_else")
    # when delivered
    response = deliver(client, body, forged)
    # then 400 problem+json on the signature, and nothing recorded or changed
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "stripe_signature_invalid"
    assert response.json()["errors"][0]["field"] == "Stripe-Signature"
    assert StripeWebhookEvent.objects.count() == 0
    assert txns(payment, "void") == []
    assert payment_of(order).status == "authorized"


def test_no_signature_at_all_is_a_400_even_with_a_token(client, api, order):
    body = event("payment_intent.canceled", intent("canceled"))
    response = client.post(PATH, data=body, content_type="application/json", **api.headers)
    assert (response.status_code, response.json()["code"]) == (400, "stripe_signature_invalid")
    assert StripeWebhookEvent.objects.count() == 0


def test_without_a_signing_secret_it_is_a_503(client, order, settings):
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = ""
    response = deliver(client, event("payment_intent.canceled", intent("canceled")))
    assert (response.status_code, response.json()["code"]) == (503, "stripe_webhook_unconfigured")
    assert StripeWebhookEvent.objects.count() == 0


def test_an_unknown_event_type_is_recorded_and_ignored_once(client, order):
    # given an event Ordino does not act on
    body = event("customer.created", {"id": "cus_RqP0x1Wz", "object": "customer"}, "evt_1Unkn0wn")
    # when delivered twice
    first, again = ok(deliver(client, body)), ok(deliver(client, body))
    # then 200 both times, recorded once, ignored
    assert (first["outcome"], first["duplicate"]) == ("ignored", False)
    assert (again["outcome"], again["duplicate"]) == ("ignored", True)
    assert list(StripeWebhookEvent.objects.values_list("event_id", "outcome")) == [
        ("evt_1Unkn0wn", "ignored")
    ]


def test_an_event_about_no_payment_of_ordino_is_unmatched(client, order):
    body = event("payment_intent.canceled", intent("canceled", id="pi_someone_elses"))
    assert ok(deliver(client, body))["outcome"] == "unmatched"
    assert txns(payment_of(order), "void") == []


# ----------------------------------------------------------------------------- authorization


def test_an_authorization_stripe_was_processing_is_settled_once(client, api, order):
    # given an authorization whose call answered "processing" (unknown), reference known
    payment = payment_of(order)
    book(payment, "authorize", "49.48", "unknown", reference=PI)
    body = event("payment_intent.amount_capturable_updated",
                 intent("requires_capture", amount_capturable=4948))  # fmt: skip
    # when Stripe tells it holds the money, delivered twice, and told again by another event
    first = ok(deliver(client, body))
    again = ok(deliver(client, body))
    other = ok(
        deliver(client, event("payment_intent.amount_capturable_updated",
                              intent("requires_capture", amount_capturable=4948))))  # fmt: skip
    # then the one authorization succeeded, once; the payment is authorized on that intent
    assert (first["outcome"], again["duplicate"], other["outcome"]) == (
        "authorized", True, "already_booked",
    )  # fmt: skip
    assert txns(payment, "authorize") == [("49.480", "succeeded")]
    assert payment_of(order).status == "authorized"
    assert payment_of(order).reference == PI
    assert balance(api, order)["authorized"] == "49.48"


def test_what_shipped_meanwhile_is_captured_once_the_authorization_is_confirmed(client, api, order):
    # given an authorization Stripe was still processing when every unit shipped
    payment = payment_of(order)
    book(payment, "authorize", "49.48", "unknown", reference=PI)
    fo = FulfillmentOrder.objects.get(order_id=order)
    parcel = {"carrier": "DHL", "tracking_numbers": ["JD1"]}
    shipped = api.post(f"/fulfillment/orders/{fo.pk}/ship", parcel)
    assert shipped.status_code == 200, shipped.content
    work()
    assert txns(payment, "capture") == []  # nothing authorized yet: nothing to capture
    # when Stripe confirms it, and the worker runs
    body = event("payment_intent.amount_capturable_updated",
                 intent("requires_capture", amount_capturable=4948))  # fmt: skip
    assert ok(deliver(client, body))["outcome"] == "authorized"
    assert OutboxEvent.objects.filter(name="payment.confirmed", aggregate_id=order).count() == 1
    work()
    # then the whole order is captured: one capture call, sent to Stripe (not configured
    # here: failed, to retry with its key)
    assert [a for a, _ in txns(payment, "capture")] == ["49.480"]


def test_a_failed_authorization_is_declined_and_holds_the_order(client, order):
    # given an authorization still in flight, found by the key Ordino wrote in the metadata
    payment = payment_of(order)
    txn = book(payment, "authorize", "49.48", "unknown")
    obj = intent("requires_payment_method", id="pi_not_known_yet",
                 metadata={"ordino_idempotency_key": txn.idempotency_key},
                 last_payment_error={"message": "Your card was declined."})  # fmt: skip
    # when Stripe says it failed
    assert ok(deliver(client, event("payment_intent.payment_failed", obj)))["outcome"] == (
        "declined"
    )
    # then declined with Stripe's words, the work on hold, payment.declined emitted
    assert payment_of(order).status == "declined"
    assert PaymentTransaction.objects.get(pk=txn.pk).error == "Your card was declined."
    statuses = FulfillmentOrder.objects.filter(order_id=order).values_list("status", flat=True)
    assert set(statuses) == {"on_hold"}
    assert OutboxEvent.objects.filter(name="payment.declined", aggregate_id=order).count() == 1


def test_a_canceled_authorization_releases_what_it_held(client, api, order):
    # given an authorized payment (nothing in flight): the authorization lapsed at Stripe
    payment = authorized(order)
    # when Stripe says the intent is canceled
    assert (
        ok(deliver(client, event("payment_intent.canceled", intent("canceled"))))["outcome"]
        == "released"
    )
    # then what it held is released once: a void, the payment voided
    assert txns(payment, "void") == [("49.480", "succeeded")]
    assert payment_of(order).status == "voided"
    again = ok(deliver(client, event("payment_intent.canceled", intent("canceled"))))
    assert again["outcome"] == "already_booked"
    assert txns(payment, "void") == [("49.480", "succeeded")]


# ----------------------------------------------------------------------------- captures


def test_a_capture_whose_answer_was_lost_is_settled_not_booked_twice(client, api, order):
    # given an authorized payment whose capture call got no answer (unknown)
    payment = authorized(order)
    capture = book(payment, "capture", "49.48", "unknown")
    # when Stripe says the intent succeeded with all of it received
    body = event("payment_intent.succeeded", intent("succeeded", amount_received=4948))
    assert ok(deliver(client, body))["outcome"] == "captured"
    # then that capture succeeded: one capture, the payment captured
    assert txns(payment, "capture") == [("49.480", "succeeded")]
    assert PaymentTransaction.objects.get(pk=capture.pk).status == "succeeded"
    assert payment_of(order).status == "captured"
    # and the charge's own event, and the worker's retry after it, book nothing more
    assert ok(deliver(client, event("charge.captured", charge())))["outcome"] == "already_booked"
    from ordino.payments.services.send import transaction_send

    transaction_send(txn_id=capture.pk)  # already succeeded: not sent again
    assert txns(payment, "capture") == [("49.480", "succeeded")]
    assert balance(api, order)["captured"] == "49.48"


def test_a_capture_the_call_already_booked_is_not_booked_again(client, order):
    payment = authorized(order)
    book(payment, "capture", "49.48")
    body = event("payment_intent.succeeded", intent("succeeded", amount_received=4948))
    assert ok(deliver(client, body))["outcome"] == "already_booked"
    assert txns(payment, "capture") == [("49.480", "succeeded")]


def test_a_capture_made_in_stripes_dashboard_is_booked_once(client, api, order):
    # given an authorized payment Ordino did not capture; someone captured 20.00 in Stripe
    payment = authorized(order)
    body = event("payment_intent.succeeded", intent("succeeded", amount_received=2000))
    # when told (twice, by two events)
    first = ok(deliver(client, body))
    ok(deliver(client, event("charge.captured", charge(amount_captured=2000))))
    # then 20.00 captured, once
    assert first["outcome"] == "captured"
    assert txns(payment, "capture") == [("20.000", "succeeded")]
    assert balance(api, order)["captured"] == "20.00"


# ----------------------------------------------------------------------------- refunds


def _refund_in_flight(order_id: int, payment: Payment, amount: str) -> tuple[Refund, object]:
    refund = Refund.objects.create(
        order_id=order_id, amount=Decimal(amount), currency="EUR", lines=[],
        shipping=Decimal(0), goodwill=Decimal(amount), reason="late", status="pending",
        created_at=utcnow(),
    )  # fmt: skip
    return refund, book(payment, "refund", amount, "unknown", refund=refund)


def test_a_refund_whose_answer_was_lost_is_settled_by_charge_refunded(client, api, order):
    # given a captured payment and a refund of 10.00 whose call got no answer
    payment = authorized(order)
    book(payment, "capture", "49.48")
    refund, _txn = _refund_in_flight(order, payment, "10.00")
    # when Stripe says 10.00 of the charge is refunded (delivered twice)
    body = event("charge.refunded", charge(amount_refunded=1000, refunded=False))
    first, again = ok(deliver(client, body)), ok(deliver(client, body))
    # then the refund succeeded, once
    assert (first["outcome"], again["duplicate"]) == ("refunded", True)
    assert txns(payment, "refund") == [("10.000", "succeeded")]
    assert Refund.objects.get(pk=refund.pk).status == "succeeded"
    assert balance(api, order)["refunded"] == "10.00"


def test_a_refund_made_outside_ordino_is_booked_and_shown(client, api, order):
    # (more in test_stripe_refund_events.py)
    payment = authorized(order)
    book(payment, "capture", "49.48")
    body = event("charge.refunded", charge(amount_refunded=500, refunded=False))
    answer = ok(deliver(client, body))
    assert answer["outcome"] == "refunded_outside"
    assert txns(payment, "refund") == [("5.000", "succeeded")]
    note = OrderTimelineEntry.objects.get(order_id=order, kind="payment_refunded_outside")
    assert note.message == (
        "Stripe refunded €5.00 of payment 1 (card) that Ordino did not ask for: "
        "€5.00 booked as a refund."
    )


# ----------------------------------------------------------------------------- disputes


def test_a_dispute_is_noted_on_the_order_and_its_amount_on_the_payment(client, api, order):
    # given a captured payment
    payment = authorized(order)
    book(payment, "capture", "49.48")
    # when the customer disputes it (delivered twice)
    body = event("charge.dispute.created", dispute("needs_response"))
    first, again = ok(deliver(client, body)), ok(deliver(client, body))
    # then the payment carries the dispute, the timeline says it, payment.disputed once
    assert (first["outcome"], again["duplicate"]) == ("disputed", True)
    payment = payment_of(order)
    assert (payment.dispute_reference, payment.dispute_status, payment.dispute_amount) == (
        DISPUTE, "needs_response", Decimal("49.480"),
    )  # fmt: skip
    note = OrderTimelineEntry.objects.get(order_id=order, kind="payment_disputed")
    assert "disputed €49.48 of payment 1 (card)" in note.message
    assert "product_not_received" in note.message
    assert OutboxEvent.objects.filter(name="payment.disputed", aggregate_id=order).count() == 1
    # and no money moved yet
    body = balance(api, order)
    assert (body["captured"], body["disputed"]) == ("49.48", "0.00")
    assert body["payments"][0]["dispute_status"] == "needs_response"


def test_a_lost_dispute_takes_the_money_and_the_balance_shows_it(client, api, order):
    # given a captured payment under dispute
    payment = authorized(order)
    book(payment, "capture", "49.48")
    ok(deliver(client, event("charge.dispute.created", dispute("needs_response", 3000))))
    # when the dispute is lost (told twice, by two events)
    first = ok(deliver(client, event("charge.dispute.closed", dispute("lost", 3000))))
    again = ok(deliver(client, event("charge.dispute.closed", dispute("lost", 3000))))
    # then 30.00 is gone, once: shown as disputed, no longer refundable
    assert (first["outcome"], again["outcome"]) == ("dispute_lost", "already_booked")
    assert txns(payment, "chargeback") == [("30.000", "succeeded")]
    body = balance(api, order)
    assert (body["captured"], body["disputed"]) == ("49.48", "30.00")
    assert body["payments"][0]["refundable"] == "19.48"
    assert body["payments"][0]["dispute_status"] == "lost"
    closed = OutboxEvent.objects.get(name="payment.dispute_closed", aggregate_id=order)
    assert (closed.payload["status"], closed.payload["amount"]) == ("lost", "30.00")
    # and a refund above what is left is refused
    refused = api.post(f"/orders/{order}/refunds", {"goodwill": "20.00", "reason": "sorry"})
    assert (refused.status_code, refused.json()["code"]) == (409, "refund_exceeds_captured")


def test_a_won_dispute_keeps_the_money(client, api, order):
    payment = authorized(order)
    book(payment, "capture", "49.48")
    # closed before its opening arrives (Stripe delivers in any order)
    won = ok(deliver(client, event("charge.dispute.closed", dispute("won"))))
    late = ok(deliver(client, event("charge.dispute.created", dispute("needs_response"))))
    assert (won["outcome"], late["outcome"]) == ("dispute_won", "already_booked")
    assert txns(payment, "chargeback") == []
    assert payment_of(order).dispute_status == "won"
    assert balance(api, order)["disputed"] == "0.00"


def test_the_money_panel_shows_the_lost_dispute(client, api, order):
    # given a captured payment whose dispute was lost
    from django.contrib.auth.models import User
    from django.test import Client

    payment = authorized(order)
    book(payment, "capture", "49.48")
    ok(deliver(client, event("charge.dispute.closed", dispute("lost", 3000))))
    # when the order page is read in the console
    staff = Client()
    staff.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-long-1"))
    page = staff.get(f"/admin/orders/{order}/").content.decode()
    # then the money panel says what is gone, and the payment's dispute
    assert "<dt>Disputed (chargebacks lost)</dt><dd>€30.00</dd>" in page
    assert 'data-testid="dispute">Dispute: Lost, €30.00</span>' in page
