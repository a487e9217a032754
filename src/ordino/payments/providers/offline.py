"""Offline payments: a bank transfer, cash on delivery, the marketplace's collection. No one
to call: each step succeeds when Ordino records it (a transfer marked received, cash taken on
delivery, the marketplace's payout). Authorizations do not lapse."""

from __future__ import annotations

from ordino.payments.providers.base import ProviderCall, ProviderResult


class OfflineProvider:
    code = "offline"

    def _done(self, call: ProviderCall) -> ProviderResult:
        return ProviderResult(
            "succeeded", reference=call.reference or f"off_{call.idempotency_key}"
        )

    def authorize(self, call: ProviderCall) -> ProviderResult:
        return self._done(call)

    def capture(self, call: ProviderCall) -> ProviderResult:
        return self._done(call)

    def void(self, call: ProviderCall) -> ProviderResult:
        return self._done(call)

    def refund(self, call: ProviderCall) -> ProviderResult:
        return ProviderResult("succeeded", reference=f"off_{call.idempotency_key}")
