"""Policies choose among offers; the choice keeps the runners-up and says why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.core.domain.errors import DomainError
from ordino.shipping.domain.policy import Offer, business_days_after, offer_choose
from ordino.shipping.domain.quote import Service
from ordino.shipping.domain.weights import DimRule

D = Decimal
MONDAY = date(2026, 11, 30)


def offer(code: str, total: str, days: int) -> Offer:
    service = Service("c", code, code, DimRule(), transit_days=days, max_weight=D(30))
    fake = type("Q", (), {"total": D(total)})()
    return Offer(service, (fake,), business_days_after(MONDAY, days))  # type: ignore[arg-type]


OFFERS = [
    offer("economy", "5.00", 5),
    offer("standard", "7.00", 2),
    offer("express", "15.00", 1),
    offer("saver", "6.50", 3),
]


@pytest.mark.parametrize(
    ("policy", "promised", "chosen", "why"),
    [
        ("cheapest", None, "economy", "the lowest total"),
        ("fastest", None, "express", "the earliest delivery"),
        (
            "best_value",
            None,
            "standard",
            "the cheapest delivering by 2026-12-02, a day after the fastest",
        ),
        (
            "cheapest_on_time",
            date(2026, 12, 3),
            "saver",
            "the cheapest delivering by the promised 2026-12-03",
        ),
        (
            "cheapest_on_time",
            date(2026, 11, 30),
            "express",
            "no service delivers by the promised 2026-11-30: the fastest",
        ),
    ],
)
def test_each_policy_chooses_and_says_why(policy, promised, chosen, why):
    choice = offer_choose(policy, OFFERS, promised=promised)
    assert (choice.chosen.service.code, choice.why) == (chosen, why)
    assert len(choice.runners_up) == 3 and choice.chosen not in choice.runners_up


def test_working_days_skip_the_weekend():
    friday = date(2026, 12, 4)
    assert [business_days_after(friday, n) for n in (0, 1, 2)] == [
        friday,
        date(2026, 12, 7),
        date(2026, 12, 8),
    ]


def test_an_unknown_policy_or_a_missing_promise_is_refused():
    with pytest.raises(DomainError) as refused:
        offer_choose("random", OFFERS)
    assert refused.value.code == "unknown_policy"
    with pytest.raises(DomainError) as refused:
        offer_choose("cheapest_on_time", OFFERS)
    assert refused.value.code == "promise_required"


def test_no_offer_chooses_nothing_and_says_so():
    choice = offer_choose("cheapest", [])
    assert (choice.chosen, choice.why) == (None, "no service carries this shipment")


@given(
    st.lists(st.tuples(st.integers(100, 5000), st.integers(1, 7)), min_size=1, max_size=8),
    st.integers(0, 10),
)
def test_the_chosen_offer_is_optimal_for_its_policy(specs, promise_in):
    offers = [offer(f"s{i}", f"{cents / 100:.2f}", days) for i, (cents, days) in enumerate(specs)]
    promised = MONDAY + timedelta(days=promise_in)
    cheapest = offer_choose("cheapest", offers).chosen
    assert cheapest.total == min(o.total for o in offers)
    fastest = offer_choose("fastest", offers).chosen
    assert fastest.delivery == min(o.delivery for o in offers)
    on_time = offer_choose("cheapest_on_time", offers, promised=promised).chosen
    meeting = [o for o in offers if o.delivery <= promised]
    if meeting:
        assert on_time.total == min(o.total for o in meeting) and on_time.delivery <= promised
    else:
        assert on_time.delivery == fastest.delivery
