"""Every request the Stripe provider sends is in the integration log (docs/integrations.md,
providers/stripe_log.py): one outbound row per attempt, with Stripe's status and error, the key
and secrets redacted, the idempotency key as the correlation id."""

from __future__ import annotations

from ordino.integrations.domain.redact import REDACTED
from ordino.integrations.models import IntegrationCall
from ordino.payments.providers.stripe_log import stripe_operation
from tests.payments.providers.replay import (
    PI,
    ReplayHTTPClient,
    authorize_call,
    call_on,
    provider,
    recorded,
    timeout,
)


def test_an_authorization_is_logged_with_its_key_and_secrets_redacted():
    client = ReplayHTTPClient(recorded("authorize_eur"))
    provider(client).authorize(authorize_call())
    (call,) = IntegrationCall.objects.all()
    assert (call.direction, call.system, call.operation, call.method, call.status_code,
            call.ok) == ("out", "stripe", "payment_intents.create", "POST", 200, True)  # fmt: skip
    assert call.endpoint == "https://api.stripe.com/v1/payment_intents"
    assert call.correlation_id == "pay-1-authorize"
    assert call.request_headers["Authorization"] == REDACTED
    assert "amount=1234&currency=eur" in call.request_body
    assert '"client_secret": "[redacted]"' in call.response_body
    assert (call.error, call.error_signature) == ("", "")


def test_a_decline_is_a_failure_with_stripes_words_and_a_signature():
    provider(ReplayHTTPClient(recorded("authorize_card_declined"))).authorize(authorize_call())
    (call,) = IntegrationCall.objects.all()
    assert (call.ok, call.status_code) == (False, 402)
    assert call.error == "Your card has insufficient funds. (card_declined: insufficient_funds)"
    assert call.error_signature == (
        "stripe payment_intents.create 402 your card has insufficient funds. "
        "(card_declined: insufficient_funds)"
    )


def test_a_timeout_and_its_retry_are_two_calls_with_one_correlation_id():
    client = ReplayHTTPClient(timeout(), recorded("authorize_eur"))
    stripe_provider = provider(client)
    stripe_provider.authorize(authorize_call())
    stripe_provider.authorize(authorize_call())
    lost, answered = IntegrationCall.objects.order_by("id")
    assert (lost.ok, lost.status_code, answered.ok) == (False, None, True)
    assert lost.error == "Unexpected error communicating with Stripe."
    assert lost.correlation_id == answered.correlation_id == "pay-1-authorize"


def test_a_capture_names_its_payment_intent():
    provider(ReplayHTTPClient(recorded("capture_full"))).capture(call_on())
    (call,) = IntegrationCall.objects.all()
    assert (call.operation, call.object_type, call.object_id) == (
        "payment_intents.capture", "stripe_payment_intent", PI)  # fmt: skip


def test_a_call_refused_before_sending_is_not_logged():
    provider(ReplayHTTPClient()).authorize(authorize_call(amount="12.345"))
    assert IntegrationCall.objects.count() == 0


def test_operations_are_named_after_stripes_api():
    assert stripe_operation("POST", "/v1/payment_intents") == "payment_intents.create"
    assert stripe_operation("GET", f"/v1/payment_intents/{PI}") == "payment_intents.retrieve"
    assert stripe_operation("POST", f"/v1/payment_intents/{PI}/cancel") == "payment_intents.cancel"
    assert stripe_operation("POST", "/v1/refunds") == "refunds.create"
    assert stripe_operation("GET", "/v1/refunds") == "refunds.list"
