from __future__ import annotations

import json
from datetime import UTC, datetime, time
from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.rules.domain import condition_parse
from ordino.sourcing.domain import (
    ORDER_FACTS,
    Calendar,
    CapacityLeft,
    Criterion,
    Destination,
    ExcludeLocations,
    Fallback,
    HasStock,
    InGroups,
    IsOpen,
    KindIn,
    Profile,
    Ranking,
    SplitLimit,
    Strategy,
    WithinDistance,
    ZoneTable,
    address_unserved,
    decide,
    haversine_km,
    weekly,
)

from .builders import HAMBURG, MONDAY_MORNING, MUNICH, POTSDAM, line, location, order


def profile(*strategies: Strategy) -> Profile:
    return Profile("default", strategies or (Strategy("default"),))


def by_priority(**kw: object) -> Profile:
    return profile(Strategy("default", **kw))  # type: ignore[arg-type]


def test_given_one_location_covers_everything_when_deciding_then_it_ships_complete():
    decision = decide(
        order(line(1, 10, 2), line(2, 11, 1)),
        [
            location(1, "WH-A", {10: 5}, priority=1),
            location(2, "WH-B", {10: 5, 11: 5}, priority=2),
        ],
        by_priority(),
        MONDAY_MORNING,
    )
    assert decision.outcome == "allocated"
    assert decision.shipments() == {2: {1: 2, 2: 1}}
    assert decision.backordered == {}
    assert decision.explanation.strategies[0].split.reason == (
        "one location covers all 3 items: WH-B (ranked 2nd); 1 shipment (no limit)"
    )


def test_among_locations_that_cover_everything_the_best_ranked_wins():
    decision = decide(
        order(line(1, 10, 1)),
        [location(1, "WH-A", {10: 9}, priority=5), location(2, "WH-B", {10: 9}, priority=1)],
        by_priority(),
        MONDAY_MORNING,
    )
    assert decision.location_ids == (2,)


def test_splits_over_the_best_ranked_set_when_no_location_covers_everything():
    decision = decide(
        order(line(1, 10, 2), line(2, 11, 2)),
        [
            location(1, "A", {10: 2}, priority=1),
            location(2, "B", {11: 2}, priority=2),
            location(3, "C", {10: 2, 11: 1}, priority=3),
            location(4, "D", {11: 2}, priority=4),
        ],
        by_priority(split=SplitLimit(3)),
        MONDAY_MORNING,
    )
    assert decision.shipments() == {1: {1: 2}, 2: {2: 2}}
    split = decision.explanation.strategies[0].split
    assert split.method == "exact"
    assert split.reason == (
        "no single location covers all 4 items; the best-ranked set of 2 that does is "
        "A (ranked 1st), B (ranked 2nd); 2 shipments (limit 3)"
    )


def test_ship_complete_never_splits_and_backorders_the_rest_when_told():
    decision = decide(
        order(line(1, 10, 3)),
        [location(1, "A", {10: 2}, priority=1), location(2, "B", {10: 1}, priority=2)],
        by_priority(split=SplitLimit(1), fallback=Fallback("backorder")),
        MONDAY_MORNING,
    )
    assert decision.outcome == "partial"
    assert decision.shipments() == {1: {1: 2}}
    assert decision.backordered == {1: 1}
    assert decision.explanation.strategies[0].split.reason == (
        "ship complete impossible: no kept location covers all 3 items; the best, A (ranked 1st), "
        "covers 2"
    )


def test_a_kit_consumes_its_components_at_one_location():
    kit = line(1, 99, 2, components={10: 1, 11: 2})
    decision = decide(
        order(kit),
        [location(1, "A", {10: 5, 11: 3}, priority=1), location(2, "B", {10: 1, 11: 9})],
        by_priority(),
        MONDAY_MORNING,
    )
    assert decision.shipments() == {1: {1: 1}, 2: {1: 1}}
    assert decision.units_by_location(order(kit)) == {
        (1, 10): 1,
        (1, 11): 2,
        (2, 10): 1,
        (2, 11): 2,
    }


