"""Fraud screening's settings as data: each signal's weight, the velocity window, the high
values per currency, the review threshold — checked and bounded before they are saved
(docs/risk.md, "Settings")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ordino.core.domain.errors import DomainError

SIGNALS = (
    "velocity_email",  # other orders with the same e-mail in the window
    "velocity_phone",  # ... the same phone
    "velocity_address",  # ... the same shipping address
    "velocity_card",  # ... the same card fingerprint
    "country_mismatch",  # billing and shipping countries differ
    "first_order_high_value",  # a first order (or a guest's) at or over the currency's threshold
    "name_mismatch",  # billing, shipping and card holder names are not one person
    "email_disposable",  # a throwaway e-mail domain
)
LABELS = {
    "velocity_email": "Orders from this e-mail",
    "velocity_phone": "Orders from this phone",
    "velocity_address": "Orders to this address",
    "velocity_card": "Orders with this card",
    "country_mismatch": "Billing and shipping countries differ",
    "first_order_high_value": "First order of high value",
    "name_mismatch": "Names do not match",
    "email_disposable": "Throwaway e-mail",
}
WEIGHT_MAX = 100
VELOCITY_HOURS_MAX = 720  # 30 days: a longer window is history, not velocity
VELOCITY_LIMIT_MAX = 100
HIGH_VALUE_MAX = Decimal("1000000000")
CURRENCIES_MAX = 50
_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class RiskSettings:
    weights: Mapping[str, int]  # points a signal adds at full strength, 0-100
    velocity_hours: int  # the window velocity counts orders in, 1-720
    velocity_limit: int  # other orders in the window at which a velocity signal counts in full
    high_value: Mapping[str, Decimal]  # currency -> the value from which a first order is high
    review_threshold: int  # a score at or over it opens a fraud_review case, 1-100


DEFAULTS = RiskSettings(
    weights={
        "velocity_email": 25,
        "velocity_phone": 20,
        "velocity_address": 20,
        "velocity_card": 35,
        "country_mismatch": 20,
        "first_order_high_value": 30,
        "name_mismatch": 25,
        "email_disposable": 25,
    },
    velocity_hours=24,
    velocity_limit=3,
    high_value={"EUR": Decimal(1000), "USD": Decimal(1000), "GBP": Decimal(900)},
    review_threshold=70,
)


def settings_dump(settings: RiskSettings) -> dict:
    """The settings as JSON data (amounts as decimal text)."""
    return {
        "weights": {code: settings.weights.get(code, 0) for code in SIGNALS},
        "velocity_hours": settings.velocity_hours,
        "velocity_limit": settings.velocity_limit,
        "high_value": {c: format(v, "f") for c, v in sorted(settings.high_value.items())},
        "review_threshold": settings.review_threshold,
    }


def settings_check(data: object) -> RiskSettings:
    """Settings from data, every problem named with its path (422 `invalid_risk_settings`); a
    key left out keeps its default, an unknown one is refused."""
    errors: list[dict[str, str]] = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "code": "invalid_risk_settings", "message": message})

    if not isinstance(data, Mapping):
        raise DomainError("invalid_risk_settings", "Settings are an object.", field="settings")
    for key in data:
        if key not in ("weights", "velocity_hours", "velocity_limit", "high_value",
                       "review_threshold"):  # fmt: skip
            bad(str(key), "Unknown setting.")
    weights = _weights(data.get("weights", DEFAULTS.weights), bad)
    hours = _integer(data.get("velocity_hours", DEFAULTS.velocity_hours), "velocity_hours",
                     1, VELOCITY_HOURS_MAX, bad)  # fmt: skip
    limit = _integer(data.get("velocity_limit", DEFAULTS.velocity_limit), "velocity_limit",
                     1, VELOCITY_LIMIT_MAX, bad)  # fmt: skip
    threshold = _integer(data.get("review_threshold", DEFAULTS.review_threshold),
                         "review_threshold", 1, 100, bad)  # fmt: skip
    high_value = _high_values(data.get("high_value", DEFAULTS.high_value), bad)
    if errors:
        raise DomainError(
            "invalid_risk_settings",
            f"The settings have {len(errors)} problem(s): {errors[0]['field']}: "
            f"{errors[0]['message']}",
            errors=errors,
        )
    return RiskSettings(weights, hours, limit, high_value, threshold)


def _integer(value: object, field: str, low: int, high: int, bad) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        bad(field, f"A whole number from {low} to {high}.")
        return low
    return value


def _weights(value: object, bad) -> dict[str, int]:
    if not isinstance(value, Mapping):
        bad("weights", "An object of signal: points.")
        return dict(DEFAULTS.weights)
    weights = dict(DEFAULTS.weights)
    for code, points in value.items():
        if code not in SIGNALS:
            bad(f"weights.{code}", f"Unknown signal; signals are {', '.join(SIGNALS)}.")
            continue
        weights[code] = _integer(points, f"weights.{code}", 0, WEIGHT_MAX, bad)
    return weights


def _high_values(value: object, bad) -> dict[str, Decimal]:
    if not isinstance(value, Mapping) or len(value) > CURRENCIES_MAX:
        bad("high_value", f"An object of currency: amount, at most {CURRENCIES_MAX}.")
        return dict(DEFAULTS.high_value)
    found: dict[str, Decimal] = {}
    for currency, amount in value.items():
        field = f"high_value.{currency}"
        if not isinstance(currency, str) or not _CURRENCY.match(currency):
            bad(field, "A currency is three capital letters (ISO 4217).")
            continue
        number = _amount(amount)
        if number is None or not Decimal(0) < number <= HIGH_VALUE_MAX:
            bad(field, f"An amount as decimal text, over 0 and at most {HIGH_VALUE_MAX}.")
            continue
        found[currency] = number
    return found


def _amount(value: object) -> Decimal | None:
    """Decimal text or a Decimal (never a float: money is exact)."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and len(value) <= 24:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None
