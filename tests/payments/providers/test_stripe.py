"""The Stripe provider's authorizations against recorded Stripe answers (docs/payments-stripe.md):
the exact request it makes, the outcome it reads from each answer, the amounts it refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import stripe

from ordino.core.domain.clock import clock_pinned
from ordino.payments.providers.base import ProviderResult
from ordino.payments.providers.stripe import StripeProvider
from tests.payments.providers.replay import (
    KEY,
    PI,
    ReplayHTTPClient,
    authorize_call,
    call_on,
    provider,
    recorded,
    timeout,
)

# -- authorize --------------------------------------------------------------------------------


def test_authorize_creates_a_confirmed_manual_capture_intent():
    # given Stripe answers the create with an intent that requires capture
    client = ReplayHTTPClient(recorded("authorize_eur"))
    # when 12.34 EUR is authorized
    result = provider(client).authorize(authorize_call())
    # then exactly one request: POST /v1/payment_intents with the amount in cents, manual
    # capture, confirmed off-session, the call's idempotency key, the charge expanded
    [sent] = client.sent
    assert (sent.method, sent.path) == ("post", "/v1/payment_intents")
    assert sent.headers["Idempotency-Key"] == "pay-1-authorize"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert sent.headers["Stripe-Version"] == stripe.api_version
    assert sent.form == {
        "amount": "1234",
        "currency": "eur",
        "payment_method": "pm_card_visa",
        "capture_method": "manual",
        "confirm": "true",
        "off_session": "true",
        "automatic_payment_methods[enabled]": "true",
        "automatic_payment_methods[allow_redirects]": "never",
        "metadata[ordino_idempotency_key]": "pay-1-authorize",
        "expand[0]": "latest_charge",
        "description": "Order W-100",
    }
    # and the outcome: succeeded, the intent's id, the charge's capture_before, the card
    assert result == ProviderResult(
        "succeeded",
        reference=PI,
        expires_at=datetime(2025, 12, 8, 2, 0, tzinfo=UTC),
        brand="visa",
        last4="4242",
    )


def test_authorize_without_capture_before_expires_in_seven_days():
    # given a charge that does not say when its authorization lapses
    client = ReplayHTTPClient(recorded("authorize_eur_no_capture_before"))
    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    # when authorized at a pinned time
    with clock_pinned(at):
        result = provider(client).authorize(authorize_call())
    # then it lapses 7 days later
    assert result.outcome == "succeeded"
    assert result.expires_at == at + timedelta(days=7)


def test_authorize_declined_card_is_declined_with_stripes_words():
    # given Stripe answers 402 card_declined (insufficient funds)
    client = ReplayHTTPClient(recorded("authorize_card_declined"))
    # when authorized
    result = provider(client).authorize(authorize_call())
    # then declined, with the decline message and codes, and the intent's id
    assert result == ProviderResult(
        "declined",
        reference=PI,
        message="Your card has insufficient funds. (card_declined: insufficient_funds)",
    )
    assert len(client.sent) == 1


def test_authorize_requiring_action_is_declined():
    # given the intent waits for 3-D Secure (on-session confirmation)
    client = ReplayHTTPClient(recorded("authorize_requires_action"))
    # when authorized without off_session
    result = provider(client, off_session=False).authorize(authorize_call())
    # then declined: nobody is there to authenticate; no off_session flag was sent
    assert result.outcome == "declined"
    assert result.reference == PI
    assert result.message == (
        "The customer must authenticate this payment (3-D Secure) on the storefront."
    )
    assert "off_session" not in client.sent[0].form


def test_authorize_timeout_is_unknown_and_the_retry_with_the_same_key_tells():
    # given the first answer is lost (a read timeout), and Stripe did authorize
    client = ReplayHTTPClient(
        timeout(), recorded("authorize_eur", **{"idempotent-replayed": "true"})
    )
    stripe_provider = provider(client)
    # when authorized, then retried with the same call
    first = stripe_provider.authorize(authorize_call())
    second = stripe_provider.authorize(authorize_call())
    # then the first is unknown (it may have happened), the retry returns Stripe's stored
    # intent; both requests carried the same idempotency key and the same body
    assert first.outcome == "unknown"
    assert "Read timed out" in first.message
    assert (second.outcome, second.reference) == ("succeeded", PI)
    assert [s.headers["Idempotency-Key"] for s in client.sent] == ["pay-1-authorize"] * 2
    assert client.sent[0].form == client.sent[1].form


def test_a_repeated_key_gets_stripes_stored_answer_never_a_second_intent():
    # given Stripe replays its first answer for the repeated key
    client = ReplayHTTPClient(
        recorded("authorize_eur"), recorded("authorize_eur", **{"idempotent-replayed": "true"})
    )
    stripe_provider = provider(client)
    # when the same authorization is sent twice
    results = [stripe_provider.authorize(authorize_call()) for _ in range(2)]
    # then both answers are the same intent, asked with the same key
    assert results[0] == results[1]
    assert results[0].reference == PI
    assert {s.headers["Idempotency-Key"] for s in client.sent} == {"pay-1-authorize"}


def test_the_librarys_own_retry_keeps_the_idempotency_key(monkeypatch):
    # given a connection error the library retries itself (no sleeping in the test)
    monkeypatch.setattr(stripe.HTTPClient, "_sleep_time_seconds", lambda self, n: 0)
    client = ReplayHTTPClient(timeout(), recorded("authorize_eur"))
    # when authorized with one network retry allowed
    result = StripeProvider(api_key=KEY, http_client=client, max_network_retries=1).authorize(
        authorize_call()
    )
    # then it succeeded on the second request, which carried the same key
    assert result.outcome == "succeeded"
    assert [s.headers["Idempotency-Key"] for s in client.sent] == ["pay-1-authorize"] * 2


def test_a_server_error_is_unknown():
    # given Stripe answers 500 (its result is indeterminate, says Stripe)
    client = ReplayHTTPClient(recorded("api_error_500"))
    # when authorized
    result = provider(client).authorize(authorize_call())
    # then unknown: the money may have moved
    assert result == ProviderResult("unknown", message="An unknown error occurred")


def test_a_bad_api_key_fails_and_a_missing_one_sends_nothing(settings):
    # given a key Stripe refuses (401), and then no key configured at all
    client = ReplayHTTPClient(recorded("authentication_error"))
    refused = provider(client).authorize(authorize_call())
    settings.ORDINO_STRIPE_SECRET_KEY = ""
    unconfigured = StripeProvider(http_client=client).authorize(authorize_call())
    # then both failed (retry once configured); the second made no request
    assert refused.outcome == "failed"
    assert refused.message.startswith("Invalid API Key provided")
    assert unconfigured == ProviderResult(
        "failed", message="Stripe is not configured: set ORDINO_STRIPE_SECRET_KEY."
    )
    assert len(client.sent) == 1


def test_the_key_comes_from_settings(settings):
    # given the key in Django settings
    settings.ORDINO_STRIPE_SECRET_KEY = "sk_test_from_settings"
    client = ReplayHTTPClient(recorded("authorize_eur"))
    # when authorized by a provider built without a key (as the registry builds it)
    StripeProvider(http_client=client).authorize(authorize_call())
    # then the request used it
    assert client.sent[0].headers["Authorization"] == "Bearer sk_test_from_settings"


def test_a_key_reused_with_other_parameters_is_declined():
    # given Stripe refuses a key first used with other parameters
    client = ReplayHTTPClient(recorded("idempotency_error"))
    # when authorized
    result = provider(client).authorize(authorize_call())
    # then declined: a person must look (retrying with that key can never work)
    assert result.outcome == "declined"
    assert result.message.startswith("Keys for idempotent requests can only be used")


def test_adopting_an_intent_the_storefront_confirmed():
    # given the token is a PaymentIntent the storefront confirmed (3-D Secure done there)
    client = ReplayHTTPClient(recorded("authorize_eur"))
    # when authorized
    result = provider(client).authorize(authorize_call(token=PI))
    # then Ordino only reads it (GET, charge expanded) and takes its authorization
    [sent] = client.sent
    assert (sent.method, sent.path, sent.query) == (
        "get",
        f"/v1/payment_intents/{PI}",
        {"expand[0]": "latest_charge"},
    )
    assert (result.outcome, result.reference, result.last4) == ("succeeded", PI, "4242")


def test_adopting_an_intent_for_another_amount_is_declined():
    # given the storefront's intent holds 12.34 EUR
    client = ReplayHTTPClient(recorded("authorize_eur"))
    # when the payment asks 12.35 EUR
    result = provider(client).authorize(authorize_call(amount="12.35", token=PI))
    # then declined, saying both amounts
    assert result.outcome == "declined"
    assert result.message == (
        f"PaymentIntent {PI} is for 1234 EUR (Stripe's minor units); the payment asks 1235 EUR."
    )


def test_adopting_an_intent_already_captured_is_declined():
    # given the storefront's intent was captured already (no authorization left to hold)
    client = ReplayHTTPClient(recorded("capture_full"))
    # when adopted
    result = provider(client).authorize(authorize_call(token=PI))
    # then declined: Ordino captures when the order ships, so it needs a manual-capture hold
    assert result == ProviderResult(
        "declined",
        reference=PI,
        message=(
            f"PaymentIntent {PI} is already captured: Ordino needs one created with "
            "capture_method=manual, captured when the order ships."
        ),
    )


def test_an_authorization_still_processing_is_unknown():
    # given Stripe is still processing the confirmation
    client = ReplayHTTPClient(recorded("authorize_processing"))
    # when authorized
    result = provider(client).authorize(authorize_call())
    # then unknown: the webhook (or a later read) tells
    assert result == ProviderResult("unknown", reference=PI, message="Stripe is processing it.")


# -- amounts ----------------------------------------------------------------------------------


def test_jpy_is_sent_in_whole_yen():
    # given JPY has no decimals (ISO and Stripe alike)
    client = ReplayHTTPClient(recorded("authorize_jpy"))
    # when 1500 JPY is authorized
    result = provider(client).authorize(authorize_call(amount="1500", currency="JPY"))
    # then 1500, not 150000
    assert (client.sent[0].form["amount"], client.sent[0].form["currency"]) == ("1500", "jpy")
    assert result.outcome == "succeeded"


def test_kwd_is_sent_in_fils():
    # given KWD has 3 decimals
    client = ReplayHTTPClient(recorded("authorize_kwd"))
    # when 12.340 KWD is authorized
    result = provider(client).authorize(authorize_call(amount="12.340", currency="KWD"))
    # then 12340 fils
    assert (client.sent[0].form["amount"], client.sent[0].form["currency"]) == ("12340", "kwd")
    assert result.outcome == "succeeded"


@pytest.mark.parametrize(
    ("amount", "currency", "why"),
    [
        ("12.345", "EUR", "is not a whole number of minor units (2 decimals)"),
        ("1500.5", "JPY", "is not a whole number of minor units (0 decimals)"),
        ("1.2345", "KWD", "is not a whole number of minor units (3 decimals)"),
        ("12.345", "KWD", "only in multiples of 0.010 (the last digit 0)"),
        ("0.001", "KWD", "only in multiples of 0.010 (the last digit 0)"),
        ("0", "EUR", "Stripe takes only positive amounts"),
        ("-1.00", "EUR", "Stripe takes only positive amounts"),
        ("1.000", "IQD", "Stripe does not take IQD amounts (3 decimals)"),
        ("10.00", "XYZ", "Unknown currency 'XYZ'"),
    ],
)
def test_an_amount_stripe_cannot_take_is_refused_before_any_request(amount, currency, why):
    # given any recorded answer (it must not be asked)
    client = ReplayHTTPClient(recorded("authorize_eur"))
    stripe_provider = provider(client)
    # when authorized, captured and refunded with that amount
    results = [
        stripe_provider.authorize(authorize_call(amount=amount, currency=currency)),
        stripe_provider.capture(call_on(amount=amount, currency=currency)),
        stripe_provider.refund(call_on(amount=amount, currency=currency)),
    ]
    # then each is declined with the reason, and nothing was sent to Stripe
    for result in results:
        assert result.outcome == "declined"
        assert why in result.message
    assert client.sent == []


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_a_call_without_a_usable_idempotency_key_sends_nothing(key):
    # given no key (the library would invent a random one: a retry could charge twice) or one
    # longer than Stripe keeps
    client = ReplayHTTPClient(recorded("authorize_eur"))
    stripe_provider = provider(client)
    # when authorized, captured, voided and refunded with it
    results = [
        stripe_provider.authorize(authorize_call(key=key)),
        stripe_provider.capture(call_on(key=key)),
        stripe_provider.void(call_on(key=key)),
        stripe_provider.refund(call_on(key=key)),
    ]
    # then each is declined and nothing reached Stripe
    assert {r.outcome for r in results} == {"declined"}
    assert results[0].message == "A Stripe call needs an idempotency key of 1 to 255 characters."
    assert client.sent == []


def test_no_test_here_can_reach_the_network():
    # given the provider with the library's real HTTP client
    stripe_provider = StripeProvider(api_key=KEY, max_network_retries=0)
    # when it tries to call Stripe
    result = stripe_provider.authorize(authorize_call())
    # then the guard stopped the connection: no answer, so unknown or failed, never success
    assert result.outcome in ("unknown", "failed")
    assert "a test opened a real socket" in result.message
