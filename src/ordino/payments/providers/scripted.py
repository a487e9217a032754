"""The `test` provider: outcomes scripted by the payment's token, its memory in a table
(`ScriptedProviderCall`) so it answers a repeated idempotency key with the first answer from
any process — as a real provider does (docs/payments.md, "The test provider").

Tokens: `tok_approve` (everything succeeds), `tok_decline` (authorization declined),
`tok_fail_then_ok` (each call fails once, then succeeds), `tok_timeout_then_ok` (each call
times out once without happening, then succeeds), `tok_lost_answer` (each call happens but its
first answer is lost: unknown; the retry with the same key learns it succeeded, never a second
charge), `tok_refund_decline` (refunds declined). Any other token is approved."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from ordino.core.domain.clock import utcnow
from ordino.payments.models import ScriptedProviderCall
from ordino.payments.providers.base import Outcome, ProviderCall, ProviderResult

AUTHORIZATION_DAYS = 7


def _first_outcome(token: str, kind: str) -> tuple[Outcome, bool]:
    """(what the first call answers, whether it happened on the provider's side)."""
    if token == "tok_decline" and kind == "authorize":
        return "declined", False
    if token == "tok_refund_decline" and kind == "refund":
        return "declined", False
    if token == "tok_fail_then_ok":
        return "failed", False
    if token == "tok_timeout_then_ok":
        return "unknown", False
    if token == "tok_lost_answer":
        return "unknown", True
    return "succeeded", True


class ScriptedProvider:
    code = "test"

    def _call(self, kind: str, call: ProviderCall) -> ProviderResult:
        with transaction.atomic():
            row, _ = ScriptedProviderCall.objects.select_for_update().get_or_create(
                idempotency_key=call.idempotency_key,
                defaults={"kind": kind, "amount": call.amount, "created_at": utcnow()},
            )
            row.attempts += 1
            if row.outcome:  # answered before: the same answer, nothing happens again
                outcome: Outcome = row.outcome  # type: ignore[assignment]
            else:
                first, happened = _first_outcome(call.token, kind)
                retry = row.attempts > 1 and first in ("failed", "unknown")
                outcome = "succeeded" if retry else first
                if happened or retry or first == "declined":
                    row.outcome = "succeeded" if happened else outcome
                    row.reference = f"test_{kind}_{row.pk}"
            row.save()
        if outcome == "declined":
            return ProviderResult("declined", message="Card declined (test provider).")
        if outcome != "succeeded":
            return ProviderResult(outcome, message=f"Test provider: {outcome}, retry.")
        expires = utcnow() + timedelta(days=AUTHORIZATION_DAYS)
        reference = call.reference if kind in ("capture", "void") else row.reference
        return ProviderResult(
            "succeeded",
            reference=reference or row.reference,
            expires_at=expires if kind == "authorize" else None,
            brand="visa" if kind == "authorize" else "",
            last4="4242" if kind == "authorize" else "",
        )

    def authorize(self, call: ProviderCall) -> ProviderResult:
        return self._call("authorize", call)

    def capture(self, call: ProviderCall) -> ProviderResult:
        return self._call("capture", call)

    def void(self, call: ProviderCall) -> ProviderResult:
        return self._call("void", call)

    def refund(self, call: ProviderCall) -> ProviderResult:
        return self._call("refund", call)
