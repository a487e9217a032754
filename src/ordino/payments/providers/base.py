"""The interface every payment provider implements (docs/payments.md).

A provider call is made after commit, from the outbox, and may be retried: every call carries
an idempotency key, and a provider must answer a repeated key with the first call's result
(never charge twice). Card numbers never reach Ordino: `token` is the provider's reference to
the payment method (a Stripe PaymentMethod id, a test token), `reference` the provider's id
of what an earlier call created (the authorization a capture, void or refund acts on)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

Outcome = Literal["succeeded", "declined", "failed", "unknown"]
# succeeded: done. declined: the provider refused (card declined, insufficient funds): a person
# must act. failed: it did not happen (an error on the provider's side): retry later with the
# same key. unknown: no answer (timeout, lost connection): retry with the same key, which tells
# whether it happened.


@dataclass(frozen=True)
class ProviderCall:
    idempotency_key: str
    amount: Decimal  # exact, in the currency's minor unit (core.domain.money)
    currency: str
    token: str = ""  # authorize: the provider's payment-method reference
    reference: str = ""  # capture, void, refund: the provider's id of the authorization
    description: str = ""  # e.g. "Order W-100": shown in the provider's dashboard
    # capture: False when more captures will follow on this authorization (a shipment that is
    # not the order's last). Added for Stripe, whose partial capture releases the rest unless
    # multicapture keeps it (docs/payments-stripe.md "Capture per shipment"). Default: final.
    final: bool = True


@dataclass(frozen=True)
class ProviderResult:
    outcome: Outcome
    reference: str = ""  # the provider's id of what this call created or acted on
    message: str = ""  # the provider's words, for a person (a decline reason)
    expires_at: datetime | None = None  # authorize: when the authorization lapses (UTC)
    brand: str = ""  # authorize: the card's brand, if the provider says
    last4: str = ""  # authorize: the card's last four digits, if the provider says


class PaymentProvider(Protocol):
    code: str  # "offline", "test", "stripe"
    # Optional attributes the payments module reads with a default: `multicapture` (True: a
    # partial capture keeps the rest authorized) and `renews_in_place` (True: `authorize` with
    # the same reference renews an authorization; False, Stripe: a renewal is a new
    # authorization and the old one is released — payments/services/renew.py).

    def authorize(self, call: ProviderCall) -> ProviderResult: ...

    def capture(self, call: ProviderCall) -> ProviderResult: ...

    def void(self, call: ProviderCall) -> ProviderResult: ...

    def refund(self, call: ProviderCall) -> ProviderResult: ...
