from __future__ import annotations

import copy

import pytest

from ordino.core.domain.errors import DomainError
from ordino.sourcing.domain import profile_from_dict

GROUPS = {"central", "stores"}

GOOD = {
    "code": "default",
    "version": 3,
    "effective_from": "2025-10-01T00:00:00+02:00",
    "strategies": [
        {
            "name": "nearby stores",
            "condition": {"fact": "destination.country", "op": "eq", "value": "DE"},
            "filters": [
                {"type": "in_groups", "groups": ["stores"]},
                {"type": "has_stock", "mode": "full_line"},
                {"type": "open", "mode": "before_cutoff"},
                {"type": "capacity_left", "minimum": 1},
                {"type": "within_distance", "km": 300, "unknown": "exclude"},
                {"type": "kind_in", "kinds": ["store"]},
                {"type": "exclude_locations", "codes": ["ST-9"]},
            ],
            "ranking": {
                "mode": "weighted",
                "criteria": [
                    {"criterion": "distance", "weight": 2.0},
                    {"criterion": "stock_depth"},
                    {"criterion": "group", "prefer": ["stores", "central"]},
                ],
            },
            "split": {"max_shipments": 2, "fill": "fewest_shipments", "line_split": True},
            "fallback": {"kind": "next"},
        },
        {
            "name": "central",
            "filters": [{"type": "in_groups", "groups": ["central"]}],
            "ranking": {"mode": "lexicographic", "criteria": [{"criterion": "priority"}]},
            "split": {"max_shipments": None, "fill": "fewest_shipments", "line_split": True},
            "fallback": {"kind": "cancel_after", "days": 10},
        },
    ],
}


def test_a_good_profile_parses_and_round_trips():
    profile = profile_from_dict(GOOD, known_groups=GROUPS, known_locations={"ST-9"})
    assert [s.name for s in profile.strategies] == ["nearby stores", "central"]
    again = profile_from_dict(profile.to_dict(), known_groups=GROUPS)
    assert again == profile
    assert profile.to_dict()["strategies"][0]["filters"] == GOOD["strategies"][0]["filters"]


def refused(change, **kw) -> list[tuple[str, str, str]]:
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(DomainError) as caught:
        profile_from_dict(data, known_groups=kw.get("groups", GROUPS), known_locations={"ST-9"})
    assert caught.value.code == "invalid_profile"
    return [(e["field"], e["code"], e["message"]) for e in caught.value.errors]


def first(data: dict) -> dict:
    return data["strategies"][0]


def test_refuses_a_strategy_that_can_never_match():
    def change(d):
        first(d)["condition"] = {
            "all": [
                {"fact": "destination.country", "op": "eq", "value": "DE"},
                {"fact": "destination.country", "op": "eq", "value": "FR"},
            ]
        }

    assert refused(change) == [
        (
            "strategies[0].condition",
            "never_matches",
            "strategies[0].condition: strategy 'nearby stores' can never match: no value of "
            "destination.country satisfies destination.country = 'DE' and "
            "destination.country = 'FR'",
        )
    ]


def test_refuses_an_empty_delivery_method_list():
    def change(d):
        first(d)["condition"] = {"fact": "delivery_method", "op": "in", "value": []}

    assert refused(change)[0][:2] == ("strategies[0].condition", "never_matches")


def test_refuses_a_filter_on_a_group_that_does_not_exist():
    def change(d):
        first(d)["filters"][0]["groups"] = ["shops"]

    assert refused(change) == [
        (
            "strategies[0].filters[0].groups",
            "unknown_group",
            "strategies[0].filters[0].groups: no location group 'shops' "
            "(known groups: central, stores)",
        )
    ]


def test_refuses_a_preference_for_an_unknown_group():
    problems = refused(lambda d: None, groups={"stores"})
    assert [p[:2] for p in problems] == [
        ("strategies[0].ranking.criteria[2].prefer", "unknown_group"),
        ("strategies[1].filters[0].groups", "unknown_group"),
    ]


def test_refuses_a_cycle_of_fallbacks():
    def change(d):
        d["strategies"][1]["fallback"] = {"kind": "strategy", "strategy": "nearby stores"}

    assert refused(change) == [
        (
            "strategies[1].fallback",
            "fallback_cycle",
            "strategies[1].fallback: fallbacks form a cycle: nearby stores → central → "
            "nearby stores",
        )
    ]


