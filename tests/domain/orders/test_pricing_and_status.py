from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st_

from ordino.core.domain.errors import DomainError
from ordino.orders.domain import status as st
from ordino.orders.domain.pricing import (
    LineMoneyIn,
    cancelled_amount,
    kept_units_amount,
    kept_units_part,
    order_price,
)

D = Decimal


def price(lines, **extra):
    args = {
        "currency": "EUR",
        "order_discount": D(0),
        "shipping_price": D(0),
        "shipping_tax": D(0),
        "expected_total": None,
    }
    args.update(extra)
    return order_price(lines=[LineMoneyIn(*line) for line in lines], **args)


def test_totals_are_tax_exclusive_line_sums_plus_shipping():
    money = price(
        [(2, D("19.99"), D("1.00"), D("7.41")), (1, D("5.00"), D(0), D("0.95"))],
        shipping_price=D("4.95"),
        shipping_tax=D("0.94"),
    )
    assert [line.total for line in money.lines] == [D("46.39"), D("5.95")]
    assert (money.subtotal, money.discount_total, money.tax_total) == (
        D("44.98"),
        D("1.00"),
        D("9.30"),
    )
    assert money.grand_total == D("58.23")


def test_the_order_discount_is_allocated_by_net_line_value():
    money = price(
        [(1, D("30.00"), D(0), D(0)), (1, D("10.00"), D(0), D(0))], order_discount=D("1.00")
    )
    assert [line.order_discount for line in money.lines] == [D("0.75"), D("0.25")]


def test_a_channel_total_that_differs_is_refused():
    with pytest.raises(DomainError) as err:
        price([(1, D("10.00"), D(0), D(0))], expected_total=D("10.01"))
    assert err.value.code == "total_mismatch"


def test_every_bad_amount_is_reported_with_its_field():
    with pytest.raises(DomainError) as err:
        price([(1, D("10.001"), D(0), D(0)), (1, D("1"), D("0.001"), D(0))])
    assert [e["field"] for e in err.value.errors] == ["lines.0.unit_price", "lines.1.discount"]


def test_jpy_has_no_decimals():
    with pytest.raises(DomainError):
        price([(1, D("100.5"), D(0), D(0))], currency="JPY")


def test_discount_above_the_price_is_refused():
    with pytest.raises(DomainError) as err:
        price([(1, D("5.00"), D("6.00"), D(0))])
    assert err.value.errors[0]["code"] == "discount_exceeds_price"


def test_cancelled_amounts_are_cumulative_and_end_at_the_line_total():
    total = D("10.00")
    parts = [cancelled_amount(total, 3, n, "EUR") for n in range(4)]
    assert parts == [D(0), D("3.33"), D("6.67"), D("10.00")]


@given(
    ordered=st_.integers(1, 12),
    data=st_.data(),
    cents=st_.integers(0, 10**9),
    currency=st_.sampled_from(["JPY", "EUR", "KWD"]),
)
def test_units_kept_before_a_later_cancellation_keep_their_share(ordered, data, cents, currency):
    # Given a line, some of its units billed (or returned, or refunded) first
    total = D(cents).scaleb(-{"JPY": 0, "EUR": 2, "KWD": 3}[currency])
    first = data.draw(st_.integers(0, ordered))
    early = kept_units_amount(total, ordered, 0, first, currency)
    # When some of the units not yet billed are cancelled afterwards
    cancelled = data.draw(st_.integers(0, ordered - first))
    # Then the units billed first and the rest of the kept units add up to the line's money
    # now, exactly, with no part below zero (docs/orders.md, "Money")
    rest = kept_units_part(total, ordered, cancelled, first, ordered - cancelled - first, currency)
    assert early + rest == total - cancelled_amount(total, ordered, cancelled, currency)
    assert early >= 0 and rest >= 0


def test_two_units_billed_before_the_other_two_are_cancelled_are_the_lines_money():
    # Given 4 units for 493.81 EUR, the first two billed (246.91: the half takes the cent)
    billed = kept_units_amount(D("493.81"), 4, 0, 2, "EUR")
    # When the other two are cancelled, then the line keeps exactly what was billed
    assert billed == D("493.81") - cancelled_amount(D("493.81"), 4, 2, "EUR") == D("246.91")


def test_the_status_table_allows_what_it_lists_and_nothing_else():
    assert st.transition_check(st.CREATED, st.ALLOCATED) == st.ALLOCATED
    with pytest.raises(DomainError) as err:
        st.transition_check(st.CANCELLED, st.ALLOCATED)
    assert err.value.code == "invalid_transition"
    assert err.value.status == 409
    for source, targets in st.TRANSITIONS.items():
        assert source in st.STATUSES and targets <= set(st.STATUSES)


@pytest.mark.parametrize(
    ("buckets", "expected"),
    [
        (
            {"ordered": 3, "cancelled": 3, "backordered": 0, "allocated": 0, "shipped": 0},
            st.CANCELLED,
        ),
        (
            {"ordered": 3, "cancelled": 0, "backordered": 1, "allocated": 2, "shipped": 0},
            st.BACKORDERED,
        ),
        (
            {"ordered": 3, "cancelled": 1, "backordered": 0, "allocated": 2, "shipped": 0},
            st.ALLOCATED,
        ),
        (
            {"ordered": 3, "cancelled": 0, "backordered": 0, "allocated": 1, "shipped": 2},
            st.PARTIALLY_SHIPPED,
        ),
        (
            {"ordered": 3, "cancelled": 1, "backordered": 0, "allocated": 0, "shipped": 2},
            st.SHIPPED,
        ),
    ],
)
def test_status_from_buckets(buckets, expected):
    assert st.status_from_buckets(**buckets) == expected
