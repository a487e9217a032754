from datetime import UTC, datetime

from ordino.fulfillment.domain.rejections import rejecting_locations_excluded


def at(hour: int) -> datetime:
    return datetime(2026, 3, 1, hour, tzinfo=UTC)


def test_a_location_that_rejected_stays_excluded_until_stock_arrives_there_after():
    rejected = {1: at(10), 2: at(10), 3: at(10)}
    arrived = {1: at(11), 2: at(9), 3: at(10)}  # after, before, at the same instant
    assert rejecting_locations_excluded(rejected, arrived) == frozenset({2, 3})


def test_no_rejection_excludes_nothing_and_no_arrival_keeps_every_rejecting_location_out():
    assert rejecting_locations_excluded({}, {1: at(9)}) == frozenset()
    assert rejecting_locations_excluded({1: at(10), 4: at(8)}, {}) == frozenset({1, 4})
