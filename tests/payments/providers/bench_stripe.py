"""The Stripe provider's own cost per call, network excluded (docs/payments-stripe.md "Tests").
Run from the repository's root:
    DJANGO_SETTINGS_MODULE=ordino.settings PYTHONPATH=src \
        .venv/bin/python -m tests.payments.providers.bench_stripe
"""

from __future__ import annotations

import time
from decimal import Decimal

from ordino.payments.providers.base import ProviderCall
from ordino.payments.providers.stripe import StripeProvider
from tests.payments.providers.replay import ReplayHTTPClient, recorded


def main(n: int = 2000) -> None:
    client = ReplayHTTPClient(*([recorded("authorize_eur")] * n))
    provider = StripeProvider(api_key="sk_test_bench", http_client=client, max_network_retries=0)
    call = ProviderCall(
        idempotency_key="bench", amount=Decimal("12.34"), currency="EUR", token="pm_card_visa"
    )
    started = time.perf_counter()
    for _ in range(n):
        provider.authorize(call)
    took = time.perf_counter() - started
    print(f"{n} authorizations, answers replayed: {took:.2f} s, {took / n * 1e3:.2f} ms each")


if __name__ == "__main__":
    main()
