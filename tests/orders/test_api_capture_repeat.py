"""A channel sends an order it sent before: the same order is a replay (200, `replayed: true`,
nothing changes); other contents under the same (channel, external id) are refused with 409
`order_exists` naming the existing order, so the channel knows its changes were not applied."""

from __future__ import annotations

import copy

import pytest

from ordino.inventory.models import StockBalance, StockMovement
from ordino.orders.models import Order, OrderLine
from tests.factories import order_body, stock

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


@pytest.fixture
def stocked(shop):
    stock(shop["wh_a"], shop["TEE"], 10)
    stock(shop["wh_a"], shop["MUG"], 10)
    return shop


def state() -> tuple:
    return (
        list(Order.objects.values_list("id", "version", "status", "current_total")),
        list(OrderLine.objects.values_list("id", "quantity_ordered", "unit_price")),
        list(StockBalance.objects.values_list("id", "on_hand", "committed")),
        StockMovement.objects.count(),
    )


def test_the_same_order_again_is_a_replay_that_changes_nothing(api, stocked):
    # Given a captured order
    first = api.post("/orders", order_body())
    before = state()
    # When the channel sends it again
    again = api.post("/orders", order_body())
    # Then the answer is the existing order, marked as a replay, and nothing changed
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert state() == before


def test_the_same_order_written_differently_is_the_same_order(api, stocked):
    # Given a captured order
    first = api.post("/orders", order_body(placed_at="2026-03-01T10:00:00+01:00"))
    before = state()
    # When the channel sends what says the same, written differently: amounts with other
    # trailing zeros, the time in another offset, keys in another order, defaults spelt out
    same = order_body(placed_at="2026-03-01T09:00:00Z", delivery_method="ship", tags=[])
    same["lines"] = [
        {"unit_price": "19.990", "quantity": 2, "sku": "TEE"},
        {"sku": "MUG", "quantity": 1, "unit_price": "9.5"},
    ]
    again = api.post("/orders", dict(reversed(list(same.items()))))
    # Then it is a replay
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["replayed"] is True
    assert state() == before


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body["lines"][0].update(quantity=3),
        lambda body: body["lines"].pop(),
        lambda body: body["shipping_address"].update(line1="Karl-Marx-Allee 5"),
        lambda body: body.update(tags=["vip"]),
    ],
    ids=["a quantity", "a line fewer", "the address", "a tag"],
)
def test_the_same_order_with_other_contents_is_409_order_exists(api, stocked, change):
    # Given a captured order
    first = api.post("/orders", order_body()).json()
    before = state()
    # When the channel sends the same external id with other contents
    changed = copy.deepcopy(order_body())
    change(changed)
    response = api.post("/orders", changed)
    # Then it is refused: 409 order_exists, naming the existing order and where to change it
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "order_exists"
    assert problem["existing"] == {"id": first["id"], "href": f"/api/v1/orders/{first['id']}"}
    assert problem["errors"] == [
        {"field": "external_id", "code": "order_exists", "message": problem["detail"]}
    ]
    assert f"POST /api/v1/orders/{first['id']}/edit" in problem["detail"]
    # and nothing changed
    assert state() == before


def test_an_order_captured_before_fingerprints_were_kept_replays(api, stocked):
    # Given an order captured by an earlier version (no fingerprint kept)
    first = api.post("/orders", order_body()).json()
    Order.objects.filter(pk=first["id"]).update(capture_fingerprint="")
    before = state()
    # When it is sent again with other contents
    changed = order_body()
    changed["lines"][0]["quantity"] = 3
    again = api.post("/orders", changed)
    # Then it cannot be compared, and replays as it did
    assert again.status_code == 200
    assert again.json()["replayed"] is True
    assert state() == before
