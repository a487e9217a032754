from __future__ import annotations

import pytest

from ordino.core.domain.errors import DomainError
from ordino.orders.domain.cancellation import CancelRequest, LineCut, cancellation_plan


def line(line_no=1, backordered=0, allocated=0, needs=None, holdings=()):
    return CancelRequest(line_no, backordered, allocated, needs or {7: 1}, list(holdings))


def test_backordered_units_go_before_reserved_ones():
    plan = cancellation_plan(
        lines=[line(backordered=1, allocated=2, holdings=[(100, 1, 2)])], wanted={1: 2}
    )
    assert plan.lines == [LineCut(1, 2, 1, 1)]
    assert plan.holding_cuts == [(100, 1)]
    assert plan.releases == {(1, 7): 1}


def test_reserved_units_are_released_from_the_newest_reservation_first():
    plan = cancellation_plan(
        lines=[line(allocated=3, holdings=[(100, 1, 2), (101, 2, 1)])], wanted={1: 2}
    )
    assert plan.holding_cuts == [(101, 1), (100, 1)]
    assert plan.releases == {(2, 7): 1, (1, 7): 1}


def test_a_kit_releases_all_its_components():
    kit = line(allocated=1, needs={7: 1, 8: 2}, holdings=[(100, 1, 1)])
    plan = cancellation_plan(lines=[kit], wanted=None)
    assert plan.releases == {(1, 7): 1, (1, 8): 2}
    assert plan.holding_cuts == [(100, 1)]


def test_cancel_everything_skips_lines_with_nothing_left():
    plan = cancellation_plan(lines=[line(1, allocated=0), line(2, backordered=2)], wanted=None)
    assert plan.lines == [LineCut(2, 2, 2, 0)]


@pytest.mark.parametrize("wanted", [{1: 4}, {9: 1}])
def test_too_much_or_an_unknown_line_is_refused(wanted):
    with pytest.raises(DomainError) as err:
        cancellation_plan(
            lines=[line(backordered=1, allocated=2, holdings=[(1, 1, 2)])], wanted=wanted
        )
    assert err.value.code == "invalid_cancellation"


def test_nothing_left_to_cancel_is_a_conflict():
    with pytest.raises(DomainError) as err:
        cancellation_plan(lines=[line()], wanted=None)
    assert (err.value.code, err.value.status) == ("nothing_to_cancel", 409)


def test_reservations_that_do_not_cover_the_line_are_a_conflict():
    with pytest.raises(DomainError) as err:
        cancellation_plan(lines=[line(allocated=2, holdings=[(1, 1, 1)])], wanted={1: 2})
    assert err.value.code == "allocation_mismatch"
