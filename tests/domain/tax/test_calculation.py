"""The tax of an order: rates picked per class and destination, tax per rate on the sum,
allocated to the lines by largest remainder; exclusive and inclusive prices; JPY, EUR, KWD."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.core.domain.money import quantum
from ordino.tax.domain.calculation import TaxLine, order_tax, rate_tax
from ordino.tax.domain.rates import Rate, overlap_of, rate_check, rate_pick

DAY = date(2026, 6, 1)
D = Decimal


def rate(id, rate, tax_class="standard", country="DE", region="", start=date(2020, 1, 1), end=None):
    return Rate(
        id, country, region, tax_class, D(rate), f"{country} {tax_class} {rate}", start, end
    )


DE = [
    rate(1, "19", "standard"),
    rate(2, "7", "reduced"),
    rate(3, "8.875", "standard", country="US", region="NY"),
    rate(4, "0", "standard", country="US"),
]


def tax(lines, shipping="0", currency="EUR", inclusive=False, country="DE", region="", rates=DE):
    return order_tax(
        country=country,
        region=region,
        lines=[TaxLine(D(a), c) for a, c in lines],
        shipping=D(shipping),
        rates=rates,
        currency=currency,
        inclusive=inclusive,
        on=DAY,
    )


def test_the_region_s_rate_wins_over_the_country_s():
    # given a country rate of 0 % and New York's 8.875 %
    # when the class is picked in NY, and in another state
    ny = rate_pick(DE, country="US", region="ny", tax_class="standard", on=DAY)
    other = rate_pick(DE, country="US", region="CA", tax_class="standard", on=DAY)
    # then the region's rate applies in NY, the country's elsewhere
    assert (ny.id, other.id) == (3, 4)


def test_shipping_falls_back_to_standard_and_a_shipping_rate_wins_when_configured():
    # given only standard and reduced rates, then a shipping rate as well
    assert rate_pick(DE, country="DE", region="", tax_class="shipping", on=DAY).id == 1
    with_shipping = [*DE, rate(9, "5", "shipping")]
    # then shipping takes its own class first
    assert rate_pick(with_shipping, country="DE", region="", tax_class="shipping", on=DAY).id == 9


def test_a_rate_applies_from_its_first_to_its_last_day_only():
    # given a rate that ended on 2026-05-31 and its successor
    rates = [rate(1, "16", end=date(2026, 5, 31)), rate(2, "19", start=date(2026, 6, 1))]
    # then each day has exactly one
    assert (
        rate_pick(rates, country="DE", region="", tax_class="standard", on=date(2026, 5, 31)).id
        == 1
    )
    assert rate_pick(rates, country="DE", region="", tax_class="standard", on=DAY).id == 2
    assert (
        rate_pick(rates, country="DE", region="", tax_class="standard", on=date(2019, 1, 1)) is None
    )


def test_no_rate_configured_is_tax_zero_and_said():
    # given a class no rate names, and a country without rates
    result = tax([("10.00", "books")])
    abroad = tax([("10.00", "standard")], country="FR")
    # then the tax is 0 and the notes say why
    assert result.lines[0].tax == D("0.00") and result.lines[0].rate is None
    assert result.notes == ("No tax rate for class 'books' in DE on 2026-06-01: tax 0.",)
    assert abroad.total == 0 and abroad.notes[0].startswith(
        "No tax rate for class 'standard' in FR"
    )


def test_tax_per_rate_on_the_sum_then_allocated_not_rounded_per_line():
    # given three lines of 0.05 at 10 % (each 0.005: 0.01 rounded alone, 0.03 in all)
    rates = [rate(1, "10")]
    result = tax([("0.05", "standard")] * 3, rates=rates)
    # then the order's tax is the rounded tax of the sum, 0.015 → 0.02, allocated exactly
    assert result.per_rate[0].tax == D("0.02")
    assert [line.tax for line in result.lines] == [D("0.01"), D("0.01"), D("0.00")]


def test_shipping_is_part_of_its_rate_s_group():
    # given a line at 19 % and shipping of 4.95 (standard, by fallback)
    result = tax([("100.00", "standard"), ("10.00", "reduced")], shipping="4.95")
    # then standard taxes 104.95 (19.94) and reduced 10.00 (0.70)
    assert [(r.rate.id, r.base, r.tax) for r in result.per_rate] == [
        (1, D("104.95"), D("19.94")),
        (2, D("10.00"), D("0.70")),
    ]
    assert result.lines[0].tax + result.shipping.tax == D("19.94")
    assert (result.shipping.tax, result.total) == (D("0.94"), D("20.64"))


@pytest.mark.parametrize(
    ("currency", "amounts", "expected"),
    [
        # 1666 × 19 % = 316.54 → 317: 190.28 / 63.36 / 63.36, the odd yen to the earlier tie
        ("JPY", ["1000", "333", "333"], ["190", "64", "63"]),
        # 29.49 × 19 % = 5.6031 → 5.60: 3.796 / 1.804
        ("EUR", ["19.99", "9.50"], ["3.80", "1.80"]),
        # 1.235 × 19 % = 0.23465 → 0.235 (half up), all of it on the first line
        ("KWD", ["1.234", "0.001"], ["0.235", "0.000"]),
    ],
)
def test_minor_units_of_jpy_eur_kwd(currency, amounts, expected):
    # given lines in a currency of 0, 2 or 3 decimals at 19 %
    result = tax([(a, "standard") for a in amounts], currency=currency)
    # then each line's tax has the currency's decimals and they add up to the rate's tax
    assert [str(line.tax) for line in result.lines] == expected
    assert sum(line.tax for line in result.lines) == result.per_rate[0].tax
    assert all(
        line.tax.as_tuple().exponent == quantum(currency).as_tuple().exponent
        for line in result.lines
    )


def test_inclusive_prices_tax_is_the_included_part():
    # given a gross line of 119.00 at 19 %, and one of JPY 1000 at 10 %
    assert rate_tax(D("119.00"), D("19"), "EUR", inclusive=True) == D("19.00")
    assert rate_tax(D("1000"), D("10"), "JPY", inclusive=True) == D("91")
    assert rate_tax(D("1.000"), D("19"), "KWD", inclusive=True) == D("0.160")


def test_rate_bounds():
    assert rate_check(D("19")) == D("19.000")
    for bad in (D("-1"), D("100.001"), D("7.0001"), D("NaN")):
        with pytest.raises(DomainError) as refused:
            rate_check(bad)
        assert refused.value.code == "invalid_rate"


def test_an_overlapping_period_is_found():
    # given 16 % to the end of May and 19 % open from June
    old = rate(1, "16", end=date(2026, 5, 31))
    # then a new rate from May 15 meets the old one; one from June 1 does not
    assert overlap_of(rate(2, "19", start=date(2026, 5, 15)), [old]) == old
    assert overlap_of(rate(2, "19", start=date(2026, 6, 1)), [old]) is None
    assert overlap_of(rate(2, "19", region="BY", start=date(2026, 5, 1)), [old]) is None


CURRENCIES = st.sampled_from(["JPY", "EUR", "KWD"])
RATES = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def orders(draw):
    currency = draw(CURRENCIES)
    q = quantum(currency)
    units = st.integers(min_value=0, max_value=10**9)
    lines = draw(
        st.lists(
            st.tuples(units, st.sampled_from(["standard", "reduced", "none"])),
            min_size=1,
            max_size=8,
        )
    )
    rates = [
        Rate(1, "DE", "", "standard", draw(RATES), "s", date(2020, 1, 1)),
        Rate(2, "DE", "", "reduced", draw(RATES), "r", date(2020, 1, 1)),
    ]
    shipping = draw(units) * q
    return currency, [TaxLine(u * q, c) for u, c in lines], shipping, rates


@given(orders(), st.booleans())
def test_property_lines_add_up_to_the_tax_per_rate(order, inclusive):
    currency, lines, shipping, rates = order
    result = order_tax(
        country="DE",
        region="",
        lines=lines,
        shipping=shipping,
        rates=rates,
        currency=currency,
        inclusive=inclusive,
        on=DAY,
    )
    members = [*result.lines, result.shipping]
    amounts = [*(line.amount for line in lines), shipping]
    for total in result.per_rate:
        # the lines (and shipping) of a rate add up exactly to the rate's tax on their sum
        of_rate = [m.tax for m in members if m.rate is not None and m.rate.id == total.rate.id]
        assert sum(of_rate) == total.tax
        assert total.tax == rate_tax(total.base, total.rate.rate, currency, inclusive=inclusive)
    for member, amount in zip(members, amounts, strict=True):
        assert member.tax.as_tuple().exponent == quantum(currency).as_tuple().exponent
        if inclusive:
            # inclusive: what is left is the net, net + tax = gross exactly, never negative
            net = amount - member.tax
            assert net + member.tax == amount and net >= 0
        if member.rate is None:
            assert member.tax == 0
