"""Hold rules' pure core: a condition is checked when saved, evaluation explains itself, and
the report's arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.holds.domain.rules import (
    ActiveRule,
    HoldSpan,
    ReleaseNeed,
    condition_check,
    condition_reads,
    kind_check,
    release_need,
    report_period,
    rule_figures,
    rules_evaluate,
)

FIRST_BIG = {
    "all": [
        {"fact": "customer.order_count", "op": "eq", "value": 0},
        {"fact": "order.value", "op": "gt", "value": "1000"},
    ]
}


def test_an_unknown_fact_is_refused_with_its_path():
    with pytest.raises(DomainError) as raised:
        condition_check({"all": [{"fact": "order.colour", "op": "eq", "value": "red"}]})
    assert raised.value.code == "invalid_condition"
    assert raised.value.errors[0]["field"] == "condition.all[0].fact"
    assert raised.value.errors[0]["code"] == "unknown_fact"


def test_a_value_of_the_wrong_type_is_refused_with_its_path():
    with pytest.raises(DomainError) as raised:
        condition_check({"fact": "order.discount_percent", "op": "gt", "value": "forty"})
    assert raised.value.errors[0]["field"] == "condition.value"
    assert raised.value.errors[0]["code"] == "not_a_number"


def test_an_operator_that_does_not_fit_the_fact_is_refused():
    with pytest.raises(DomainError) as raised:
        condition_check({"fact": "payment.methods", "op": "gt", "value": "card"})
    assert raised.value.errors[0]["field"] == "condition.op"


def test_a_condition_that_can_never_match_is_refused():
    with pytest.raises(DomainError) as raised:
        condition_check(
            {
                "all": [
                    {"fact": "order.value", "op": "gt", "value": 100},
                    {"fact": "order.value", "op": "lt", "value": 50},
                ]
            }
        )
    assert raised.value.code == "condition_never_matches"


def test_not_an_object_is_refused():
    with pytest.raises(DomainError) as raised:
        condition_check([])  # type: ignore[arg-type]
    assert raised.value.code == "invalid_condition"


ACTIONS = ("approve", "refund", "manage_rules")


def test_an_approval_names_its_releasing_permission():
    with pytest.raises(DomainError) as raised:
        kind_check("approval", " ", actions=ACTIONS)
    assert raised.value.code == "release_permission_required"
    assert kind_check("hold", "approve", actions=ACTIONS) == ("hold", "")
    assert kind_check("approval", "refund", actions=ACTIONS) == ("approval", "refund")


def test_an_approval_naming_no_action_permission_is_refused():
    with pytest.raises(DomainError) as raised:
        kind_check("approval", "boss", actions=ACTIONS)
    assert (raised.value.code, raised.value.errors[0]["field"]) == (
        "unknown_permission",
        "release_permission",
    )


def test_a_hold_asks_approve_and_an_approval_its_own_permission():
    assert release_need("hold", "") == ReleaseNeed("approve", approval=False)
    assert release_need("approval", "refund") == ReleaseNeed("refund", approval=True)


def _rule(condition: dict) -> ActiveRule:
    return ActiveRule(1, "first-big", "hold", "first order over 1,000", "", 7, 1,
                      condition_check(condition))  # fmt: skip


def test_a_first_big_order_matches_and_says_why():
    facts = {"customer.order_count": Decimal(0), "order.value": Decimal("1200.00")}
    (verdict,) = rules_evaluate([_rule(FIRST_BIG)], facts)
    assert verdict.matched is True
    assert verdict.why == (
        "customer.order_count = 0 holds (it is 0); order.value > 1000 holds (it is 1200.00)"
    )


def test_an_absent_risk_score_never_matches_a_threshold():
    rule = _rule({"fact": "risk.score", "op": "gte", "value": 80})
    (verdict,) = rules_evaluate([rule], {"risk.score": None})
    assert verdict.matched is False


def test_figures_count_fired_held_overridden_and_the_median_delay():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    spans = [
        HoldSpan(1, 10, t0, t0 + timedelta(hours=1), "manual"),
        HoldSpan(1, 10, t0, t0 + timedelta(hours=3), "auto"),
        HoldSpan(1, 11, t0, t0 + timedelta(hours=8), "manual"),
        HoldSpan(1, 12, t0, None, ""),
    ]
    figures = rule_figures(spans)
    assert (figures.fired, figures.orders_held, figures.overridden, figures.open) == (4, 3, 2, 1)
    assert figures.median_hours_held == Decimal("3.00")


def test_figures_of_a_rule_that_never_fired():
    figures = rule_figures([])
    assert (figures.fired, figures.orders_held, figures.median_hours_held) == (0, 0, None)


def test_a_rule_released_by_people_every_time_is_flagged_from_three_releases():
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def span(order: int, how: str | None) -> HoldSpan:
        released = None if how is None else t0 + timedelta(hours=1)
        return HoldSpan(1, order, t0, released, how or "")

    manual = [span(n, "manual") for n in range(3)]
    assert rule_figures(manual).always_overridden is True
    assert rule_figures([*manual, span(9, None)]).always_overridden is True  # open ones wait
    assert rule_figures(manual[:2]).always_overridden is False  # too few to say
    assert rule_figures([*manual, span(9, "auto")]).always_overridden is False  # a cause cleared
    assert rule_figures([]).always_overridden is False


def test_a_condition_reads_a_fact_anywhere_in_it_even_under_not():
    score = {"fact": "risk.score", "op": "gte", "value": 70}
    value = {"fact": "order.value", "op": "gt", "value": "40"}
    assert condition_reads(score, "risk.score") is True
    assert condition_reads({"all": [value, {"any": [{"not": score}]}]}, "risk.score") is True
    assert condition_reads({"all": [value]}, "risk.score") is False
    assert condition_reads({"any": []}, "risk.score") is False


NOW = datetime(2026, 6, 30, 12, tzinfo=UTC)


def test_the_report_covers_the_last_90_days_unless_asked():
    assert report_period(None, None, NOW) == (NOW - timedelta(days=90), NOW)
    until = NOW - timedelta(days=10)
    assert report_period(None, until, NOW) == (until - timedelta(days=90), until)
    assert report_period(until, None, NOW) == (until, NOW)


def test_the_report_s_period_is_at_most_366_days():
    since = NOW - timedelta(days=366)
    assert report_period(since, NOW, NOW) == (since, NOW)
    with pytest.raises(DomainError) as refused:
        report_period(since - timedelta(seconds=1), NOW, NOW)
    assert (refused.value.status, refused.value.code) == (422, "invalid_period")
    assert refused.value.errors[0]["field"] == "from"


def test_a_period_that_ends_before_it_starts_is_refused():
    for since in (NOW, NOW + timedelta(days=1)):
        with pytest.raises(DomainError) as refused:
            report_period(since, NOW, NOW)
        assert refused.value.code == "invalid_period"
    with pytest.raises(DomainError) as refused:  # `from` in the future, `to` defaulting to now
        report_period(NOW + timedelta(hours=1), None, NOW)
    assert refused.value.errors[0]["field"] == "from"
