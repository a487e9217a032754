"""The pinnable clock: `utcnow()` answers the pinned instant inside `clock_pinned`, only there."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ordino.core.domain.clock import clock_pinned, utcnow

AT = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)


def test_unpinned_clock_is_the_wall_clock_in_utc():
    before = datetime.now(UTC)
    now = utcnow()
    assert before <= now <= datetime.now(UTC)
    assert now.tzinfo is UTC


def test_pinned_clock_answers_the_pinned_instant_and_unpins_after_the_block():
    # When the clock is pinned, every call in the block answers the same instant
    with clock_pinned(AT) as at:
        assert at == AT
        assert (utcnow(), utcnow()) == (AT, AT)
    # Then after the block it runs again
    assert utcnow() - datetime.now(UTC) < timedelta(seconds=1)
    assert utcnow() != AT


def test_pins_nest_and_the_outer_pin_comes_back():
    later = AT + timedelta(hours=3)
    with clock_pinned(AT):
        with clock_pinned(later):
            assert utcnow() == later
        assert utcnow() == AT


def test_pin_is_undone_when_the_block_raises():
    with pytest.raises(RuntimeError), clock_pinned(AT):
        raise RuntimeError("boom")
    assert utcnow() != AT


def test_a_pin_in_another_zone_is_answered_in_utc():
    paris = timezone(timedelta(hours=2))
    with clock_pinned(datetime(2026, 10, 5, 11, 30, tzinfo=paris)):
        assert utcnow() == AT
        assert utcnow().utcoffset() == timedelta(0)


def test_naive_instant_is_refused():
    with pytest.raises(ValueError):
        clock_pinned(datetime(2026, 10, 5, 9, 30)).__enter__()


def test_pin_does_not_leak_into_other_threads():
    seen: list[datetime] = []
    with clock_pinned(AT):
        thread = threading.Thread(target=lambda: seen.append(utcnow()))
        thread.start()
        thread.join()
    assert seen[0] != AT
