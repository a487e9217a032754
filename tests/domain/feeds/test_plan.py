"""What a channel feed pushes, and when, without a database (docs/feeds.md, "Deltas and
coalescing")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ordino.feeds.domain.plan import (
    Pending,
    batches_of,
    channel_due,
    delta_plan,
    full_plan,
    push_quantity,
    retry_at,
    settings_check,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_negative_availability_pushes_zero():
    assert [push_quantity(q) for q in (-3, 0, 7)] == [0, 0, 7]


def test_a_delta_sends_only_the_skus_whose_quantity_moved():
    pending = [Pending("TEE", 5), Pending("MUG", 2), Pending("CAP", None), Pending("OLD", 4)]
    plan = delta_plan(pending, {"TEE": 5, "MUG": -1, "CAP": 0}, batch_size=10)
    # TEE shows 5 already: settled; MUG below zero pushes 0; CAP never pushed; OLD unknown now
    assert plan.batches == [[("MUG", 0), ("CAP", 0), ("OLD", 0)]]
    assert plan.settled == ["TEE"]


def test_a_full_push_sends_every_sku_in_batches_of_the_platforms_size():
    plan = full_plan(["A", "B", "C", "D", "E"], {"A": 1, "B": 2, "C": 3, "E": -2}, batch_size=2)
    assert plan.batches == [[("A", 1), ("B", 2)], [("C", 3), ("D", 0)], [("E", 0)]]
    assert plan.settled == []
    assert plan.levels == [("A", 1), ("B", 2), ("C", 3), ("D", 0), ("E", 0)]


def test_batches_are_never_empty_nor_larger_than_asked():
    assert batches_of([], 3) == []
    assert [len(b) for b in batches_of([("x", 1)] * 7, 3)] == [3, 3, 1]
    with pytest.raises(ValueError):
        batches_of([("x", 1)], 0)


def test_a_channel_is_pushed_at_most_once_per_interval():
    assert channel_due(last_push_at=None, now=T0, min_interval_seconds=30)
    assert not channel_due(last_push_at=T0, now=T0 + timedelta(seconds=29), min_interval_seconds=30)
    assert channel_due(last_push_at=T0, now=T0 + timedelta(seconds=30), min_interval_seconds=30)


def test_a_failing_sku_backs_off_doubling_up_to_an_hour():
    delays = [
        (retry_at(failures=n, now=T0, min_interval_seconds=30) - T0).total_seconds()
        for n in (1, 2, 3, 4, 10, 60)
    ]
    assert delays == [30, 60, 120, 240, 3600, 3600]


def test_settings_out_of_bounds_are_each_named():
    assert settings_check(min_interval_seconds=30, batch_size=100) == []
    assert settings_check(min_interval_seconds=0, batch_size=1001) == [
        ("min_interval_seconds", "between 1 and 86400 seconds"),
        ("batch_size", "between 1 and 1000 SKUs"),
    ]
