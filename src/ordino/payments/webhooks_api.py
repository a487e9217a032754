"""HTTP adapter for Stripe's webhooks: `POST /api/v1/payments/webhooks/stripe`.

Signed, not scoped: no bearer token (Stripe has none); the `Stripe-Signature` header over the
raw body is the authentication (docs/payments-stripe.md, "Webhooks"). The body is read as
bytes exactly as received, never parsed before it is verified. A refusal (400, 503) changes
nothing: the API's write middleware rolls the request back. Every delivery, refused or not, is
in the integration log (docs/integrations.md), recorded after that transaction.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ordino.integrations.inbound import inbound_call_note
from ordino.payments.services.webhooks import stripe_webhook_receive

router = Router(tags=["payments"])


class StripeWebhookOut(Schema):
    received: bool
    event_id: str
    event_type: str
    duplicate: bool
    outcome: str
    note: str


@router.post(
    "/webhooks/stripe",
    auth=None,
    response={200: StripeWebhookOut},
    summary="Receive a Stripe event (signed)",
    openapi_extra={
        "security": [],
        "x-signed": "Stripe-Signature",
        "parameters": [
            {
                "name": "Stripe-Signature",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "Stripe's signature of the raw body (t=..., v1=...).",
            }
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "A Stripe event, exactly as Stripe sent it.",
        },
    },
)
def stripe_webhook(request: HttpRequest):
    """Stripe's events about Ordino's Stripe payments: authorizations confirmed or failed,
    captures, refunds, cancellations and disputes. Each event is applied once (a repeated
    delivery answers `duplicate: true`); an event Ordino does not act on is recorded and
    answered 200. A signature that does not verify: 400 `stripe_signature_invalid`; no
    signing secret configured: 503 `stripe_webhook_unconfigured`."""
    inbound_call_note(request, system="stripe", operation="webhook", connection="stripe")
    receipt = stripe_webhook_receive(
        body=request.body, signature=request.headers.get("Stripe-Signature")
    )
    inbound_call_note(request, operation=receipt.event_type, correlation_id=receipt.event_id,
                      object_type="payment" if receipt.payment_id else "",
                      object_id=receipt.payment_id)  # fmt: skip
    return {
        "received": True,
        "event_id": receipt.event_id,
        "event_type": receipt.event_type,
        "duplicate": receipt.duplicate,
        "outcome": receipt.outcome,
        "note": receipt.note,
    }
