"""Stripe's webhook signature, verified on the raw body (docs/payments-stripe.md "Webhooks").
The signatures here are computed by the test itself (HMAC-SHA256 over "timestamp.body")."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

import pytest

from ordino.core.domain.errors import DomainError
from ordino.payments.providers.stripe_webhooks import (
    StripeNotice,
    stripe_notice,
    stripe_webhook_verify,
)

SECRET = "whsec_test_0rd1n0W3bh00kS3cr3tF0rT3sts"
PI = "pi_3QxRsT2eZvKYlo2C0Hm4kL7p"


def event_body(event_type="payment_intent.canceled", obj=None) -> bytes:
    obj = obj or {
        "id": PI,
        "object": "payment_intent",
        "amount": 1234,
        "amount_capturable": 0,
        "cancellation_reason": "automatic",
        "capture_method": "manual",
        "currency": "eur",
        "description": "Order W-100 – €12.34",  # non-ASCII: the signature is over UTF-8 bytes
        "status": "canceled",
    }
    event = {
        "id": "evt_3QxRsT2eZvKYlo2C0Pq1wE9t",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": 1764554400,
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }
    return json.dumps(event, indent=2, ensure_ascii=False).encode()


def sign(body: bytes, secret: str = SECRET, at: int | None = None) -> str:
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={mac},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"


def refused(body: bytes, signature: str | None, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        stripe_webhook_verify(body, signature, secret=kwargs.pop("secret", SECRET), **kwargs)
    return caught.value


def test_a_signed_event_is_verified_and_read():
    # given an authorization that lapsed (Stripe canceled it), signed now with the secret
    body = event_body()
    # when verified
    notice = stripe_webhook_verify(body, sign(body), secret=SECRET)
    # then its meaning for the payments module
    assert notice == StripeNotice(
        event_id="evt_3QxRsT2eZvKYlo2C0Pq1wE9t",
        event_type="payment_intent.canceled",
        kind="authorization_canceled",
        reference=PI,
        created_at=datetime(2025, 12, 1, 2, 0, tzinfo=UTC),
        livemode=False,
    )


def test_the_secret_comes_from_settings(settings):
    # given the secret in Django settings
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = SECRET
    body = event_body()
    # when verified without naming a secret, then read
    assert stripe_webhook_verify(body, sign(body)).kind == "authorization_canceled"


def test_one_of_several_signatures_may_match_while_secrets_roll():
    # given the header carries a signature with an old secret and one with the current one
    body = event_body()
    at = int(time.time())
    header = sign(body, "whsec_old", at) + "," + sign(body, SECRET, at).split(",")[1]
    # when verified, then accepted
    assert stripe_webhook_verify(body, header, secret=SECRET).event_id.startswith("evt_")


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("another secret", "does not verify"),
        ("body changed", "does not verify"),
        ("six minutes old", "Timestamp outside the tolerance zone"),
        ("no v1 signature", "No signatures found with expected scheme v1"),
        ("garbage header", "Unable to extract timestamp and signatures"),
    ],
)
def test_a_signature_that_does_not_verify_is_refused(case, why):
    # given a signed body, and then the case's tampering
    body = event_body()
    signature = sign(body)
    if case == "another secret":
        signature = sign(body, "whsec_someone_else")
    elif case == "body changed":
        body = body.replace(b'"amount": 1234', b'"amount": 1235')
    elif case == "six minutes old":
        signature = sign(body, at=int(time.time()) - 360)
    elif case == "no v1 signature":
        signature = signature.split(",")[0] + "," + signature.split(",")[2]
    elif case == "garbage header":
        signature = "not a signature"
    # when verified
    error = refused(body, signature)
    # then 400 stripe_signature_invalid on the Stripe-Signature field, saying why
    assert (error.status, error.code) == (400, "stripe_signature_invalid")
    assert error.errors[0]["field"] == "Stripe-Signature"
    assert why in error.message


def test_a_missing_header_is_refused():
    # given no Stripe-Signature header
    error = refused(event_body(), None)
    # then 400, saying it is missing
    assert (error.status, error.code) == (400, "stripe_signature_invalid")
    assert error.message == "The Stripe-Signature header is missing."


def test_a_signed_body_that_is_not_an_event_is_refused():
    # given a correctly signed body that is not JSON (no Stripe event looks like this)
    body = b"\xff\xfe not json"
    # when verified, then refused
    error = refused(body, sign(body))
    assert (error.status, error.code) == (400, "stripe_signature_invalid")


def test_without_a_secret_webhooks_are_unconfigured(settings):
    # given no secret configured
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = ""
    body = event_body()
    # when verified
    with pytest.raises(DomainError) as caught:
        stripe_webhook_verify(body, sign(body))
    # then 503: the server's configuration, not the sender, is wrong
    assert (caught.value.status, caught.value.code) == (503, "stripe_webhook_unconfigured")


@pytest.mark.parametrize(
    ("event_type", "obj", "kind", "reference", "message"),
    [
        (
            "payment_intent.amount_capturable_updated",
            {"id": PI, "object": "payment_intent", "status": "requires_capture"},
            "authorized",
            PI,
            "",
        ),
        (
            "payment_intent.payment_failed",
            {
                "id": PI,
                "object": "payment_intent",
                "status": "requires_payment_method",
                "last_payment_error": {"message": "Your card was declined."},
            },
            "authorization_failed",
            PI,
            "Your card was declined.",
        ),
        (
            "charge.captured",
            {"id": "ch_3QxRsT2eZvKYlo2C0k5xA1bC", "object": "charge", "payment_intent": PI},
            "captured",
            PI,
            "",
        ),
        (
            "charge.refund.updated",
            {
                "id": "re_3QxRsT2eZvKYlo2C0Jp6vN2r",
                "object": "refund",
                "payment_intent": PI,
                "status": "failed",
                "failure_reason": "expired_or_canceled_card",
            },
            "refund_failed",
            "re_3QxRsT2eZvKYlo2C0Jp6vN2r",
            "expired_or_canceled_card",
        ),
        (
            "charge.dispute.created",
            {"id": "dp_1QxRsV2eZvKYlo2C", "object": "dispute", "payment_intent": PI},
            "dispute_opened",
            PI,
            "",
        ),
        (
            "payment_intent.succeeded",
            {"id": PI, "object": "payment_intent", "status": "succeeded", "amount_received": 4948},
            "captured",
            PI,
            "",
        ),
        (
            "charge.refunded",
            {"id": "ch_3QxRsT2eZvKYlo2C0k5xA1bC", "object": "charge", "payment_intent": PI},
            "refunded",
            PI,
            "",
        ),
        (
            "charge.dispute.closed",
            {"id": "du_1QxRsV2eZvKYlo2C", "payment_intent": PI, "status": "lost"},
            "dispute_closed",
            PI,
            "",
        ),
        (
            "customer.created",
            {"id": "cus_RqP0x1Wz", "object": "customer"},
            "other",
            "cus_RqP0x1Wz",
            "",
        ),
    ],
)
def test_what_an_event_means(event_type, obj, kind, reference, message):
    # given a verified event of each kind Ordino listens to
    event = json.loads(event_body(event_type, obj))
    # when read
    notice = stripe_notice(event)
    # then its kind, the reference the provider handed back, and Stripe's words
    assert (notice.kind, notice.reference, notice.message) == (kind, reference, message)


def test_amounts_disputes_and_ordinos_key_are_read():
    # given a lost dispute of 12.34 EUR and an intent carrying Ordino's idempotency key
    lost = {"id": "du_1QxRsV2eZvKYlo2C", "object": "dispute", "amount": 1234, "currency": "eur",
            "payment_intent": PI, "reason": "fraudulent", "status": "lost"}  # fmt: skip
    keyed = {"id": PI, "object": "payment_intent", "amount_received": 1500, "currency": "jpy",
             "metadata": {"ordino_idempotency_key": "ordino-1-1-capture-1"}}  # fmt: skip
    # when read
    dispute = stripe_notice(json.loads(event_body("charge.dispute.closed", lost)))
    captured = stripe_notice(json.loads(event_body("payment_intent.succeeded", keyed)))
    # then the amount in Stripe's units, the currency, the dispute's id, status and reason
    assert (dispute.amount, dispute.currency, dispute.dispute_id) == (1234, "EUR", lost["id"])
    assert (dispute.dispute_status, dispute.dispute_reason) == ("lost", "fraudulent")
    assert (captured.amount, captured.currency) == (1500, "JPY")
    assert captured.idempotency_key == "ordino-1-1-capture-1"
