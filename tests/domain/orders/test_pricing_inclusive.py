"""Inclusive prices: the tax is the part included (docs/tax.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.orders.domain.pricing import LineMoneyIn, order_price


def test_inclusive_prices_keep_the_tax_inside_the_line_total():
    # given a channel whose prices include tax: 2 × 59.50 with 19.00 of tax inside, 4.95 shipping
    money = order_price(
        lines=[LineMoneyIn(2, Decimal("59.50"), Decimal(0), Decimal("19.00"))],
        currency="EUR",
        order_discount=Decimal(0),
        shipping_price=Decimal("4.95"),
        shipping_tax=Decimal("0.79"),
        expected_total=Decimal("123.95"),
        inclusive=True,
    )
    # then the line's total is what the customer pays, and the shipping tax is inside too
    assert (money.lines[0].total, money.lines[0].tax) == (Decimal("119.00"), Decimal("19.00"))
    assert (money.grand_total, money.tax_total) == (Decimal("123.95"), Decimal("19.79"))


def test_inclusive_tax_above_what_includes_it_is_refused():
    with pytest.raises(DomainError) as refused:
        order_price(
            lines=[LineMoneyIn(1, Decimal("10"), Decimal("5"), Decimal("5.01"))],
            currency="EUR",
            order_discount=Decimal(0),
            shipping_price=Decimal(0),
            shipping_tax=Decimal("0.01"),
            expected_total=None,
            inclusive=True,
        )
    assert refused.value.code == "tax_exceeds_price"
    assert [e["field"] for e in refused.value.errors] == ["lines.0.tax", "shipping_tax"]
