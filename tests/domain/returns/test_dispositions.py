"""Dispositions (one per received unit) and the refund decision: repeated returns of a line
give back exactly its total and tax, in currencies of 0, 2 and 3 decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as s

from ordino.core.domain.errors import DomainError
from ordino.orders.domain.pricing import cancelled_amount
from ordino.returns.domain.dispositions import LineMoney, Received, receive_check, refund_decision
from ordino.returns.domain.states import CANCELLED, CLOSED, OPEN, cancel_check, transition_check


def refused(outstanding, received) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        receive_check(outstanding=outstanding, received=received)
    return [(e["field"], e["code"]) for e in caught.value.errors]


def test_each_unit_gets_one_disposition_within_what_is_expected():
    # Given a line expecting 3 units
    receive_check(outstanding={1: 3}, received=[Received(1, {"restock": 2, "missing": 1})])
    # When 4 are received, Then the quantity is refused
    assert refused({1: 3}, [Received(1, {"restock": 2, "damaged": 2})]) == [
        ("lines.0.quantity", "quantity_exceeds_expected")
    ]


def test_a_receipt_of_nothing_an_unknown_line_or_disposition_is_refused():
    assert refused({1: 3}, [Received(1, {"restock": 0})]) == [("lines", "nothing_received")]
    assert refused({1: 3}, [Received(2, {"restock": 1})]) == [
        ("lines.0.line_no", "line_not_in_return")
    ]
    assert refused({1: 3}, [Received(1, {"resell": 1})]) == [
        ("lines.0.resell", "disposition_invalid")
    ]


@pytest.mark.parametrize(
    ("currency", "total", "tax", "parts"),
    [
        (
            "JPY",
            Decimal("1000"),
            Decimal("91"),
            [(1, "333", "30"), (1, "334", "31"), (1, "333", "30")],
        ),
        ("EUR", Decimal("0.01"), Decimal("0.00"), [(1, "0.01", "0.00"), (1, "0.00", "0.00")]),
        (
            "KWD",
            Decimal("10.000"),
            Decimal("1.001"),
            [(2, "6.667", "0.667"), (1, "3.333", "0.334")],
        ),
    ],
)
def test_repeated_returns_of_a_line_tie_out_exactly(currency, total, tax, parts):
    # Given a line of 3 (or 2) units, When its units come back in several returns
    money = LineMoney(total, tax, sum(units for units, _, _ in parts), currency, cancelled=0)
    before, got = 0, []
    for units, _, _ in parts:
        got.append(refund_decision(money, returned_before=before, units=units))
        before += units
    # Then each return's share is exact and together they are the line's total and tax
    assert [(str(t), str(x)) for t, x in got] == [(t, x) for _, t, x in parts]
    assert sum(t for t, _ in got) == total and sum(x for _, x in got) == tax


@given(
    units=s.lists(s.integers(1, 5), min_size=1, max_size=6),
    cancelled=s.integers(0, 5),
    cents=s.integers(0, 10**9),
    currency=s.sampled_from(["JPY", "EUR", "KWD"]),
)
def test_any_sequence_of_returns_adds_up_to_the_line_less_its_cancelled_units(
    units, cancelled, cents, currency
):
    # Given a line of which some units were cancelled first
    places = {"JPY": 0, "EUR": 2, "KWD": 3}[currency]
    total = Decimal(cents).scaleb(-places)
    ordered = sum(units) + cancelled
    money = LineMoney(total, total, ordered, currency, cancelled=cancelled)
    # When every unit kept comes back, return by return
    before, parts = 0, []
    for n in units:
        parts.append(refund_decision(money, returned_before=before, units=n)[0])
        before += n
    # Then the returns give back exactly the line's money now, never a negative part
    assert sum(parts) == total - cancelled_amount(total, ordered, cancelled, currency)
    assert all(p >= 0 for p in parts)


def test_returning_the_units_left_after_a_cancellation_gives_back_the_money_left():
    # Given 4 units for 493.81 EUR, 2 cancelled (the last two's share: 246.90, the line 246.91)
    money = LineMoney(Decimal("493.81"), Decimal("0.01"), 4, "EUR", cancelled=2)
    # When the 2 kept come back, then they give back the line's 246.91, not a cent more or less
    assert refund_decision(money, returned_before=0, units=2) == (
        Decimal("246.91"),
        Decimal("0.01"),  # the tax's cent is the first units' too: the cancelled took none
    )
    assert refund_decision(money, returned_before=0, units=1) == (
        Decimal("123.45"),
        Decimal("0.00"),
    )


def test_a_return_moves_through_its_states_and_cancels_only_before_a_receipt():
    assert transition_check("requested", OPEN) == OPEN
    assert transition_check(OPEN, CLOSED) == CLOSED
    with pytest.raises(DomainError) as caught:
        transition_check(CLOSED, OPEN)
    assert (caught.value.code, caught.value.status) == ("invalid_return_transition", 409)
    cancel_check(OPEN, 0)
    with pytest.raises(DomainError) as caught:
        cancel_check(OPEN, 1)
    assert caught.value.code == "return_received"
    with pytest.raises(DomainError):
        cancel_check(CANCELLED, 0)