def test_without_line_split_a_line_comes_whole_from_one_location():
    decision = decide(
        order(line(1, 10, 3)),
        [location(1, "A", {10: 2}), location(2, "B", {10: 2})],
        by_priority(split=SplitLimit(None, line_split=False)),
        MONDAY_MORNING,
    )
    assert decision.outcome == "backorder"
    assert decision.assignments == {}
    assert decision.backordered == {1: 3}


def test_rank_order_fill_takes_from_the_best_ranked_first():
    decision = decide(
        order(line(1, 10, 3)),
        [location(1, "A", {10: 1}, priority=1), location(2, "B", {10: 5}, priority=2)],
        by_priority(split=SplitLimit(2, fill="rank_order")),
        MONDAY_MORNING,
    )
    assert decision.shipments() == {1: {1: 1}, 2: {1: 2}}


# --- filters and their reasons ---------------------------------------------------------------

BERLIN_HOURS = weekly("Mon-Fri", "09:00", "18:00", cutoff="16:00", timezone="Europe/Berlin")


@pytest.mark.parametrize(
    ("rule", "loc_kw", "reason", "removed_by"),
    [
        (
            WithinDistance(300),
            MUNICH,
            "(warehouse) left out: 504 km away, beyond the 300 km limit",
            "within_distance",
        ),
        (
            WithinDistance(300),
            {},
            "(warehouse) left out: distance unknown (no coordinates and no zone for the "
            "location), limit 300 km",
            "within_distance",
        ),
        (
            InGroups(("stores", "outlets")),
            {"groups": frozenset({"central"})},
            "(warehouse) left out: not in group stores or outlets (its groups: central)",
            "in_groups",
        ),
        (KindIn(("store",)), {}, "(warehouse) left out: kind warehouse is not store", "kind_in"),
        (
            ExcludeLocations(("X",)),
            {},
            "(warehouse) left out: excluded by the strategy",
            "exclude_locations",
        ),
        (
            CapacityLeft(),
            {"daily_capacity": 200, "assigned_today": 200},
            "(warehouse) left out: 0 shipments left today, 1 needed (200 of 200 already assigned)",
            "capacity_left",
        ),
        (
            IsOpen("before_cutoff"),
            {
                "calendar": weekly(
                    "Mon-Fri", "09:00", "18:00", cutoff="11:30", timezone="Europe/Berlin"
                )
            },
            "(warehouse) left out: closed: cut-off 11:30 passed (local time 12:00 Europe/Berlin)",
            "open",
        ),
        (
            IsOpen("before_cutoff"),
            {
                "calendar": Calendar(
                    "Europe/Berlin", BERLIN_HOURS.hours, closed=frozenset({MONDAY_MORNING.date()})
                )
            },
            "(warehouse) left out: closed today: closed on 2025-10-06",
            "open",
        ),
        (
            IsOpen("open_now"),
            {"calendar": weekly("Tue-Sat", "09:00", "18:00", timezone="Europe/Berlin")},
            "(warehouse) left out: closed now: closed on Mon",
            "open",
        ),
        (
            HasStock("full_line"),
            {"stock": {10: 1}},
            "(warehouse) left out: covers no line in full (best: line 1, 1 of 2)",
            "has_stock",
        ),
        (
            HasStock("any"),
            {"stock": {}},
            "(warehouse) left out: no stock for any line",
            "has_stock",
        ),
        (
            HasStock("all_lines"),
            {"stock": {10: 2}},
            "(warehouse) left out: cannot ship the whole order alone (2 of 3 items)",
            "has_stock",
        ),
        (None, {"is_active": False}, "(warehouse) left out: inactive", "eligible"),
        (None, {"ships": False}, "(warehouse) left out: does not ship orders", "eligible"),
    ],
)
def test_each_filter_removes_a_location_with_its_numbers(rule, loc_kw, reason, removed_by):
    kw = dict(loc_kw)
    stock = kw.pop("stock", {10: 9, 11: 9})
    ok = location(2, "OK", {10: 9, 11: 9}, kind="store", groups={"stores"}, **POTSDAM)
    candidates = [location(1, "X", stock, **kw), ok]
    filters = () if rule is None else (rule,)
    decision = decide(
        order(line(1, 10, 2), line(2, 11, 1)),
        candidates,
        by_priority(filters=filters),
        MONDAY_MORNING,
    )
    traces = {c.code: c for c in decision.explanation.strategies[0].candidates}
    assert traces["X"].reason == reason
    assert traces["X"].removed_by == removed_by
    assert traces["OK"].kept
    assert decision.location_ids == (2,)


