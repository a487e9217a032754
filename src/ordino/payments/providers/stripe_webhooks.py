"""Stripe's webhooks, verified (docs/payments-stripe.md "Webhooks").

`stripe_webhook_verify(body, signature)` checks the `Stripe-Signature` header over the raw
request body with the endpoint's signing secret (settings.ORDINO_STRIPE_WEBHOOK_SECRET) through
the library's `Webhook.construct_event`, and answers a `StripeNotice`: what the event means to
Ordino's payments. The HTTP route (`POST /api/v1/payments/webhooks/stripe`) is the payments
module's; it must pass the body exactly as received (bytes, never re-serialised JSON), and
deduplicate on `event_id` (Stripe delivers at least once, in any order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import stripe

from ordino.core.domain.errors import DomainError

# Stripe's default: a signature older than 5 minutes is a replay.
TOLERANCE_SECONDS = 300

NoticeKind = Literal[
    "authorized",  # a PaymentIntent now holds money to capture (asynchronous confirmation)
    "authorization_failed",  # confirmation failed (declined, authentication failed)
    "authorization_canceled",  # canceled: by a void, or the authorization lapsed
    "captured",  # a capture went through (the intent succeeded, or its charge was captured)
    "refunded",  # a charge's refunds: `amount` is all that is refunded of it so far
    "refund_succeeded",
    "refund_failed",  # a refund Stripe had accepted (pending) failed later
    "dispute_opened",  # a chargeback: a person must act
    "dispute_closed",  # won (the money stays) or lost (the money is gone)
    "other",  # not Ordino's concern: acknowledge and ignore
]

_KINDS: dict[str, NoticeKind] = {
    "payment_intent.amount_capturable_updated": "authorized",
    "payment_intent.payment_failed": "authorization_failed",
    "payment_intent.canceled": "authorization_canceled",
    "payment_intent.succeeded": "captured",
    "charge.captured": "captured",
    "charge.refunded": "refunded",
    "charge.dispute.created": "dispute_opened",
    "charge.dispute.closed": "dispute_closed",
}
# The amount each kind is about, in Stripe's units: what the intent holds, what is captured of
# it, refunded of the charge, or disputed (Stripe's API reference, the objects' fields).
_AMOUNT_FIELDS: dict[str, str] = {
    "payment_intent.amount_capturable_updated": "amount_capturable",
    "payment_intent.succeeded": "amount_received",
    "charge.captured": "amount_captured",
    "charge.refunded": "amount_refunded",
    "charge.dispute.created": "amount",
    "charge.dispute.closed": "amount",
}


@dataclass(frozen=True)
class StripeNotice:
    event_id: str  # evt_...: deduplicate on it
    event_type: str  # Stripe's, e.g. "payment_intent.canceled"
    kind: NoticeKind
    reference: str  # the PaymentIntent (pi_...) the provider handed back, or a Refund (re_...)
    created_at: datetime  # when Stripe created the event (UTC): order events by it
    livemode: bool
    message: str = ""  # Stripe's words for a person (a failure reason)
    amount: int | None = None  # in Stripe's units of `currency` (see _AMOUNT_FIELDS)
    currency: str = ""  # upper case, e.g. "EUR"
    idempotency_key: str = ""  # the intent's metadata[ordino_idempotency_key]: Ordino's call
    dispute_id: str = ""  # a dispute's id (du_... / dp_...)
    dispute_status: str = ""  # needs_response, under_review, won, lost, warning_closed, ...
    dispute_reason: str = ""  # fraudulent, product_not_received, ...


def _invalid(message: str) -> DomainError:
    return DomainError("stripe_signature_invalid", message, field="Stripe-Signature", status=400)


def stripe_webhook_verify(
    body: bytes,
    signature: str | None,
    *,
    secret: str | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> StripeNotice:
    """The event in `body` if `signature` proves Stripe sent it within `tolerance` seconds;
    else DomainError 400 `stripe_signature_invalid` (503 `stripe_webhook_unconfigured` when
    no secret is set). Nothing is read from an unverified body."""
    if secret is None:
        from django.conf import settings

        secret = getattr(settings, "ORDINO_STRIPE_WEBHOOK_SECRET", "")
    if not secret:
        raise DomainError(
            "stripe_webhook_unconfigured",
            "Stripe webhooks are not configured: set ORDINO_STRIPE_WEBHOOK_SECRET.",
            status=503,
        )
    if not signature:
        raise _invalid("The Stripe-Signature header is missing.")
    try:
        event = stripe.Webhook.construct_event(body, signature, secret, tolerance=tolerance)
    except stripe.SignatureVerificationError as exc:
        raise _invalid(f"The Stripe-Signature does not verify: {exc.user_message}") from None
    except (UnicodeDecodeError, ValueError):  # signed, yet not a JSON event (never from Stripe)
        raise _invalid("The body is not a Stripe event.") from None
    return stripe_notice(event.to_dict())


def stripe_notice(event: dict[str, Any]) -> StripeNotice:
    """What a (verified) Stripe event means to Ordino's payments."""
    event_type = str(event.get("type") or "")
    obj = (event.get("data") or {}).get("object") or {}
    kind: NoticeKind = _KINDS.get(event_type, "other")
    reference = str(obj.get("payment_intent") or obj.get("id") or "")
    message = ""
    if event_type == "payment_intent.payment_failed":
        message = str((obj.get("last_payment_error") or {}).get("message") or "")
    elif event_type in ("charge.refund.updated", "refund.updated", "refund.failed"):
        kind, reference = _refund_kind(obj), str(obj.get("id") or "")
        message = str(obj.get("failure_reason") or "")
    elif event_type.startswith("payment_intent."):
        reference = str(obj.get("id") or "")
    amount_field = _AMOUNT_FIELDS.get(event_type)
    amount = obj.get(amount_field) if amount_field else None
    dispute = event_type.startswith("charge.dispute.")
    return StripeNotice(
        event_id=str(event.get("id") or ""),
        event_type=event_type,
        kind=kind,
        reference=reference,
        created_at=datetime.fromtimestamp(int(event.get("created") or 0), UTC),
        livemode=bool(event.get("livemode")),
        message=message,
        amount=int(amount) if isinstance(amount, int) and not isinstance(amount, bool) else None,
        currency=str(obj.get("currency") or "").upper() if amount_field else "",
        idempotency_key=str((obj.get("metadata") or {}).get("ordino_idempotency_key") or ""),
        dispute_id=str(obj.get("id") or "") if dispute else "",
        dispute_status=str(obj.get("status") or "") if dispute else "",
        dispute_reason=str(obj.get("reason") or "") if dispute else "",
    )


def _refund_kind(refund: dict[str, Any]) -> NoticeKind:
    status = refund.get("status")
    if status == "succeeded":
        return "refund_succeeded"
    if status in ("failed", "canceled"):
        return "refund_failed"
    return "other"
