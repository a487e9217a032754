"""The SLA clock's arithmetic on a business calendar: working days and hours in a timezone,
holidays, and a daylight-saving change (docs/cases.md, "The SLA clock")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from ordino.cases.domain.calendar import (
    ALWAYS,
    BusinessCalendar,
    business_add,
    business_seconds,
)

BERLIN = BusinessCalendar(
    timezone="Europe/Berlin",
    weekdays=frozenset(range(5)),
    opens=time(9, 0),
    closes=time(17, 0),
    holidays=frozenset({date(2026, 12, 25), date(2026, 12, 26)}),
)
HOUR = 3600


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_around_the_clock_adds_wall_time():
    assert business_add(ALWAYS, utc(2026, 3, 28, 22), 4 * HOUR) == utc(2026, 3, 29, 2)


def test_hours_left_today_then_the_next_working_morning():
    # given Friday 15:00 Berlin (14:00 UTC in winter), when 4 business hours are added
    due = business_add(BERLIN, utc(2026, 1, 16, 14), 4 * HOUR)
    # then 2 hours on Friday and 2 on Monday: Monday 11:00 Berlin = 10:00 UTC
    assert due == utc(2026, 1, 19, 10)


def test_before_opening_starts_at_opening():
    assert business_add(BERLIN, utc(2026, 1, 14, 5), HOUR) == utc(2026, 1, 14, 9)


def test_across_the_spring_daylight_saving_change():
    # given Friday 27 March 2026 16:00 Berlin (CET, 15:00 UTC); clocks go forward on Sunday 29
    start = utc(2026, 3, 27, 15)
    # when 3 business hours are added: 1 on Friday, 2 on Monday (CEST)
    due = business_add(BERLIN, start, 3 * HOUR)
    # then Monday 11:00 Berlin, which is now 09:00 UTC (not 10:00)
    assert due == utc(2026, 3, 30, 9)
    assert business_seconds(BERLIN, start, due) == 3 * HOUR


def test_across_the_autumn_daylight_saving_change():
    # given Friday 23 October 2026 16:00 Berlin (CEST, 14:00 UTC); clocks go back on Sunday 25
    due = business_add(BERLIN, utc(2026, 10, 23, 14), 3 * HOUR)
    # then Monday 11:00 Berlin, now CET: 10:00 UTC
    assert due == utc(2026, 10, 26, 10)


def test_a_holiday_is_skipped():
    # given Thursday 24 December 2026 16:00 Berlin; 25 and 26 are holidays, 26-27 a weekend
    start = utc(2026, 12, 24, 15)
    # when 2 business hours are added: 1 on the 24th, 1 on Monday 28th
    due = business_add(BERLIN, start, 2 * HOUR)
    assert due == utc(2026, 12, 28, 9)
    assert business_seconds(BERLIN, start, due) == 2 * HOUR


def test_business_seconds_counts_only_windows():
    # given Monday 8:00 UTC to Tuesday 20:00 UTC in January (Berlin 9-17 = 8-16 UTC)
    assert business_seconds(BERLIN, utc(2026, 1, 12, 8), utc(2026, 1, 13, 20)) == 16 * HOUR
    assert business_seconds(BERLIN, utc(2026, 1, 13, 20), utc(2026, 1, 12, 8)) == 0


def test_a_calendar_without_working_days_is_refused():
    never = BusinessCalendar(weekdays=frozenset())
    with pytest.raises(ValueError, match="no working time"):
        business_add(never, utc(2026, 1, 1), HOUR)
