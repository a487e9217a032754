"""Fixtures of the console lists' tests (helpers in lists_fixtures.py)."""

from __future__ import annotations

import pytest

from ordino.orders.models import Order
from tests.factories import make_channel, order_body, stock


@pytest.fixture
def orders(shop, api):
    """Three orders: W-1 and W-2 in web (W-2 to postal code 75001), A-1 in a second channel."""
    make_channel("app", currency="EUR")
    stock(shop["wh_a"], shop["TEE"], 50)
    stock(shop["wh_a"], shop["MUG"], 50)
    address = {"name": "Bo", "line1": "1 rue", "city": "Paris", "postal_code": "75001"}
    bodies = [
        order_body("W-1"),
        order_body(
            "W-2",
            shipping_address={**address, "country": "FR"},
            customer={"email": "bo@example.com", "phone": "+33612345678", "first_name": "Bo"},
        ),
        order_body("A-1", channel="app"),
    ]
    for body in bodies:
        assert api.post("/orders", body).status_code in (200, 201)
    return {o.external_id: o for o in Order.objects.all()}
