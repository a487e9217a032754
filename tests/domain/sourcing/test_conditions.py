from __future__ import annotations

import json
from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.rules.domain import All, Any, Compare, FactSpec, Not, condition_parse, never_matches
from ordino.rules.domain.conditions import condition_errors
from ordino.sourcing.domain import ORDER_FACTS, order_fact_values

from .builders import line, order

FACTS = order_fact_values(
    order(
        line(1, 10, 2, sku_tags=frozenset({"fragile"})),
        line(2, 11, 1),
        customer_tags=frozenset({"vip"}),
    )
)


def parse(data: object):
    return condition_parse(data, ORDER_FACTS)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"fact": "destination.country", "op": "eq", "value": "DE"}, True),
        ({"fact": "destination.country", "op": "ne", "value": "DE"}, False),
        ({"fact": "destination.country", "op": "in", "value": ["AT", "DE"]}, True),
        ({"fact": "destination.country", "op": "not_in", "value": ["AT", "CH"]}, True),
        ({"fact": "destination.postal_code", "op": "prefix", "value": "10"}, True),
        ({"fact": "destination.postal_code", "op": "prefix", "value": "20"}, False),
        ({"fact": "order.value", "op": "gte", "value": "120.00"}, True),
        ({"fact": "order.value", "op": "gt", "value": 120}, False),
        ({"fact": "order.value", "op": "lt", "value": 120.5}, True),
        ({"fact": "order.value", "op": "lte", "value": "119.99"}, False),
        ({"fact": "order.value", "op": "eq", "value": "120"}, True),
        ({"fact": "order.units", "op": "eq", "value": 3}, True),
        ({"fact": "customer.tags", "op": "contains", "value": "VIP"}, True),
        ({"fact": "customer.tags", "op": "contains_any", "value": ["b2b", "staff"]}, False),
        ({"fact": "lines.sku_tags", "op": "contains", "value": "fragile"}, True),
        ({"fact": "delivery_method", "op": "eq", "value": "ship"}, True),
        ({"all": []}, True),
        ({"any": []}, False),
        ({"not": {"fact": "channel", "op": "eq", "value": "web"}}, False),
        (
            {
                "any": [
                    {"fact": "channel", "op": "eq", "value": "pos"},
                    {"all": [{"fact": "customer.tags", "op": "contains", "value": "vip"}]},
                ]
            },
            True,
        ),
        (None, True),
    ],
)
def test_evaluates_each_operator(data, expected):
    assert parse(data).evaluate(FACTS) is expected


def test_round_trips_through_json():
    data = {
        "all": [
            {"fact": "order.value", "op": "gte", "value": "100.00"},
            {"not": {"fact": "customer.tags", "op": "contains_any", "value": ["b2b"]}},
            {"any": [{"fact": "channel", "op": "in", "value": ["web", "app"]}]},
        ]
    }
    condition = parse(data)
    again = parse(json.loads(json.dumps(condition.to_dict())))
    assert again == condition
    assert condition.to_dict() == data


def test_a_missing_fact_value_only_satisfies_negative_comparisons():
    facts = {"destination.region": None}
    assert not parse({"fact": "destination.region", "op": "eq", "value": "BY"}).evaluate(facts)
    assert parse({"fact": "destination.region", "op": "ne", "value": "BY"}).evaluate(facts)
    assert parse({"fact": "destination.region", "op": "not_in", "value": ["BY"]}).evaluate(facts)
    assert not parse({"fact": "order.value", "op": "gt", "value": 0}).evaluate(facts)
    assert not parse({"fact": "customer.tags", "op": "contains", "value": "x"}).evaluate(facts)


def test_trace_says_why_with_the_actual_value():
    ok, why = parse({"fact": "destination.country", "op": "eq", "value": "FR"}).trace(FACTS)
    assert ok is False
    assert why == "destination.country = 'FR' fails (it is 'DE')"
    ok, why = parse({"any": [{"fact": "channel", "op": "eq", "value": "pos"}, {"any": []}]}).trace(
        FACTS
    )
    assert ok is False
    assert why == ("none of: channel = 'pos' fails (it is 'web'); an empty 'any' never matches")


def test_describe_reads_like_a_rule():
    condition = parse(
        {
            "all": [
                {"fact": "destination.country", "op": "eq", "value": "DE"},
                {
                    "any": [
                        {"fact": "order.value", "op": "gte", "value": "50"},
                        {"fact": "customer.tags", "op": "contains", "value": "vip"},
                    ]
                },
            ]
        }
    )
    assert condition.describe() == (
        "destination.country = 'DE' and (order.value ≥ 50 or customer.tags contains 'vip')"
    )


