"""Routing rules' pure core: checked when saved (each problem with its field), and the first
rule (in order) for the case's type whose condition matches decides."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.cases.domain.routing import RoutingRule, route, routing_check
from ordino.core.domain.errors import DomainError
from ordino.holds.domain.rules import condition_check

TYPES = {"inquiry", "order_hold", "approval_required"}
BIG = {"fact": "order.value", "op": "gt", "value": "100"}
DE = {"fact": "destination.country", "op": "eq", "value": "DE"}


def _rule(code: str, condition: dict, types=(), team=None, priority="") -> RoutingRule:
    return RoutingRule(code, tuple(types), condition_check(condition), team, priority)


def test_the_first_matching_rule_for_the_case_type_decides():
    rules = [_rule("holds-big", BIG, ["order_hold"], team=1), _rule("big", BIG, team=2),
             _rule("de", DE, team=3)]  # fmt: skip
    facts = {"order.value": Decimal("150"), "destination.country": "DE"}
    assert route(rules, "order_hold", facts).rule.code == "holds-big"
    assert route(rules, "inquiry", facts).rule.code == "big"
    small = {"order.value": Decimal("50"), "destination.country": "DE"}
    routed = route(rules, "inquiry", small)
    assert (routed.rule.code, routed.why) == ("de", "destination.country = 'DE' holds (it is 'DE')")
    assert route(rules, "inquiry", {"order.value": Decimal("5")}) is None


def test_a_rule_is_checked_whole():
    parsed, types, priority = routing_check(condition=BIG, case_types=["inquiry", "inquiry"],
                                            team_id=None, priority="high",
                                            known_types=TYPES)  # fmt: skip
    assert (parsed.describe(), types, priority) == ("order.value > 100", ("inquiry",), "high")


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"condition": {"fact": "x", "op": "eq", "value": 1}}, "invalid_condition",
         "condition.fact"),
        ({"case_types": "inquiry"}, "invalid_case_types", "case_types"),
        ({"case_types": ["inquiry", "nope"]}, "unknown_case_type", "case_types[1]"),
        ({"priority": "asap"}, "invalid_priority", "priority"),
        ({"team_id": None, "priority": ""}, "routing_outcome_missing", "team"),
    ],
)  # fmt: skip
def test_what_cannot_be_evaluated_is_refused_with_its_field(fields, code, field):
    given = {"condition": BIG, "case_types": [], "team_id": 1, "priority": "", **fields}
    with pytest.raises(DomainError) as raised:
        routing_check(**given, known_types=TYPES)
    assert raised.value.code == code
    assert field in [e["field"] for e in raised.value.errors]
