"""The strict readers every platform module maps with (connectors/platforms/payload.py): exact
money from decimal strings, and a line's total turned into unit prices without losing a cent
(property-based). Pure, no database."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.connectors.platforms import payload as p
from ordino.connectors.platforms.base import MappingError
from ordino.orders.domain.pricing import LineMoneyIn, order_price


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("12.5", "EUR", Decimal("12.50")),
        ("0", "JPY", Decimal("0")),
        ("1.234", "KWD", Decimal("1.234")),
        (" 7.10 ", "USD", Decimal("7.10")),
        (3, "EUR", Decimal("3.00")),
    ],
)
def test_money_is_read_exactly_in_the_currencys_minor_unit(value, currency, expected):
    amount = p.money(value, currency, "total")
    assert amount == expected and amount.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize(
    "value", [12.5, "12.505", "1e3x", "NaN", "Infinity", "-1.00", True, None, "1000000000000.00"]
)
def test_money_that_is_not_an_exact_amount_is_refused_naming_the_path(value):
    with pytest.raises(MappingError) as refused:
        p.money(value, "EUR", "line_items.3.total")
    assert refused.value.path == "line_items.3.total"


def test_a_time_without_offset_is_utc_and_one_with_an_offset_is_converted():
    assert p.utc("2017-03-22T19:28:08", "x") == datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC)
    assert p.utc("2024-12-25T10:30:00+02:00", "x") == datetime(2024, 12, 25, 8, 30, tzinfo=UTC)
    assert p.utc("2026-09-23T09:59:05.000Z", "x") == datetime(2026, 9, 23, 9, 59, 5, tzinfo=UTC)


@pytest.mark.parametrize("value", [0, -1, 1.0, "2", True, 1_000_001])
def test_a_quantity_that_is_not_a_whole_positive_number_is_refused(value):
    with pytest.raises(MappingError) as refused:
        p.quantity(value, "lines.0.quantity")
    assert refused.value.path == "lines.0.quantity"


cents = st.integers(min_value=0, max_value=10**9)


@given(
    units=st.integers(min_value=1, max_value=1000),
    amount=cents,
    discount_share=st.fractions(min_value=0, max_value=1),
    tax=cents,
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_a_lines_total_becomes_unit_prices_without_losing_a_minor_unit(
    units, amount, discount_share, tax, currency
):
    # given any line total, discount (at most the total) and tax, in any currency
    step = Decimal(1).scaleb(-{"EUR": 2, "JPY": 0, "KWD": 3}[currency])
    total = amount * step
    discount = int(amount * discount_share) * step
    # when it becomes Ordino lines
    lines = p.lines_at_unit_price(
        sku_code="S",
        units=units,
        amount=total,
        discount=discount,
        tax=tax * step,
        currency_code=currency,
    )
    # then at most two, the units, the money, the discount and the tax all add up exactly,
    # the prices differ by one minor unit at most, and Ordino prices them to the same total
    assert 1 <= len(lines) <= 2
    assert sum(line.quantity for line in lines) == units
    assert sum(line.unit_price * line.quantity for line in lines) == total
    assert sum(line.discount for line in lines) == discount
    assert sum(line.tax for line in lines) == tax * step
    assert max(line.unit_price for line in lines) - min(line.unit_price for line in lines) <= step
    priced = order_price(
        lines=[
            LineMoneyIn(line.quantity, line.unit_price, line.discount, line.tax) for line in lines
        ],
        currency=currency,
        order_discount=Decimal(0),
        shipping_price=Decimal(0),
        shipping_tax=Decimal(0),
        expected_total=total - discount + tax * step,
    )
    assert priced.grand_total == total - discount + tax * step


def test_the_raw_payload_is_a_json_copy_and_what_json_cannot_hold_is_refused():
    payload = {"id": 1, "lines": [{"price": 2.8}], "note": None}
    copy = p.raw_copy(payload)
    assert copy == payload and copy["lines"] is not payload["lines"]
    with pytest.raises(MappingError) as refused:
        p.raw_copy({"id": 1, "price": float("nan")})
    assert refused.value.path == "$"