def test_an_open_location_before_its_cut_off_is_kept():
    decision = decide(
        order(line(1, 10, 1)),
        [location(1, "S", {10: 1}, calendar=BERLIN_HOURS)],
        by_priority(filters=(IsOpen("before_cutoff"), IsOpen("open_now"))),
        MONDAY_MORNING,
    )
    assert decision.location_ids == (1,)


def test_a_pickup_order_is_sourced_from_its_store_only():
    pickup = order(line(1, 10, 1), delivery_method="pickup", pickup_location_id=2)
    decision = decide(
        pickup,
        [
            location(1, "WH", {10: 9}, priority=1),
            location(2, "STORE", {10: 0}, kind="store", pickup=True),
        ],
        by_priority(fallback=Fallback("review")),
        MONDAY_MORNING,
    )
    assert decision.outcome == "review"
    assert decision.assignments == {}
    traces = {c.code: c.reason for c in decision.explanation.strategies[0].candidates}
    assert traces["WH"] == "(warehouse) left out: not the pickup store of this order"
    assert decision.explanation.summary == (
        "Strategy 'default' placed 0 of 1 items: review case; nothing reserved."
    )


def test_distance_falls_back_to_the_zone_table():
    zones = ZoneTable(
        postal={("DE", "10"): "east", ("DE", "8"): "south"},
        km={("east", "south"): 500},
        same_zone_km=20,
    )
    decision = decide(
        order(line(1, 10, 1), destination=Destination("DE", postal_code="10115")),
        [
            location(1, "SOUTH", {10: 1}, postal_code="80331", country="DE", priority=1),
            location(2, "EAST", {10: 1}, postal_code="10969", country="DE", priority=2),
        ],
        by_priority(filters=(WithinDistance(100),)),
        MONDAY_MORNING,
        zones=zones,
    )
    assert decision.location_ids == (2,)
    reasons = {c.code: c.reason for c in decision.explanation.strategies[0].candidates}
    assert reasons["SOUTH"] == "(warehouse) left out: 500 km away, beyond the 100 km limit"


# --- ranking ---------------------------------------------------------------------------------


def test_ranks_by_distance_then_priority_and_explains_the_values():
    decision = decide(
        order(line(1, 10, 1)),
        [
            location(1, "HH", {10: 1}, priority=1, **HAMBURG),
            location(2, "P", {10: 1}, priority=2, **POTSDAM),
        ],
        by_priority(ranking=Ranking((Criterion("distance"), Criterion("priority")))),
        MONDAY_MORNING,
    )
    assert decision.location_ids == (2,)
    first, second = decision.explanation.strategies[0].candidates
    assert (first.code, first.rank, second.code, second.rank) == ("P", 1, "HH", 2)
    assert first.reason == (
        "(warehouse) has the 1 item and is 27 km away; ranked 1st of 2 (27 km, priority 2); ships"
    )
    assert second.reason == (
        "(warehouse) has the 1 item and is 255 km away; ranked 2nd of 2 (255 km, priority 1); "
        "not needed"
    )
    assert first.values == {"distance": 27.486, "priority": 2}


def test_weighted_ranking_scores_each_kept_location():
    ranking = Ranking(
        (Criterion("distance", weight=2), Criterion("cost", weight=1)), mode="weighted"
    )
    decision = decide(
        order(line(1, 10, 1)),
        [
            location(1, "HH", {10: 1}, cost_per_shipment=Decimal("4.00"), **HAMBURG),
            location(2, "P", {10: 1}, cost_per_shipment=Decimal("9.00"), **POTSDAM),
            location(3, "M", {10: 1}, cost_per_shipment=Decimal("3.00"), **MUNICH),
        ],
        by_priority(ranking=ranking),
        MONDAY_MORNING,
    )
    scores = {c.code: c.score for c in decision.explanation.strategies[0].candidates}
    assert scores["P"] == pytest.approx(2.0)
    assert scores["M"] == pytest.approx(1.0)
    far, near, hh = (
        haversine_km(52.52, 13.405, c["latitude"], c["longitude"])
        for c in (MUNICH, POTSDAM, HAMBURG)
    )
    assert scores["HH"] == pytest.approx(2 * (far - hh) / (far - near) + 5 / 6, abs=1e-4)
    assert decision.location_ids == (2,)


