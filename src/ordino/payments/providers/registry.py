"""Which provider serves a payment's `provider` code. Stripe's adapter lives in
`providers/stripe.py` and is imported when first asked for, so payments work without it."""

from __future__ import annotations

from collections.abc import Callable

from ordino.core.domain.errors import DomainError
from ordino.payments.providers.base import PaymentProvider
from ordino.payments.providers.offline import OfflineProvider
from ordino.payments.providers.scripted import ScriptedProvider


def _stripe() -> PaymentProvider:
    from ordino.payments.providers.stripe import StripeProvider  # written beside this module

    return StripeProvider()


def _store_credit() -> PaymentProvider:
    from ordino.payments.providers.credit import StoreCreditProvider  # it uses the services

    return StoreCreditProvider()


PROVIDERS: dict[str, Callable[[], PaymentProvider]] = {
    "offline": OfflineProvider,
    "test": ScriptedProvider,
    "stripe": _stripe,
    "store_credit": _store_credit,
}


def provider_get(code: str) -> PaymentProvider:
    factory = PROVIDERS.get(code)
    if factory is None:
        raise DomainError("unknown_provider", f"No payment provider {code!r}.", field="provider")
    return factory()
