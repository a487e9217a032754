from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import allocate, minor_unit, money_exact


@pytest.mark.parametrize(("currency", "digits"), [("JPY", 0), ("EUR", 2), ("KWD", 3)])
def test_minor_units_follow_iso_4217(currency, digits):
    assert minor_unit(currency) == digits


def test_an_unknown_currency_is_refused():
    with pytest.raises(DomainError) as err:
        minor_unit("XYZ")
    assert err.value.code == "unknown_currency"


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("19.99", "EUR", "19.99"),
        ("19.9", "EUR", "19.90"),
        ("100", "JPY", "100"),
        ("1.005", "KWD", "1.005"),
    ],
)
def test_exact_amounts_get_the_currency_scale(amount, currency, expected):
    assert str(money_exact(Decimal(amount), currency)) == expected


@pytest.mark.parametrize(
    ("amount", "currency"), [("19.999", "EUR"), ("1.5", "JPY"), ("1.0001", "KWD")]
)
def test_more_decimals_than_the_currency_allows_are_refused_not_rounded(amount, currency):
    with pytest.raises(DomainError) as err:
        money_exact(Decimal(amount), currency, field="price")
    assert err.value.code == "money_precision"
    assert err.value.errors[0]["field"] == "price"


def test_largest_remainder_gives_leftover_cents_to_the_largest_remainders_first():
    assert allocate(Decimal("1.00"), [1, 1, 1], "EUR") == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]
    assert allocate(Decimal("10"), [1, 2], "JPY") == [Decimal("3"), Decimal("7")]


def test_allocating_over_zero_weights_spreads_evenly():
    assert allocate(Decimal("0.03"), [0, 0, 0], "EUR") == [Decimal("0.01")] * 3


@given(
    cents=st.integers(min_value=0, max_value=10_000_000),
    weights=st.lists(st.integers(min_value=0, max_value=100_000), min_size=1, max_size=30),
)
def test_allocation_always_adds_up_exactly_and_stays_in_minor_units(cents, weights):
    total = Decimal(cents).scaleb(-2)
    parts = allocate(total, weights, "EUR")
    assert sum(parts) == total
    assert all(p == p.quantize(Decimal("0.01")) and p >= 0 for p in parts)
    if sum(weights):
        # no part strays more than one cent from its exact share
        for part, weight in zip(parts, weights, strict=True):
            exact = total * weight / sum(weights)
            assert abs(part - exact) < Decimal("0.01")
