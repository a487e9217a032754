"""Fulfillment inputs are strict and bounded (issue 7): "1" and true are no line numbers, a
tracking number fits its column, and a refusal changes nothing."""

from __future__ import annotations

import pytest

from ordino.fulfillment.models import FulfillmentLine, FulfillmentOrder, Shipment
from ordino.inventory.models import StockBalance, StockMovement
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "DHL", "tracking_numbers": ["JD0001"]}


@pytest.fixture
def accepted(api, shop):
    """An order of two tees and a mug, accepted at WH-A."""
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body()).json()
    fo = order["fulfillment_orders"][0]["id"]
    assert api.post(f"/fulfillment/orders/{fo}/accept").status_code == 200
    return fo


def database() -> tuple:
    return (
        StockMovement.objects.count(),
        Shipment.objects.count(),
        sorted(FulfillmentOrder.objects.values_list("id", "status", "version")),
        sorted(FulfillmentLine.objects.values_list("id", "quantity_shipped", "quantity_rejected")),
        sorted(StockBalance.objects.values_list("id", "on_hand", "committed", "unavailable")),
    )


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("ship", {**SHIP, "lines": [{"line_no": "1", "quantity": 1}]}, "lines.0.line_no"),
        ("ship", {**SHIP, "lines": [{"line_no": True, "quantity": 1}]}, "lines.0.line_no"),
        ("ship", {**SHIP, "lines": [{"line_no": 1, "quantity": "1"}]}, "lines.0.quantity"),
        (
            "reject",
            {"reason": "damaged", "lines": [{"line_no": "1", "quantity": 1}]},
            "lines.0.line_no",
        ),
        (
            "reject",
            {"reason": "not_found", "lines": [{"line_no": True, "quantity": 1}]},
            "lines.0.line_no",
        ),
        ("ship", {**SHIP, "tracking_numbers": ["x" * 100_000]}, "tracking_numbers.0"),
        ("ship", {**SHIP, "tracking_numbers": [""]}, "tracking_numbers.0"),
        (
            "ship",
            {**SHIP, "packages": [{"weight_grams": 1, "tracking_number": "x" * 65}]},
            "packages.0.tracking_number",
        ),
        ("ship", {**SHIP, "packages": [{"weight_grams": True}]}, "packages.0.weight_grams"),
        ("ready-for-pickup", {"pickup_days": "3"}, "pickup_days"),
    ],
)
def test_a_coerced_or_overlong_value_is_refused_and_changes_nothing(
    api, accepted, step, body, field
):
    # given an accepted fulfillment order
    before = database()
    # when a step is sent with a value of the wrong type or too long
    response = api.post(f"/fulfillment/orders/{accepted}/{step}", body)
    # then 422 naming the field, and nothing changed
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "validation_error"
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert database() == before


@pytest.mark.parametrize(("name", "value"), [("status", "bogus"), ("location", "x" * 65)])
def test_an_unknown_or_overlong_queue_filter_is_a_422(api, accepted, name, value):
    response = api.get("/fulfillment/orders", **{name: value})
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [name]
