"""Fraud screening's signals and score, without a database (docs/risk.md, "The score")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ordino.risk.domain.settings import DEFAULTS, SIGNALS, RiskSettings
from ordino.risk.domain.signals import (
    History,
    RiskInputs,
    address_key,
    name_tokens,
    names_match,
    score_of,
    signals_of,
)

CALM = RiskInputs(
    email="ada@example.com", phone="+4930123456", address_key="de|10117|unterdenlinden1",
    shipping_country="DE", billing_country="DE", shipping_name="Ada Lovelace",
    billing_name="Ada Lovelace", currency="EUR", total=Decimal("49.48"),
)  # fmt: skip
KNOWN = History(earlier_orders=3)


def points(inputs: RiskInputs, history: History = KNOWN, settings: RiskSettings = DEFAULTS):
    return {s.code: s.points for s in signals_of(inputs, history, settings)}


def test_a_calm_order_of_a_known_customer_scores_zero_with_every_signal_explained():
    signals = signals_of(CALM, KNOWN, DEFAULTS)
    assert [s.code for s in signals] == list(SIGNALS)
    assert score_of(signals) == 0
    assert {s.code: s.detail for s in signals} == {
        "velocity_email": "0 other order(s) with this e-mail in the last 24 h (full weight at 3)",
        "velocity_phone": "0 other order(s) with this phone in the last 24 h (full weight at 3)",
        "velocity_address": "0 other order(s) with this shipping address in the last 24 h "
        "(full weight at 3)",
        "velocity_card": "no card to compare",
        "country_mismatch": "billing and shipping in DE",
        "first_order_high_value": "the customer ordered 3 time(s) before",
        "name_mismatch": "billing and shipping names match",
        "email_disposable": "example.com is not a throwaway domain",
    }


@pytest.mark.parametrize(
    ("others", "expected"), [(0, 0), (1, 8), (2, 17), (3, 25), (4, 25), (100, 25)]
)
def test_velocity_grows_with_the_other_orders_up_to_its_full_weight(others, expected):
    # 25 points at 3 others (the default limit): 1 → 8.33 → 8, 2 → 16.67 → 17
    assert points(CALM, History(same_email=others, earlier_orders=3))["velocity_email"] == expected


def test_each_key_has_its_own_velocity_and_a_missing_key_never_counts():
    history = History(same_email=3, same_phone=3, same_address=3, same_card=3, earlier_orders=1)
    got = points(CALM, history)
    assert [got[c] for c in ("velocity_email", "velocity_phone", "velocity_address")] == [
        25, 20, 20
    ]  # fmt: skip
    assert got["velocity_card"] == 0  # the order names no card
    assert points(replace(CALM, card_key="fp_1"), history)["velocity_card"] == 35


def test_billing_and_shipping_countries_that_differ_add_their_weight():
    assert points(replace(CALM, billing_country="FR"))["country_mismatch"] == 20
    assert points(replace(CALM, billing_country=""))["country_mismatch"] == 0
    assert points(replace(CALM, billing_country="de"))["country_mismatch"] == 0


@pytest.mark.parametrize(
    ("total", "earlier", "expected"),
    [
        ("999.99", 0, 0),  # just under the threshold
        ("1000", 0, 30),  # at it: high
        ("5000", None, 30),  # a guest counts as a first order
        ("5000", 1, 0),  # a known customer's second order
    ],
)
def test_a_first_order_of_high_value(total, earlier, expected):
    inputs = replace(CALM, total=Decimal(total))
    got = points(inputs, History(earlier_orders=earlier))
    assert got["first_order_high_value"] == expected


def test_a_currency_without_a_threshold_is_never_high():
    inputs = replace(CALM, currency="JPY", total=Decimal(10**9))
    signal = {s.code: s for s in signals_of(inputs, History(earlier_orders=0), DEFAULTS)}
    assert signal["first_order_high_value"].points == 0
    assert signal["first_order_high_value"].detail == "no high value set for JPY"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Ada Lovelace", "ADA LOVELACE", True),
        ("José García", "jose garcia", True),  # accents and case
        ("García, José", "José García", True),  # word order, punctuation
        ("Ada M. Lovelace", "Ada Lovelace", True),  # an initial
        ("Ada King Lovelace", "Ada Lovelace", True),  # a middle name
        ("Ada Lovelace", "Bob Smith", False),
        ("Ada Lovelace", "Ada Smith", False),
        ("", "Bob Smith", True),  # an unknown name says nothing
    ],
)
def test_names_are_compared_normalised(a, b, same):
    assert names_match(a, b) is same


def test_names_that_do_not_match_name_the_pair():
    inputs = replace(CALM, card_holder="Bob Smith")
    signal = {s.code: s for s in signals_of(inputs, KNOWN, DEFAULTS)}["name_mismatch"]
    assert signal.points == 25
    assert signal.detail == "billing name 'Ada Lovelace' is not card holder name 'Bob Smith'"
    assert name_tokens("Ada M. Lovelace") == frozenset({"ada", "lovelace"})


def test_a_throwaway_email_domain():
    assert points(replace(CALM, email="x@mailinator.com"))["email_disposable"] == 25
    assert points(replace(CALM, email=""))["email_disposable"] == 0


def test_one_address_however_it_was_typed():
    typed = {"country": "DE", "postal_code": "10117", "line1": "Unter den Linden 1"}
    again = {"country": "de", "postal_code": " 10117", "line1": "UNTER DEN LINDEN 1."}
    assert address_key(typed) == address_key(again) == "de|10117|unterdenlinden1"
    assert address_key(None) == address_key({}) == ""


def test_the_score_is_capped_at_100():
    worst = replace(CALM, email="x@mailinator.com", card_key="fp", billing_country="FR",
                    card_holder="Bob Smith", total=Decimal(5000))  # fmt: skip
    history = History(same_email=9, same_phone=9, same_address=9, same_card=9, earlier_orders=0)
    signals = signals_of(worst, history, DEFAULTS)
    assert sum(s.points for s in signals) == 200
    assert score_of(signals) == 100


def test_a_weight_of_zero_turns_a_signal_off():
    settings = replace(DEFAULTS, weights={**DEFAULTS.weights, "country_mismatch": 0})
    assert points(replace(CALM, billing_country="FR"), settings=settings)["country_mismatch"] == 0


weights = st.fixed_dictionaries({code: st.integers(0, 100) for code in SIGNALS})
counts = st.integers(0, 10**6)
histories = st.builds(
    History, same_email=counts, same_phone=counts, same_address=counts, same_card=counts,
    earlier_orders=st.none() | counts,
)  # fmt: skip


@given(
    weights=weights,
    history=histories,
    limit=st.integers(1, 100),
    total=st.decimals(min_value=0, max_value=10**9, places=2),
    card=st.sampled_from(["", "fp"]),
    billing=st.sampled_from(["", "DE", "FR"]),
)
def test_the_score_is_bounded_deterministic_and_the_sum_of_its_signals(
    weights, history, limit, total, card, billing
):
    settings = replace(DEFAULTS, weights=weights, velocity_limit=limit)
    inputs = replace(CALM, total=total, card_key=card, billing_country=billing)
    signals = signals_of(inputs, history, settings)
    score = score_of(signals)
    assert 0 <= score <= 100
    assert score == min(100, sum(s.points for s in signals))
    assert all(0 <= s.points <= s.weight and 0 <= s.strength <= 1 for s in signals)
    assert signals == signals_of(inputs, history, settings)
