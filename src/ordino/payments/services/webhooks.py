"""Stripe's webhooks, received (docs/payments-stripe.md, "Webhooks"): verified on the raw body,
recorded once per Stripe event id, then applied to the payment they are about.

Stripe delivers at least once and in any order, and the worker's own calls (or the poller's
retries) may have booked the same fact already. So every step is decided from the payment's
state, never from the event's arrival: an in-flight transaction the event settles is finished
through `transaction_finish` (which does nothing to a transaction already finished), and money
Stripe reports beyond what Ordino booked is booked once, as the difference of the totals. A
repeated delivery finds its `StripeWebhookEvent` row and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError

from ordino.core.domain.clock import utcnow
from ordino.core.domain.errors import DomainError
from ordino.core.transactions import savepoint, use_case_atomic
from ordino.payments.models import StripeWebhookEvent
from ordino.payments.providers.stripe_webhooks import stripe_webhook_verify
from ordino.payments.services.stripe_events import stripe_notice_apply


@dataclass(frozen=True)
class WebhookReceipt:
    event_id: str
    event_type: str
    duplicate: bool  # delivered before: nothing was done this time
    outcome: str  # what Ordino did (stripe_events.py), e.g. "captured", "ignored"
    note: str
    payment_id: int | None = None  # the payment it was about, if Ordino has it


def stripe_webhook_receive(*, body: bytes, signature: str | None) -> WebhookReceipt:
    """Verify the event (400 `stripe_signature_invalid`, 503 `stripe_webhook_unconfigured`:
    nothing stored), record it once by its id, and apply it. Unknown event types are recorded
    and ignored; an event about no payment of Ordino's is recorded `unmatched`."""
    notice = stripe_webhook_verify(body, signature)
    if not notice.event_id.startswith("evt_"):
        raise DomainError(
            "stripe_event_invalid", "The event has no Stripe event id.", field="id", status=400
        )
    with use_case_atomic():
        now = utcnow()
        try:
            with savepoint():  # a concurrent delivery of the same event may insert it first
                row = StripeWebhookEvent.objects.create(
                    event_id=notice.event_id[:255],
                    event_type=notice.event_type[:64],
                    kind=notice.kind,
                    reference=notice.reference[:255],
                    livemode=notice.livemode,
                    outcome="received",
                    created_at=notice.created_at,
                    received_at=now,
                )
        except IntegrityError:
            seen = StripeWebhookEvent.objects.get(event_id=notice.event_id)
            return WebhookReceipt(seen.event_id, seen.event_type, True, seen.outcome, seen.note,
                                  seen.payment_id)  # fmt: skip
        applied = stripe_notice_apply(notice, now)
        StripeWebhookEvent.objects.filter(pk=row.pk).update(
            outcome=applied.outcome, note=applied.note[:500], payment_id=applied.payment_id
        )
    return WebhookReceipt(row.event_id, row.event_type, False, applied.outcome, applied.note,
                          applied.payment_id)  # fmt: skip
