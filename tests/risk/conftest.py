from __future__ import annotations

import pytest

from tests.factories import order_body, stock


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    return shop


def risky_body(external_id: str, **extra) -> dict:
    """A throwaway e-mail (25), billed in France (20) to another name (25): 70, the default
    review threshold."""
    body = order_body(external_id, **extra)
    body["customer"] = {**body["customer"], "email": "ada@mailinator.com"}
    body["billing_address"] = {"name": "Bob Smith", "line1": "1 rue de Rivoli", "city": "Paris",
                               "postal_code": "75001", "country": "FR"}  # fmt: skip
    return body
