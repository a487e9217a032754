"""The real merchant request: "from 1 October, ship from stores before the central warehouse,
so store stock is sold first" — one configuration change, no code."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from ordino.sourcing.domain import (
    BacktestCase,
    backtest_compare,
    decide,
    profile_from_dict,
    profile_in_effect,
)

from .builders import HAMBURG, POTSDAM, line, location, order

SEPTEMBER = {
    "code": "default",
    "version": 1,
    "strategies": [
        {
            "name": "everywhere",
            "filters": [{"type": "has_stock", "mode": "any"}, {"type": "capacity_left"}],
            "ranking": {"criteria": [{"criterion": "priority"}, {"criterion": "distance"}]},
            "split": {"max_shipments": 2},
            "fallback": {"kind": "backorder"},
        }
    ],
}

# The change: a draft of version 2, effective 1 October, with stores ranked first.
OCTOBER = copy.deepcopy(SEPTEMBER)
OCTOBER["version"] = 2
OCTOBER["effective_from"] = "2025-10-01T00:00:00+02:00"
OCTOBER["strategies"][0]["ranking"]["criteria"].insert(
    0, {"criterion": "kind", "prefer": ["store", "warehouse"]}
)

GROUPS = {"central", "stores"}
NETWORK = [
    location(1, "CENTRAL", {10: 500, 11: 500}, priority=1, groups={"central"}, **HAMBURG),
    location(
        2, "STORE-POTSDAM", {10: 3, 11: 1}, kind="store", priority=10, groups={"stores"}, **POTSDAM
    ),
]


def versions():
    return [
        profile_from_dict(SEPTEMBER, known_groups=GROUPS),
        profile_from_dict(OCTOBER, known_groups=GROUPS),
    ]


def test_the_change_is_one_ranking_criterion_in_the_profile_data():
    before, after = versions()
    assert before.strategies[0].filters == after.strategies[0].filters
    assert before.strategies[0].split == after.strategies[0].split
    assert [c.name for c in after.strategies[0].ranking.criteria] == [
        "kind",
        "priority",
        "distance",
    ]


def test_before_october_the_central_warehouse_ships():
    now = datetime(2025, 9, 30, 12, 0, tzinfo=UTC)
    profile = profile_in_effect(versions(), now)
    assert profile.version == 1
    decision = decide(order(line(1, 10, 2)), NETWORK, profile, now)
    assert decision.shipments() == {1: {1: 2}}


def test_from_october_the_store_sells_its_stock_first():
    now = datetime(2025, 9, 30, 22, 30, tzinfo=UTC)  # 00:30 on 1 October in Berlin
    profile = profile_in_effect(versions(), now)
    assert profile.version == 2
    decision = decide(order(line(1, 10, 2)), NETWORK, profile, now)
    assert decision.shipments() == {2: {1: 2}}
    store = decision.explanation.strategies[0].candidates[0]
    assert store.reason == (
        "(store) has all 2 items and is 27 km away; ranked 1st of 2 "
        "(stores 1st in the kind preference, priority 10, 27 km); ships"
    )
    assert store.values == {"kind": 0, "priority": 10, "distance": 27.486}


def test_what_the_store_cannot_cover_still_comes_from_the_warehouse_in_one_shipment():
    now = datetime(2025, 10, 2, 9, 0, tzinfo=UTC)
    decision = decide(
        order(line(1, 10, 2), line(2, 11, 4)), NETWORK, profile_in_effect(versions(), now), now
    )
    # fewer shipments first: only the warehouse covers everything, so it ships alone
    assert decision.shipments() == {1: {1: 2, 2: 4}}


def test_a_back_test_shows_the_effect_before_it_goes_live():
    before, after = versions()
    now = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
    cases = [BacktestCase(order(line(1, 10, 1), order_id=f"O-{i}"), NETWORK, now) for i in range(4)]
    comparison = backtest_compare(cases, before, after)
    assert comparison.baseline.store_share == 0.0
    assert comparison.candidate.store_share == 1.0
    assert comparison.changed == ("O-0", "O-1", "O-2", "O-3")
    assert comparison.candidate.average_km < comparison.baseline.average_km
