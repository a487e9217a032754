"""Fraud screening's settings are checked and bounded before they are saved (docs/risk.md,
"Settings")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ordino.core.domain.errors import DomainError
from ordino.risk.domain.settings import DEFAULTS, settings_check, settings_dump


def problems(data) -> list[tuple[str, str]]:
    with pytest.raises(DomainError) as refused:
        settings_check(data)
    assert refused.value.code == "invalid_risk_settings"
    assert refused.value.status == 422
    return [(e["field"], e["message"]) for e in refused.value.errors]


def test_the_defaults_round_trip_through_their_json():
    assert settings_check(settings_dump(DEFAULTS)) == DEFAULTS
    assert settings_check({}) == DEFAULTS


def test_the_limits_are_accepted():
    data = {"weights": {"velocity_card": 100, "country_mismatch": 0}, "velocity_hours": 720,
            "velocity_limit": 100, "review_threshold": 1,
            "high_value": {"JPY": "1000000000", "EUR": Decimal("0.01")}}  # fmt: skip
    settings = settings_check(data)
    assert settings.weights["velocity_card"] == 100
    assert settings.weights["country_mismatch"] == 0
    assert settings.weights["velocity_email"] == 25  # not given: its default
    assert settings.high_value == {"JPY": Decimal("1000000000"), "EUR": Decimal("0.01")}
    assert (settings.velocity_hours, settings.velocity_limit, settings.review_threshold) == (
        720, 100, 1
    )  # fmt: skip


def test_just_past_the_limits_every_problem_is_named_with_its_path():
    data = {"weights": {"velocity_card": 101, "nope": 1, "country_mismatch": True},
            "velocity_hours": 721, "velocity_limit": 0, "review_threshold": 101,
            "high_value": {"eur": "5", "USD": "0", "GBP": 1.5, "CHF": "1000000000.01"},
            "colour": "red"}  # fmt: skip
    assert problems(data) == [
        ("colour", "Unknown setting."),
        ("weights.velocity_card", "A whole number from 0 to 100."),
        ("weights.nope", "Unknown signal; signals are velocity_email, velocity_phone, "
         "velocity_address, velocity_card, country_mismatch, first_order_high_value, "
         "name_mismatch, email_disposable."),
        ("weights.country_mismatch", "A whole number from 0 to 100."),
        ("velocity_hours", "A whole number from 1 to 720."),
        ("velocity_limit", "A whole number from 1 to 100."),
        ("review_threshold", "A whole number from 1 to 100."),
        ("high_value.eur", "A currency is three capital letters (ISO 4217)."),
        ("high_value.USD", "An amount as decimal text, over 0 and at most 1000000000."),
        ("high_value.GBP", "An amount as decimal text, over 0 and at most 1000000000."),
        ("high_value.CHF", "An amount as decimal text, over 0 and at most 1000000000."),
    ]  # fmt: skip


def test_shapes_that_are_not_objects_are_refused():
    assert problems([]) == [("settings", "Settings are an object.")]
    assert problems({"weights": [1], "high_value": "EUR 5"}) == [
        ("weights", "An object of signal: points."),
        ("high_value", "An object of currency: amount, at most 50."),
    ]
    assert problems({"high_value": {f"A{chr(65 + i // 26)}{chr(65 + i % 26)}": "1"
                                    for i in range(51)}})[0][0] == "high_value"  # fmt: skip
