"""When the demo shop's things happen: a shop's rhythm, Olist's dates moved, steps' pace."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from ordino.demo.timeline import (
    DAYS_OF_ORDERS,
    SHOP_ZONE,
    WORK_CLOSES,
    WORK_OPENS,
    Redating,
    digest_rng,
    placed_times,
    steps_draw,
    working,
)

NOW = datetime(2026, 11, 1, 15, 30, tzinfo=UTC)  # a Sunday


def test_placed_times_follow_a_shops_rhythm_and_stop_at_now():
    times = placed_times(random.Random(1), 3000, now=NOW)
    # Then they are oldest first, within the window, none after now
    assert times == sorted(times)
    assert NOW - timedelta(days=DAYS_OF_ORDERS) <= times[0] and times[-1] <= NOW
    local = [t.astimezone(SHOP_ZONE) for t in times]
    # and most come in the day's waking hours
    assert sum(8 <= t.hour < 23 for t in local) / len(local) > 0.85
    # and a weekday sells more than a Saturday, the last weeks more than the first
    by_weekday = [sum(t.weekday() == d for t in local) for d in range(7)]
    assert by_weekday[0] > by_weekday[5]
    half = NOW - timedelta(days=DAYS_OF_ORDERS / 2)
    assert sum(t > half for t in times) > 1.15 * sum(t <= half for t in times)
    # and the same generator state gives the same instants
    assert placed_times(random.Random(1), 3000, now=NOW) == times


def test_olist_dates_move_to_yesterday_keeping_their_spacing():
    bought = [datetime(2018, 3, 1, 10, tzinfo=UTC), datetime(2018, 3, 20, 18, tzinfo=UTC)]
    redate = Redating.of(bought, now=NOW)
    # Then the newest lands yesterday at its own time of day, the other 19 days 8 h before
    assert redate(bought[1]) == datetime(2026, 10, 31, 18, tzinfo=UTC)
    assert redate(bought[1]) - redate(bought[0]) == bought[1] - bought[0]
    # and reading the same data the same day gives the same dates
    assert Redating.of(bought, now=NOW + timedelta(hours=5))(bought[0]) == redate(bought[0])


def test_olist_dates_longer_than_the_window_are_squeezed_into_it():
    bought = [datetime(2016, 9, 4, tzinfo=UTC), datetime(2018, 9, 3, tzinfo=UTC)]
    redate = Redating.of(bought, now=NOW)
    # Then the two years fit in the window, in the same order
    assert redate(bought[1]) - redate(bought[0]) == timedelta(days=DAYS_OF_ORDERS - 1)
    middle = bought[0] + (bought[1] - bought[0]) / 2
    assert redate(bought[0]) < redate(middle) < redate(bought[1])


def test_steps_come_one_after_the_other_in_working_hours():
    for n in range(200):
        rng = digest_rng("fo", "web", f"WEB-{n}", 1)
        start = NOW - timedelta(days=20, hours=n % 24)
        pickup = n % 3 == 0
        steps = steps_draw(rng, start, pickup=pickup)
        assert start < steps.accept < steps.pick < steps.pack < steps.hand_over < steps.done
        for at in (steps.accept, steps.pick, steps.pack, steps.hand_over):
            assert WORK_OPENS <= at.astimezone(SHOP_ZONE).hour < WORK_CLOSES
        # and the same key draws the same steps
        again = steps_draw(digest_rng("fo", "web", f"WEB-{n}", 1), start, pickup=pickup)
        assert again == steps


def test_work_at_night_waits_for_the_morning():
    night = datetime(2026, 10, 20, 22, 30, tzinfo=SHOP_ZONE)
    morning = working(night.astimezone(UTC), random.Random(0)).astimezone(SHOP_ZONE)
    assert (morning.date(), morning.hour) in {
        (datetime(2026, 10, 21).date(), WORK_OPENS),
        (datetime(2026, 10, 21).date(), WORK_OPENS + 1),
    }
    noon = datetime(2026, 10, 20, 12, tzinfo=UTC)
    assert working(noon, random.Random(0)) == noon
