from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from ordino.sourcing.domain import (
    BacktestCase,
    Calendar,
    Profile,
    SplitLimit,
    Strategy,
    TransitTable,
    ZoneTable,
    backtest,
    promise,
    weekly,
)

from .builders import HAMBURG, MONDAY_MORNING, MUNICH, POTSDAM, line, location, order

ZONES = ZoneTable(postal={("DE", "1"): "east", ("DE", "2"): "north", ("DE", "8"): "south"})
TRANSIT = TransitTable({("dhl-standard", "east", "east"): 1, ("dhl-standard", "*", "*"): 2})
HOURS = weekly("Mon-Fri", "08:00", "18:00", cutoff="16:00", timezone="Europe/Berlin")
PROFILE = Profile("p", (Strategy("s", split=SplitLimit(2)),))


def store(**kw):
    return location(
        1,
        "POTSDAM",
        {10: 5},
        kind="store",
        country="DE",
        postal_code="14467",
        calendar=HOURS,
        **kw,
    )


def test_before_the_cut_off_it_ships_today_and_arrives_after_the_transit_days():
    answer = promise(
        order(line(1, 10, 2)),
        [store()],
        PROFILE,
        MONDAY_MORNING,
        transit=TRANSIT,
        service="dhl-standard",
        zones=ZONES,
    )
    assert answer.can_ship
    assert (answer.ship_date, answer.delivery_date) == (date(2025, 10, 6), date(2025, 10, 7))
    assert answer.shipments[0].reason == (
        "ships today, before the cut-off (Mon 08:00-18:00, local time 12:00 Europe/Berlin); "
        "1 transit days by dhl-standard (zone east → east)"
    )


def test_after_fridays_cut_off_it_ships_monday_and_skips_a_closed_day():
    friday_evening = datetime(2025, 10, 10, 15, 30, tzinfo=UTC)  # 17:30 in Berlin
    closed = Calendar(HOURS.timezone, HOURS.hours, HOURS.cutoff, frozenset({date(2025, 10, 13)}))
    answer = promise(
        order(line(1, 10, 1)),
        [location(1, "POTSDAM", {10: 5}, country="DE", postal_code="14467", calendar=closed)],
        PROFILE,
        friday_evening,
        transit=TRANSIT,
        service="dhl-standard",
        zones=ZONES,
    )
    assert answer.ship_date == date(2025, 10, 14)  # Monday 13th is closed
    assert answer.delivery_date == date(2025, 10, 15)


def test_a_split_cart_arrives_with_its_last_parcel_and_unknown_transit_gives_no_date():
    cart = order(line(1, 10, 2), line(2, 11, 1))
    network = [
        location(1, "HH", {10: 2}, country="DE", postal_code="20095"),
        location(2, "M", {11: 1}, country="DE", postal_code="80331"),
    ]
    answer = promise(
        cart, network, PROFILE, MONDAY_MORNING, transit=TRANSIT, service="dhl-standard", zones=ZONES
    )
    assert [s.delivery_date for s in answer.shipments] == [date(2025, 10, 8)] * 2
    assert answer.delivery_date == date(2025, 10, 8)
    unknown = promise(
        cart, network, PROFILE, MONDAY_MORNING, transit=TRANSIT, service="ups-express", zones=ZONES
    )
    assert unknown.can_ship and unknown.delivery_date is None


def test_a_cart_nobody_can_make_cannot_ship():
    answer = promise(
        order(line(1, 10, 9)),
        [store()],
        PROFILE,
        MONDAY_MORNING,
        transit=TRANSIT,
        service="dhl-standard",
        zones=ZONES,
    )
    assert not answer.can_ship
    assert answer.backordered == {1: 4}


def test_back_test_metrics():
    network = [
        location(1, "HH", {10: 1}, priority=1, daily_capacity=1, **HAMBURG),
        location(2, "P", {10: 5, 11: 5}, kind="store", priority=2, **POTSDAM),
        location(3, "M", {11: 9}, **MUNICH),
    ]
    network[0] = replace(network[0], cost_per_shipment=Decimal("4.00"))
    network[1] = replace(network[1], cost_per_shipment=Decimal("6.50"))
    cases = [
        BacktestCase(order(line(1, 10, 1), order_id="a"), network, MONDAY_MORNING),
        BacktestCase(order(line(1, 10, 1), order_id="b"), network, MONDAY_MORNING),
        BacktestCase(order(line(1, 12, 1), order_id="c"), network, MONDAY_MORNING),
        BacktestCase(order(line(1, 10, 1), line(2, 11, 1), order_id="d"), network, MONDAY_MORNING),
    ]
    priority_first = Profile("p", (Strategy("s", split=SplitLimit(None, fill="rank_order")),))
    result, decisions = backtest(cases, priority_first)
    assert [d.location_ids for d in decisions] == [(1,), (1,), (), (1, 2)]
    assert result.to_dict() == {
        "orders": 4,
        "allocated": 3,
        "reviews": 0,
        "shipments": 4,
        "split_rate": round(1 / 3, 4),
        "average_km": round((255.419 * 3 + 27.486) / 4, 1),
        "store_share": 0.25,
        "unfillable_lines": 1,
        "over_capacity": [1],
        "average_cost": "4.62",  # (3 × 4.00 + 6.50) / 4 = 4.625, to the cent (half even)
        "costed_shipments": 4,
    }


def test_an_unknown_or_overlong_timezone_is_a_clear_refusal():
    import pytest

    from ordino.core.domain.errors import DomainError
    from ordino.sourcing.domain.opening import zone

    for name in ("Mars/Olympus", "x" * 5000):  # the long one made the OS refuse the file name
        with pytest.raises(DomainError) as refused:
            zone(name)
        assert refused.value.code == "unknown_timezone"