@pytest.mark.parametrize(
    ("change", "field", "code", "message"),
    [
        (
            lambda d: first(d)["split"].update(max_shipments=0),
            "strategies[0].split.max_shipments",
            "too_small",
            "the split limit (max_shipments) must be at least 1, got 0",
        ),
        (
            lambda d: first(d)["condition"].update(fact="destination.planet"),
            "strategies[0].condition.fact",
            "unknown_fact",
            None,
        ),
        (
            lambda d: first(d)["condition"].update(op="like"),
            "strategies[0].condition.op",
            "unknown_operator",
            None,
        ),
        (
            lambda d: first(d)["filters"].append({"type": "weather"}),
            "strategies[0].filters[7].type",
            "unknown_filter",
            None,
        ),
        (
            lambda d: first(d)["filters"][5].update(kinds=["shed"]),
            "strategies[0].filters[5].kinds[0]",
            "unknown_kind",
            "unknown location kind 'shed'; use dropship, store, warehouse",
        ),
        (
            lambda d: first(d)["filters"][5].update(kinds=[]),
            "strategies[0].filters[5].kinds",
            "empty",
            "an empty list keeps no location",
        ),
        (
            lambda d: first(d)["filters"][4].update(km=0),
            "strategies[0].filters[4].km",
            "too_small",
            "km must be greater than 0, got 0",
        ),
        (
            lambda d: first(d)["filters"][6].update(codes=["NOPE"]),
            "strategies[0].filters[6].codes",
            "unknown_location",
            "no location 'NOPE'",
        ),
        (
            lambda d: first(d)["ranking"]["criteria"].append({"criterion": "vibes"}),
            "strategies[0].ranking.criteria[3].criterion",
            "unknown_criterion",
            None,
        ),
        (
            lambda d: first(d)["ranking"]["criteria"].append({"criterion": "distance"}),
            "strategies[0].ranking.criteria[3]",
            "duplicate_criterion",
            "criterion 'distance' is listed twice",
        ),
        (
            lambda d: first(d)["ranking"]["criteria"][0].update(weight=-1),
            "strategies[0].ranking.criteria[0].weight",
            "too_small",
            None,
        ),
        (
            lambda d: d["strategies"][1].update(fallback={"kind": "next"}),
            "strategies[1].fallback.kind",
            "no_next_strategy",
            "strategy 'central' is the last one: there is no next strategy to fall back to",
        ),
        (
            lambda d: first(d).update(fallback={"kind": "strategy", "strategy": "ghost"}),
            "strategies[0].fallback.strategy",
            "unknown_strategy",
            "no strategy named 'ghost' to fall back to",
        ),
        (
            lambda d: d["strategies"][1].update(fallback={"kind": "cancel_after", "days": 0}),
            "strategies[1].fallback.days",
            "too_small",
            "days must be at least 1, got 0",
        ),
        (
            lambda d: d["strategies"][1].update(name="nearby stores"),
            "strategies[1].name",
            "duplicate_strategy",
            "strategy 'nearby stores' repeats",
        ),
        (
            lambda d: first(d).update(colour="red"),
            "strategies[0].colour",
            "unknown_field",
            None,
        ),
        (lambda d: d.update(strategies=[]), "strategies", "required", None),
        (
            lambda d: d.update(effective_from="2025-10-01T00:00:00"),
            "effective_from",
            "naive_datetime",
            None,
        ),
    ],
)
def test_refuses_bad_configuration_with_path_and_reason(change, field, code, message):
    problems = refused(change)
    assert (problems[0][0], problems[0][1]) == (field, code)
    if message is not None:
        assert problems[0][2] == f"{field}: {message}"


def test_refuses_a_strategy_that_is_never_reached():
    def change(d):
        first(d)["condition"] = None
        first(d)["fallback"] = {"kind": "backorder"}

    assert refused(change) == [
        (
            "strategies[1]",
            "unreachable",
            "strategies[1]: strategy 'central' is never reached: an earlier strategy always "
            "matches and does not fall through to it",
        )
    ]
