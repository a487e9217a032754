"""Stripe's webhooks in the integration log (docs/integrations.md): every delivery — refused,
applied or repeated — is one inbound row, recorded after the request's transaction, so a
refusal that changed nothing is visible all the same."""

from __future__ import annotations

import pytest

from ordino.integrations.domain.redact import REDACTED
from ordino.integrations.models import IntegrationCall
from ordino.payments.models import StripeWebhookEvent
from tests.payments.providers.test_stripe_webhooks import SECRET, sign
from tests.payments.test_stripe_webhook_route import (
    PATH,
    authorized,
    deliver,
    event,
    intent,
    order,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.ORDINO_STRIPE_WEBHOOK_SECRET = SECRET


def test_a_refused_signature_changes_nothing_and_is_in_the_log(client, order):  # noqa: F811
    body = event("payment_intent.canceled", intent("canceled"), "evt_1Forged")
    response = deliver(client, body, sign(body, "whsec_someone_else"))
    assert response.status_code == 400
    assert StripeWebhookEvent.objects.count() == 0
    (call,) = IntegrationCall.objects.all()
    assert (call.direction, call.system, call.operation, call.method, call.endpoint) == (
        "in", "stripe", "webhook", "POST", PATH)  # fmt: skip
    assert (call.ok, call.status_code) == (False, 400)
    assert call.error.startswith("stripe_signature_invalid: ")
    assert call.error_signature.startswith("stripe webhook 400 stripe_signature_invalid: ")
    assert call.request_headers["Stripe-Signature"] == REDACTED
    assert '"id": "evt_1Forged"' in call.request_body
    assert call.latency_ms is not None


def test_an_applied_event_and_its_repeat_are_logged_with_the_event_and_the_payment(
    client,
    order,  # noqa: F811
):
    payment = authorized(order)
    body = event("payment_intent.canceled", intent("canceled"), "evt_1Applied")
    assert deliver(client, body).status_code == 200
    assert deliver(client, body).json()["duplicate"] is True
    first, repeat = IntegrationCall.objects.filter(system="stripe", direction="in").order_by("id")
    for call in (first, repeat):
        assert (call.ok, call.status_code, call.operation, call.correlation_id) == (
            True, 200, "payment_intent.canceled", "evt_1Applied")  # fmt: skip
        assert (call.object_type, call.object_id) == ("payment", str(payment.pk))
    assert '"duplicate": true' in repeat.response_body
