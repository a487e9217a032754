"""Ordino's exact amounts as Stripe's integers (docs/payments-stripe.md "Amounts")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import MINOR_UNITS
from ordino.payments.providers.stripe import (
    THREE_DECIMAL,
    ZERO_DECIMAL,
    stripe_amount,
    stripe_decimals,
)


@pytest.mark.parametrize(
    ("amount", "currency", "sent"),
    [
        ("12.34", "EUR", 1234),
        ("0.01", "USD", 1),
        ("1500", "JPY", 1500),
        ("1", "KRW", 1),
        ("12.340", "KWD", 12340),
        ("0.010", "BHD", 10),
        ("500", "ISK", 50000),  # ISO: 0 decimals; Stripe's API: two, so ×100
        ("2500", "UGX", 2500),
        ("999999.99", "EUR", 99999999),
    ],
)
def test_stripe_amount(amount, currency, sent):
    # given an exact amount in the currency, when converted, then Stripe's integer
    assert stripe_amount(Decimal(amount), currency) == sent


def test_a_lowercase_currency_is_the_same_currency():
    assert stripe_amount(Decimal("1.00"), "eur") == 100


def test_iso_three_decimal_currencies_stripe_lacks_are_refused():
    # given IQD and LYD have 3 decimals in ISO but no three-decimal rule at Stripe
    for currency in ("IQD", "LYD"):
        with pytest.raises(DomainError) as caught:
            stripe_decimals(currency)
        # then refused, not guessed
        assert caught.value.code == "stripe_currency"


def _stripe_currencies() -> list[str]:
    taken = []
    for currency in sorted(MINOR_UNITS):
        try:
            stripe_decimals(currency)
        except DomainError:
            continue
        taken.append(currency)
    return taken


@given(
    currency=st.sampled_from(_stripe_currencies()),
    units=st.integers(min_value=1, max_value=10**12),
)
def test_every_whole_amount_goes_and_comes_back_exactly(currency, units):
    # given any positive amount with exactly the currency's ISO decimals (KWD & co: a 0 last)
    if currency in THREE_DECIMAL:
        units *= 10
    amount = Decimal(units).scaleb(-MINOR_UNITS[currency])
    # when converted
    sent = stripe_amount(amount, currency)
    # then Stripe's integer, read back with Stripe's decimals, is the same amount
    assert Decimal(sent).scaleb(-stripe_decimals(currency)) == amount
    assert (currency in ZERO_DECIMAL) == (stripe_decimals(currency) == 0)
