"""Rate sheets: brackets per zone from 0, no gap, no overlap; every bad row named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.sheets import Bracket, rate_sheet_check

D = Decimal


def sheet(*rows):
    return [Bracket(z, D(a), D(b), D(p), row=i + 2) for i, (z, a, b, p) in enumerate(rows)]


def test_a_sound_sheet_prices_each_weight_in_its_bracket():
    s = rate_sheet_check(
        "EUR", "kg", sheet(("1", 0, 1, "4.90"), ("1", 1, 5, "6.90"), ("2", 0, 5, "9.90"))
    )
    assert s.bracket_for("1", D(1)).price == D("4.90")  # up to and including
    assert s.bracket_for("1", D("1.5")).price == D("6.90")
    assert s.bracket_for("1", D("5.5")) is None
    assert s.max_weight("1") == D(5)


def test_a_gap_an_overlap_and_a_bad_price_are_each_named_and_nothing_is_loaded():
    rows = sheet(
        ("1", 0, 1, "4.90"),
        ("1", 2, 5, "6.90"),  # row 3: a gap above 1
        ("2", 0, 5, "9.90"),
        ("2", 4, 10, "12.90"),  # row 5: inside row 4
        ("3", 0, 1, "1.999"),  # row 6: three decimals in EUR
        ("4", "0.5", 1, "2.00"),  # row 7: does not start at 0
    )
    with pytest.raises(DomainError) as refused:
        rate_sheet_check("EUR", "kg", rows)
    assert [(e["field"], e["code"]) for e in refused.value.errors] == [
        ("row 3", "bracket_gap"),
        ("row 5", "bracket_overlap"),
        ("row 6", "invalid_bracket"),
        ("row 7", "bracket_gap"),
    ]
    assert refused.value.errors[0]["message"] == "Row 3: zone 1: starts above 2, after 1 (row 2)."


@given(st.lists(st.integers(1, 5), min_size=1, max_size=8), st.data())
def test_any_hole_or_overlap_in_a_chain_is_found(steps, data):
    # given a sound chain of brackets for one zone
    ends = [sum(steps[: i + 1]) for i in range(len(steps))]
    starts = [0, *ends[:-1]]
    pairs = enumerate(zip(starts, ends, strict=True))
    rows = [Bracket("1", D(a), D(b), D(1), row=i + 2) for i, (a, b) in pairs]
    assert len(rate_sheet_check("EUR", "kg", rows).brackets) == len(rows)
    # when one bracket's start moves
    i = data.draw(st.integers(0, len(rows) - 1))
    shift = data.draw(st.sampled_from([-1, 1]).filter(lambda s: starts[i] + s >= 0))
    moved = rows[i]
    if starts[i] + shift >= ends[i]:
        return  # it would end where it starts: another error, tested above
    rows[i] = Bracket("1", moved.above + shift, moved.up_to, moved.price, moved.row)
    # then the sheet is refused, naming that row
    with pytest.raises(DomainError) as refused:
        rate_sheet_check("EUR", "kg", rows)
    assert f"row {moved.row}" in [e["field"] for e in refused.value.errors]
