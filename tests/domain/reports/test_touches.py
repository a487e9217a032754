"""Touches per order's figures and period, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.reports.domain.touches import touch_period, touch_stats, username_of

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_stats_count_untouched_orders_in_every_figure():
    # ten orders: six untouched, two touched once, one twice, one seven times
    stats = touch_stats({0: 6, 1: 2, 2: 1, 7: 1})
    assert (stats.orders, stats.orders_touched, stats.touches) == (10, 4, 11)
    assert (stats.zero_touch_rate, stats.mean) == (Decimal("0.6000"), Decimal("1.10"))
    assert (stats.p50, stats.p90, stats.max) == (0, 2, 7)


def test_stats_of_no_order_are_empty():
    stats = touch_stats({})
    assert (stats.orders, stats.zero_touch_rate, stats.mean, stats.p50, stats.max) == (
        0, None, None, None, None,
    )  # fmt: skip


def test_every_order_touched_has_no_zero_touch():
    stats = touch_stats({3: 2})
    assert (stats.zero_touch_rate, stats.p50, stats.p90, stats.max) == (Decimal("0"), 3, 3, 3)


def test_the_person_behind_an_actor():
    owners = {"token:ada-phone": "ada"}
    assert username_of("user:bob", owners) == "bob"
    assert username_of("token:ada-phone", owners) == "ada"
    assert username_of("cli:root", owners) is None
    assert username_of("token:shopify", owners) is None


def test_the_period_defaults_to_the_last_30_days():
    assert touch_period(None, None, now=NOW) == (NOW - timedelta(days=30), NOW)
    assert touch_period(None, NOW - timedelta(days=1), now=NOW) == (
        NOW - timedelta(days=31), NOW - timedelta(days=1),
    )  # fmt: skip


def test_366_days_is_the_longest_period():
    assert touch_period(NOW - timedelta(days=366), None, now=NOW)[0] == NOW - timedelta(days=366)
    with pytest.raises(DomainError) as refused:
        touch_period(NOW - timedelta(days=366, seconds=1), None, now=NOW)
    assert (refused.value.code, refused.value.errors[0]["field"]) == ("period_too_long", "since")


@pytest.mark.parametrize("until", [NOW, NOW - timedelta(seconds=1)])
def test_since_must_come_before_until(until):
    with pytest.raises(DomainError) as refused:
        touch_period(NOW, until, now=NOW)
    assert (refused.value.code, refused.value.status) == ("period_invalid", 422)