@pytest.mark.parametrize(
    ("data", "field", "code", "message"),
    [
        (
            {"fact": "destination.city", "op": "eq", "value": "x"},
            "condition.fact",
            "unknown_fact",
            "condition.fact: unknown fact 'destination.city'; known facts: channel, customer.tags",
        ),
        (
            {"fact": "channel", "op": "gt", "value": "x"},
            "condition.op",
            "unknown_operator",
            "condition.op: operator 'gt' does not apply to channel (text); "
            "use one of eq, in, ne, not_in, prefix",
        ),
        (
            {"all": [{"fact": "order.value", "op": "gt", "value": "lots"}]},
            "condition.all[0].value",
            "not_a_number",
            "condition.all[0].value: expected a number, got 'lots'",
        ),
        (
            {"fact": "order.value", "op": "gt", "value": True},
            "condition.value",
            "not_a_number",
            "condition.value: expected a number, got True",
        ),
        (
            {"fact": "delivery_method", "op": "eq", "value": "drone"},
            "condition.value",
            "unknown_choice",
            "condition.value: 'drone' is not one of 'pickup', 'ship', 'ship_to_store'",
        ),
        (
            {"fact": "channel", "op": "in", "value": "web"},
            "condition.value",
            "not_a_list",
            "condition.value: in needs a list of values, got 'web'",
        ),
        (
            {"any": [{"not": {"fact": "channel", "op": "eq"}}]},
            "condition.any[0].not.value",
            "required",
            "condition.any[0].not.value: channel eq needs a value",
        ),
        (
            {"all": [], "any": []},
            "condition",
            "unexpected_keys",
            "condition: 'any' not allowed next to 'all'",
        ),
        ({"either": []}, "condition", "unknown_node", None),
        ([1], "condition", "not_an_object", "condition: expected an object, got list"),
        ({"all": {"fact": "channel"}}, "condition.all", "not_a_list", None),
    ],
)
def test_refuses_bad_conditions_saying_where_and_what(data, field, code, message):
    with pytest.raises(DomainError) as caught:
        parse(data)
    error = caught.value.errors[0]
    assert (error["field"], error["code"]) == (field, code)
    if message is not None:
        assert error["message"].startswith(message)
    assert caught.value.code == "invalid_condition"


def test_lists_every_problem_at_once():
    _, problems = condition_errors(
        {"all": [{"fact": "nope", "op": "eq", "value": 1}, {"fact": "channel", "op": "x"}]},
        ORDER_FACTS,
    )
    assert [p["field"] for p in problems] == ["condition.all[0].fact", "condition.all[1].op"]


def test_the_language_works_over_any_facts():
    facts = {
        "case.kind": FactSpec("text", frozenset({"payment", "fraud"})),
        "case.age_h": FactSpec("number"),
    }
    rule = condition_parse(
        {
            "all": [
                {"fact": "case.kind", "op": "eq", "value": "fraud"},
                {"fact": "case.age_h", "op": "gt", "value": 24},
            ]
        },
        facts,
    )
    assert rule.evaluate({"case.kind": "fraud", "case.age_h": Decimal(30)})
    assert not rule.evaluate({"case.kind": "fraud", "case.age_h": Decimal(3)})


# --- never matches ---------------------------------------------------------------------------


def never(data: object) -> str | None:
    return never_matches(parse(data), ORDER_FACTS)


def country(op: str, value: object) -> dict[str, object]:
    return {"fact": "destination.country", "op": op, "value": value}


def value(op: str, amount: object) -> dict[str, object]:
    return {"fact": "order.value", "op": op, "value": amount}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            {"all": [country("eq", "DE"), country("eq", "FR")]},
            "no value of destination.country satisfies destination.country = 'DE' and "
            "destination.country = 'FR'",
        ),
        (
            {"fact": "delivery_method", "op": "in", "value": []},
            "no value of delivery_method satisfies delivery_method in []",
        ),
        (
            {
                "fact": "delivery_method",
                "op": "not_in",
                "value": ["ship", "pickup", "ship_to_store"],
            },
            None,
        ),
        ({"all": [country("eq", "DE"), {"not": country("eq", "DE")}]}, None),
        ({"all": [country("in", ["DE", "AT"]), country("not_in", ["DE", "AT"])]}, None),
        ({"all": [value("gt", 100), value("lt", 50)]}, None),
        ({"all": [value("gte", 100), value("lte", 100), value("ne", 100)]}, None),
        (
            {
                "all": [
                    {"fact": "destination.postal_code", "op": "prefix", "value": "10"},
                    {"fact": "destination.postal_code", "op": "prefix", "value": "20"},
                ]
            },
            None,
        ),
        (
            {
                "all": [
                    {"fact": "customer.tags", "op": "contains", "value": "vip"},
                    {"not": {"fact": "customer.tags", "op": "contains_any", "value": ["vip"]}},
                ]
            },
            None,
        ),
        ({"any": []}, "it is an empty 'any', which never matches"),
        (
            {
                "any": [
                    {"all": [country("eq", "DE"), country("eq", "FR")]},
                    {"all": [value("gt", 5), value("lt", 1)]},
                ]
            },
            None,
        ),
    ],
)
def test_detects_conditions_that_can_never_match(data, reason):
    found = never(data)
    assert found is not None
    if reason is not None:
        assert found == reason


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"all": []},
        {"all": [country("eq", "DE"), value("gte", 100)]},
        {"any": [country("eq", "DE"), country("eq", "FR")]},
        {"all": [value("gte", 100), value("lte", 100)]},
        {
            "all": [
                {"fact": "destination.postal_code", "op": "prefix", "value": "1"},
                {"fact": "destination.postal_code", "op": "prefix", "value": "10"},
                {"not": {"fact": "destination.postal_code", "op": "prefix", "value": "101"}},
            ]
        },
        {"not": {"all": [country("eq", "DE"), country("eq", "FR")]}},
        {"all": [country("ne", "DE"), country("ne", "FR")]},
    ],
)
def test_a_condition_that_can_match_is_accepted(data):
    assert never(data) is None


def test_node_types_are_plain_values():
    a = Compare("channel", "eq", "web")
    assert All((a,)) == All((a,))
    assert Any((Not(a),)).evaluate({"channel": "pos"})