def test_prefers_kinds_in_the_given_order():
    decision = decide(
        order(line(1, 10, 1)),
        [location(1, "WH", {10: 5}, priority=1), location(2, "ST", {10: 5}, kind="store")],
        by_priority(ranking=Ranking((Criterion("kind", prefer=("store", "warehouse")),))),
        MONDAY_MORNING,
    )
    assert decision.location_ids == (2,)


# --- fallbacks -------------------------------------------------------------------------------

DE = condition_parse({"fact": "destination.country", "op": "eq", "value": "DE"}, ORDER_FACTS)
FR = condition_parse({"fact": "destination.country", "op": "eq", "value": "FR"}, ORDER_FACTS)


def test_falls_back_to_the_next_strategy_with_the_whole_order():
    decision = decide(
        order(line(1, 10, 3)),
        [location(1, "ST", {10: 1}, kind="store"), location(2, "WH", {10: 9})],
        profile(
            Strategy("stores", filters=(KindIn(("store",)),), fallback=Fallback("next")),
            Strategy("warehouses", filters=(KindIn(("warehouse",)),)),
        ),
        MONDAY_MORNING,
    )
    assert decision.strategy == "warehouses"
    assert decision.shipments() == {2: {1: 3}}
    stores = decision.explanation.strategies[0]
    assert stores.result == "placed 1 of 3 items; fall back to the next strategy"


def test_a_strategy_whose_condition_fails_is_skipped_with_the_reason():
    decision = decide(
        order(line(1, 10, 1)),
        [location(1, "WH", {10: 9})],
        profile(Strategy("france", condition=FR), Strategy("germany", condition=DE)),
        MONDAY_MORNING,
    )
    assert decision.strategy == "germany"
    skipped = decision.explanation.strategies[0]
    assert (skipped.matched, skipped.condition) == (
        False,
        "destination.country = 'FR' fails (it is 'DE')",
    )


def test_no_matching_strategy_means_review():
    decision = decide(
        order(line(1, 10, 1)),
        [location(1, "WH", {10: 9})],
        profile(Strategy("fr", FR)),
        MONDAY_MORNING,
    )
    assert decision.outcome == "review"
    assert decision.backordered == {1: 1}
    assert decision.explanation.summary == "No strategy matched this order: review."


def test_cancel_after_backorders_and_sets_the_date():
    decision = decide(
        order(line(1, 10, 3)),
        [location(1, "WH", {10: 1})],
        by_priority(fallback=Fallback("cancel_after", days=14)),
        MONDAY_MORNING,
    )
    assert decision.outcome == "partial"
    assert decision.cancel_after == datetime(2025, 10, 20, 10, 0, tzinfo=UTC)
    assert decision.explanation.summary == (
        "Strategy 'default' placed 1 of 3 items; 2 backordered, cancelled if still backordered "
        "after 2025-10-20."
    )


def test_a_fallback_loop_in_an_unvalidated_profile_ends_in_review():
    decision = decide(
        order(line(1, 10, 1)),
        [],
        profile(
            Strategy("a", fallback=Fallback("strategy", "b")),
            Strategy("b", fallback=Fallback("strategy", "a")),
        ),
        MONDAY_MORNING,
    )
    assert decision.outcome == "review"
    assert decision.explanation.summary == "Fallback loop back to strategy 'a': review."


# --- the explanation -------------------------------------------------------------------------


