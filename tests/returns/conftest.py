"""Orders whose units reached the customer, ready to be returned."""

from __future__ import annotations

import pytest

from ordino.inventory.models import StockBalance
from tests.factories import order_body, stock

SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}


def ship_all(api, order: dict, *, deliver: bool = True) -> None:
    """Every fulfillment order of `order` shipped (and delivered), through the API."""
    for fo in order["fulfillment_orders"]:
        response = api.post(f"/fulfillment/orders/{fo['id']}/ship", SHIP)
        assert response.status_code == 200, response.content
        if deliver:
            assert api.post(f"/fulfillment/orders/{fo['id']}/deliver").status_code == 200


def balance(location, sku) -> tuple[int, int, int]:
    """(on hand, committed, unavailable) of a SKU at a location."""
    b = StockBalance.objects.filter(location=location, sku=sku).first()
    return (b.on_hand, b.committed, b.unavailable) if b else (0, 0, 0)


@pytest.fixture
def delivered(api, shop):
    """Order W-1 (two tees at 19.99, one mug at 9.50, EUR) shipped from WH-A and delivered."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    ship_all(api, order)
    return order


def return_body(*lines: tuple[int, int], location: str = "WH-A", reason: str = "size_or_fit"):
    return {
        "location": location,
        "reason": reason,
        "lines": [{"line_no": no, "quantity": qty} for no, qty in lines],
    }
