from __future__ import annotations

import pytest

from tests.factories import order_body, stock


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    return shop


# The settings page's form with the defaults (console/risk/views.py)
SETTINGS_FORM = {
    "weight_velocity_email": "25", "weight_velocity_phone": "20", "weight_velocity_address": "20",
    "weight_velocity_card": "35", "weight_country_mismatch": "20",
    "weight_first_order_high_value": "30", "weight_name_mismatch": "25",
    "weight_email_disposable": "25", "velocity_hours": "24", "velocity_limit": "3",
    "review_threshold": "70", "high_value": "EUR 1000\nUSD 1000", "reason": "",
}  # fmt: skip


def risky_body(external_id: str, **extra) -> dict:
    """A throwaway e-mail (25), billed in France (20) to another name (25): 70, the default
    review threshold."""
    body = order_body(external_id, **extra)
    body["customer"] = {**body["customer"], "email": "ada@mailinator.com"}
    body["billing_address"] = {"name": "Bob Smith", "line1": "1 rue de Rivoli", "city": "Paris",
                               "postal_code": "75001", "country": "FR"}  # fmt: skip
    return body


def risky_rule(api, **extra) -> None:
    """A hold rule in force: a score of 70 or more waits."""
    rule = {"code": "risky", "name": "Risky", "reason": "fraud risk",
            "condition": {"fact": "risk.score", "op": "gte", "value": 70}, **extra}  # fmt: skip
    assert api.post("/holds/rules", rule).status_code == 201
    assert api.post("/holds/rules/risky/versions/1/activate", {"reason": "go"}).status_code == 200