def test_the_explanation_is_json_and_reads_as_sentences():
    decision = decide(
        order(line(1, 10, 2)),
        [
            location(1, "HH", {10: 5}, priority=2, **HAMBURG),
            location(2, "M", {10: 5}, priority=1, **MUNICH),
        ],
        by_priority(filters=(WithinDistance(300),), split=SplitLimit(2)),
        MONDAY_MORNING,
    )
    data = json.loads(json.dumps(decision.to_dict()))
    assert data["outcome"] == "allocated"
    assert data["assignments"] == {"1": [{"location_id": 1, "quantity": 2}]}
    strategy = data["explanation"]["strategies"][0]
    assert strategy["candidates"][1] == {
        "location_id": 2,
        "code": "M",
        "kept": False,
        "removed_by": "within_distance",
        "rank": None,
        "score": None,
        "values": {},
        "reason": "(warehouse) left out: 504 km away, beyond the 300 km limit",
    }
    assert strategy["split"]["method"] == "single"
    assert decision.explanation.sentences() == [
        "Allocated by strategy 'default': 2 items in 1 shipment.",
        "Strategy 'default' matched: no condition (always matches).",
        "  HH: (warehouse) has all 2 items and is 255 km away; ranked 1st of 1 (priority 2); ships",
        "  M: (warehouse) left out: 504 km away, beyond the 300 km limit",
        "  Split: one location covers all 2 items: HH (ranked 1st); 1 shipment (limit 2)",
        "  Result: placed all 2 items",
    ]


def test_refuses_a_naive_clock_and_duplicate_candidates():
    with pytest.raises(DomainError, match="aware datetime"):
        decide(order(line(1, 10, 1)), [], by_priority(), datetime(2025, 10, 6))
    with pytest.raises(DomainError, match="repeat an id"):
        decide(
            order(line(1, 10, 1)),
            [location(1, "A", {}), location(1, "B", {})],
            by_priority(),
            MONDAY_MORNING,
        )


def test_calendar_cut_off_uses_the_locations_timezone():
    tokyo = Calendar("Asia/Tokyo", {0: ((time(9), time(18)),)}, cutoff=time(15))
    # 10:00 UTC is 19:00 in Tokyo: Monday's cut-off has passed there
    assert not tokyo.before_cutoff(MONDAY_MORNING)
    assert tokyo.next_ship_date(MONDAY_MORNING).isoformat() == "2025-10-13"


def test_an_address_no_location_reaches_is_named_and_any_other_cause_is_not():
    far = order(line(1, 10, 1), destination=Destination("FR", "", "75001", None, None))
    near = by_priority(filters=(WithinDistance(300),))
    # every location left out by the distance to the address (unknown; beyond the limit)
    unknown = decide(far, [location(1, "A", {10: 5})], near, MONDAY_MORNING)
    assert address_unserved(unknown.explanation.to_dict()) == (
        "A: (warehouse) left out: distance unknown (no coordinates and no zone for the "
        "location), limit 300 km"
    )
    beyond = decide(order(line(1, 10, 1)), [location(1, "M", {10: 5}, **MUNICH)], near,
                    MONDAY_MORNING)  # fmt: skip
    assert address_unserved(beyond.explanation.to_dict()).startswith("M: (warehouse) left out: 5")
    # one location reaches it (even without stock), or another filter removed one: not the address
    reached = decide(order(line(1, 10, 1)), [location(1, "P", {}, **POTSDAM)], near,
                     MONDAY_MORNING)  # fmt: skip
    assert address_unserved(reached.explanation.to_dict()) is None
    mixed = decide(order(line(1, 10, 1)), [location(1, "M", {10: 5}, **MUNICH),
                   location(2, "X", {10: 5}, **POTSDAM)],
                   by_priority(filters=(ExcludeLocations(("X",)), WithinDistance(300))),
                   MONDAY_MORNING)  # fmt: skip
    assert address_unserved(mixed.explanation.to_dict()) is None
    # no location at all, or none that ships: nothing about the address
    assert address_unserved(decide(far, [], near, MONDAY_MORNING).explanation.to_dict()) is None
    closed = decide(far, [location(1, "A", {10: 5}, ships=False)], near, MONDAY_MORNING)
    assert address_unserved(closed.explanation.to_dict()) is None
