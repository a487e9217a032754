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
    "captured",  # a capture went through
    "refund_succeeded",
    "refund_failed",  # a refund Stripe had accepted (pending) failed later
    "dispute_opened",  # a chargeback: a person must act
    "other",  # not Ordino's concern: acknowledge and ignore
]

_KINDS: dict[str, NoticeKind] = {
    "payment_intent.amount_capturable_updated": "authorized",
    "payment_intent.payment_failed": "authorization_failed",
    "payment_intent.canceled": "authorization_canceled",
    "charge.captured": "captured",
    "charge.dispute.created": "dispute_opened",
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
    return StripeNotice(
        event_id=str(event.get("id") or ""),
        event_type=event_type,
        kind=kind,
        reference=reference,
        created_at=datetime.fromtimestamp(int(event.get("created") or 0), UTC),
        livemode=bool(event.get("livemode")),
        message=message,
    )


def _refund_kind(refund: dict[str, Any]) -> NoticeKind:
    status = refund.get("status")
    if status == "succeeded":
        return "refund_succeeded"
    if status in ("failed", "canceled"):
        return "refund_failed"
    return "other"
