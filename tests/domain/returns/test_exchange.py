"""An exchange's money (returns/domain/exchange.py): which way the difference goes, when, and a
receipt-by-receipt refund that adds up to the difference exactly once."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as hs

from ordino.returns.domain.exchange import (
    CUSTOMER_OWES,
    EVEN,
    MERCHANT_OWES,
    exchange_money,
    receipt_refund,
)

D = Decimal


def money(returned, added, refund_now=False):
    return exchange_money(
        returned=D(returned), returned_tax=D("0"), added=D(added), added_tax=D("0"),
        refund_now=refund_now,
    )  # fmt: skip


def test_the_same_value_is_even_and_moves_nothing():
    m = money("19.99", "19.99")
    assert (m.direction, m.charge, m.refund_now, m.kept, m.difference) == (
        EVEN, D("0"), D("0"), D("19.99"), D("0"),
    )  # fmt: skip


def test_the_customer_owes_the_difference_charged_at_once():
    m = money("9.50", "19.99")
    assert (m.direction, m.charge, m.refund_now, m.kept) == (
        CUSTOMER_OWES, D("10.49"), D("0"), D("19.99"),
    )  # fmt: skip


def test_the_merchant_owes_on_receipt_or_at_once():
    later = money("39.98", "9.99")
    assert (later.direction, later.charge, later.refund_now, later.kept) == (
        MERCHANT_OWES, D("0"), D("0"), D("9.99"),
    )  # fmt: skip
    now = money("39.98", "9.99", refund_now=True)
    assert (now.refund_now, now.kept) == (D("29.99"), D("39.98"))


def test_the_tax_difference_is_the_new_tax_less_the_returned():
    m = exchange_money(
        returned=D("11.90"), returned_tax=D("1.90"), added=D("23.80"), added_tax=D("3.80"),
        refund_now=False,
    )  # fmt: skip
    assert (m.difference, m.tax_difference) == (D("11.90"), D("1.90"))


def test_a_receipt_refunds_only_what_passes_what_the_exchange_keeps():
    assert receipt_refund(decided_before=D(0), decided_now=D("19.99"), kept=D("9.99")) == D("10")
    assert receipt_refund(decided_before=D("19.99"), decided_now=D("19.99"), kept=D("9.99")) == D(
        "19.99"
    )
    assert receipt_refund(decided_before=D(0), decided_now=D("5"), kept=D("9.99")) == D(0)


@given(
    parts=hs.lists(hs.integers(min_value=0, max_value=10**6), min_size=1, max_size=12),
    kept=hs.integers(min_value=0, max_value=10**7),
    places=hs.sampled_from([0, 2, 3]),
)
def test_receipts_refund_the_excess_exactly_once_in_all(parts, kept, places):
    unit = D(1).scaleb(-places)
    decided, refunded = D(0), D(0)
    for part in parts:
        now = part * unit
        got = receipt_refund(decided_before=decided, decided_now=now, kept=kept * unit)
        assert got >= 0
        decided, refunded = decided + now, refunded + got
    assert refunded == max(decided - kept * unit, D(0))
