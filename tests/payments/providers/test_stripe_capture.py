"""The Stripe provider's captures, voids and refunds against recorded Stripe answers
(docs/payments-stripe.md): the exact request, the outcome, and capture per shipment."""

from __future__ import annotations

import pytest

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
)

# -- capture, void, refund ----------------------------------------------------------------------


def test_capture_in_full():
    # given Stripe captures the whole intent
    client = ReplayHTTPClient(recorded("capture_full"))
    # when 12.34 EUR is captured
    result = provider(client).capture(call_on())
    # then POST .../capture with amount_to_capture in cents and the capture's key
    [sent] = client.sent
    assert (sent.method, sent.path) == ("post", f"/v1/payment_intents/{PI}/capture")
    assert sent.form == {"amount_to_capture": "1234", "expand[0]": "latest_charge"}
    assert sent.headers["Idempotency-Key"] == "pay-1-capture-1"
    assert result == ProviderResult("succeeded", reference=PI)


def test_partial_capture_then_a_second_capture_is_declined():
    # given a partial capture of 5.00 of 12.34 EUR (Stripe releases the rest), then another
    client = ReplayHTTPClient(
        recorded("capture_partial"), recorded("capture_again_unexpected_state")
    )
    stripe_provider = provider(client)
    # when both are asked
    first = stripe_provider.capture(call_on(amount="5.00"))
    second = stripe_provider.capture(call_on(amount="7.34", key="pay-1-capture-2"))
    # then the first succeeded with 500 cents; the second is refused by Stripe: one capture
    # per intent without multicapture (docs/payments-stripe.md "Capture per shipment")
    assert client.sent[0].form["amount_to_capture"] == "500"
    assert first == ProviderResult("succeeded", reference=PI)
    assert second.outcome == "declined"
    assert second.reference == PI
    assert second.message.startswith(
        "This PaymentIntent could not be captured because it has a status of succeeded."
    )
    assert second.message.endswith("(payment_intent_unexpected_state)")


def test_void_cancels_the_intent():
    # given Stripe cancels the intent
    client = ReplayHTTPClient(recorded("void"))
    # when voided
    result = provider(client).void(call_on(key="pay-1-void"))
    # then POST .../cancel with the void's key, no amount (Stripe releases all of it)
    [sent] = client.sent
    assert (sent.method, sent.path, sent.form) == ("post", f"/v1/payment_intents/{PI}/cancel", {})
    assert sent.headers["Idempotency-Key"] == "pay-1-void"
    assert result == ProviderResult("succeeded", reference=PI)


def test_void_after_a_capture_has_nothing_left_to_release():
    # given the intent was captured (the rest released): Stripe refuses the cancel
    client = ReplayHTTPClient(recorded("void_after_capture"))
    # when voided
    result = provider(client).void(call_on(key="pay-1-void"))
    # then succeeded: nothing is held any more
    assert result.outcome == "succeeded"
    assert result.reference == PI
    assert result.message.startswith("Nothing left to release: You cannot cancel")


def test_refund_part_of_the_capture():
    # given Stripe refunds 5.00 EUR
    client = ReplayHTTPClient(recorded("refund"))
    # when 5.00 EUR is refunded
    result = provider(client).refund(call_on(amount="5.00", key="pay-1-refund-1"))
    # then POST /v1/refunds on the intent, in cents, with the refund's key; the Refund's id
    [sent] = client.sent
    assert (sent.method, sent.path) == ("post", "/v1/refunds")
    assert sent.form == {
        "payment_intent": PI,
        "amount": "500",
        "metadata[ordino_idempotency_key]": "pay-1-refund-1",
    }
    assert sent.headers["Idempotency-Key"] == "pay-1-refund-1"
    assert result == ProviderResult("succeeded", reference="re_3QxRsT2eZvKYlo2C0Jp6vN2r")


@pytest.mark.parametrize(
    ("answer", "outcome", "message"),
    [
        ("refund_pending", "succeeded", ""),  # accepted; a failure comes by webhook
        ("refund_failed", "declined", "Refund expired_or_canceled_card."),
    ],
)
def test_a_refund_stripe_accepted_or_failed(answer, outcome, message):
    # given Stripe's answer to the refund
    client = ReplayHTTPClient(recorded(answer))
    # when 5.00 EUR is refunded
    result = provider(client).refund(call_on(amount="5.00", key="pay-1-refund-1"))
    # then the outcome, with the Refund's id
    assert result == ProviderResult(
        outcome, reference="re_3QxRsT2eZvKYlo2C0Jp6vN2r", message=message
    )


def test_refund_above_the_captured_is_declined():
    # given Stripe refuses a refund above what is left on the charge
    client = ReplayHTTPClient(recorded("refund_exceeds_captured"))
    # when 12.35 EUR is refunded
    result = provider(client).refund(call_on(amount="12.35", key="pay-1-refund-2"))
    # then declined with Stripe's words
    assert result == ProviderResult(
        "declined",
        message="Refund amount (€12.35) is greater than unrefunded amount on charge (€12.34)",
    )


# -- capture per shipment -----------------------------------------------------------------------


def test_with_multicapture_each_shipment_captures_and_the_last_releases_the_rest():
    # given an account with multicapture: the authorization asks for it, the card allows it
    client = ReplayHTTPClient(
        recorded("authorize_eur_multicapture"),
        recorded("capture_multicapture_first"),
        recorded("capture_multicapture_last"),
    )
    stripe_provider = provider(client, multicapture=True)
    # when authorized, then the first shipment captured (not final), then the last
    authorized = stripe_provider.authorize(authorize_call())
    first = stripe_provider.capture(call_on(amount="5.00", key="pay-1-capture-1", final=False))
    last = stripe_provider.capture(call_on(amount="7.34", key="pay-1-capture-2", final=True))
    # then the authorization requested multicapture; the first capture kept the rest
    # (final_capture=false), the last did not say it (Stripe's default: final)
    authorize_form, first_form, last_form = (s.form for s in client.sent)
    assert authorize_form["payment_method_options[card][request_multicapture]"] == "if_available"
    assert first_form == {
        "amount_to_capture": "500",
        "final_capture": "false",
        "expand[0]": "latest_charge",
    }
    assert last_form == {"amount_to_capture": "734", "expand[0]": "latest_charge"}
    assert [r.outcome for r in (authorized, first, last)] == ["succeeded"] * 3


def test_without_multicapture_a_non_final_capture_is_refused_before_stripe_releases_money():
    # given an account without multicapture (the default)
    client = ReplayHTTPClient(recorded("capture_partial"))
    # when a shipment that is not the last asks to capture its part
    result = provider(client, multicapture=False).capture(
        call_on(amount="5.00", key="pay-1-capture-1", final=False)
    )
    # then declined and nothing sent: a partial capture would release the rest for good
    assert result == ProviderResult(
        "declined",
        reference=PI,
        message=(
            "Stripe captures a PaymentIntent once unless the account has multicapture "
            "(ORDINO_STRIPE_MULTICAPTURE=1): capture on the last shipment."
        ),
    )
    assert client.sent == []


def test_multicapture_comes_from_settings(settings):
    # given multicapture switched on in settings
    settings.ORDINO_STRIPE_MULTICAPTURE = True
    # then a provider built without saying it has it; switched off, one without it
    assert StripeProvider(api_key=KEY).multicapture is True
    settings.ORDINO_STRIPE_MULTICAPTURE = False
    assert StripeProvider(api_key=KEY).multicapture is False
