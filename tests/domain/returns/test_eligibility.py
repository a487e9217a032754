"""The eligibility rule: window, non-returnable SKUs, returnable units; and which policy wins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ordino.core.domain.errors import DomainError
from ordino.returns.domain.eligibility import (
    LineFacts,
    Policy,
    PolicyRule,
    Wanted,
    policy_for,
    request_check,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


THIRTY = Policy(30)


def line(no=1, *, shipped=2, returned=0, pending=0, days_ago=1, policy=THIRTY) -> LineFacts:
    at = NOW - timedelta(days=days_ago) if days_ago is not None else None
    return LineFacts(no, "TEE", shipped, returned, pending, at, policy)


def refused(lines, wanted) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as caught:
        request_check(lines={x.line_no: x for x in lines}, wanted=wanted, now=NOW)
    return [(e["field"], e["code"]) for e in caught.value.errors]


def test_units_shipped_and_in_the_window_may_be_returned():
    # Given a line of two units delivered 30 days ago, a 30-day window
    # When both are asked for, Then nothing is refused (the last day counts)
    request_check(lines={1: line(days_ago=30)}, wanted=[Wanted(1, 2)], now=NOW)


def test_the_window_closes_a_day_after_its_last_day():
    # Given a delivery 31 days ago and a 30-day window
    # Then the line is refused, naming its field
    assert refused([line(days_ago=31)], [Wanted(1, 1)]) == [
        ("lines.0.line_no", "return_window_closed")
    ]


def test_a_not_returnable_sku_is_refused():
    assert refused([line(policy=Policy(30, returnable=False))], [Wanted(1, 1)]) == [
        ("lines.0.line_no", "not_returnable")
    ]


def test_returnable_units_are_shipped_less_returned_less_requested():
    # Given 5 shipped, 1 returned, 2 on a pending return: 2 returnable
    facts = line(shipped=5, returned=1, pending=2)
    assert facts.returnable == 2
    request_check(lines={1: facts}, wanted=[Wanted(1, 2)], now=NOW)
    # When 3 are asked for, Then the quantity is refused
    assert refused([facts], [Wanted(1, 3)]) == [("lines.0.quantity", "quantity_exceeds_returnable")]


def test_units_not_shipped_yet_have_no_window_and_are_not_returnable():
    assert refused([line(shipped=0, days_ago=None)], [Wanted(1, 1)]) == [
        ("lines.0.quantity", "quantity_exceeds_returnable")
    ]


def test_every_refused_line_is_named_with_its_index():
    # Given two lines, When an unknown line, a repeat and a good one are asked for
    lines = [line(1), line(2, days_ago=40)]
    wanted = [Wanted(9, 1), Wanted(1, 1), Wanted(1, 1), Wanted(2, 1)]
    # Then each bad one is named by its place in the request
    assert refused(lines, wanted) == [
        ("lines.0.line_no", "line_not_found"),
        ("lines.2.line_no", "line_repeated"),
        ("lines.3.line_no", "return_window_closed"),
    ]


def test_nothing_asked_is_refused():
    assert refused([line()], []) == [("lines", "lines_required")]


def test_the_most_specific_policy_wins():
    rules = [
        PolicyRule(channel_id=1, sku_id=None, window_days=14, returnable=True),
        PolicyRule(channel_id=None, sku_id=7, window_days=60, returnable=True),
        PolicyRule(channel_id=1, sku_id=7, window_days=0, returnable=False),
        PolicyRule(channel_id=2, sku_id=8, window_days=5, returnable=True),
    ]
    # (channel, SKU) beats the SKU, the SKU beats the channel, the channel beats the default
    assert policy_for(rules, channel_id=1, sku_id=7, default_days=30) == Policy(0, False)
    assert policy_for(rules, channel_id=2, sku_id=7, default_days=30) == Policy(60)
    assert policy_for(rules, channel_id=1, sku_id=8, default_days=30) == Policy(14)
    assert policy_for(rules, channel_id=3, sku_id=9, default_days=30) == Policy(30)
