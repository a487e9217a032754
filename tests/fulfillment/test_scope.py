"""Object scope of fulfillment orders: a channel-limited token reaches its channels' work only;
a location-limited one works at its locations and hands over pickups at its store."""

from __future__ import annotations

import pytest

from ordino.fulfillment.models import FulfillmentOrder
from ordino.inventory.models import StockBalance, StockMovement
from tests.conftest import ApiClient
from tests.factories import make_channel, make_token, order_body, stock

pytestmark = pytest.mark.django_db

SHIP = {"carrier": "DHL", "service": "parcel", "tracking_numbers": ["JD0001"]}
WORK_STEPS = [
    ("accept", {}),
    ("pick", {}),
    ("pack", {}),
    ("hold", {"reason": "check"}),
    ("release", {}),
    ("ship", SHIP),
    ("reject", {"reason": "not_found"}),
    ("deliver", {}),
    ("ready-for-pickup", {}),
    ("picked-up", {"pickup_code": "123456"}),
]


def state() -> tuple:
    """What a refused step must leave as it was: stock, the ledger and every FO."""
    return (
        sorted(
            StockBalance.objects.values_list(
                "location_id", "sku_id", "on_hand", "committed", "unavailable"
            )
        ),
        StockMovement.objects.count(),
        sorted(FulfillmentOrder.objects.values_list("id", "status", "version")),
    )


def assert_not_found(response, code="fulfillment_order_not_found"):
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


@pytest.fixture
def market_order(api, shop):
    make_channel("market")
    stock(shop["wh_a"], shop["TEE"], 5)
    stock(shop["wh_a"], shop["MUG"], 5)
    order = api.post("/orders", order_body("M-1", channel="market")).json()
    return order, order["fulfillment_orders"][0]["id"]


@pytest.mark.parametrize(("step", "body"), WORK_STEPS)
def test_a_channel_token_never_reaches_another_channels_fulfillment_order(
    client, market_order, step, body
):
    # given a marketplace order's fulfillment order at WH-A, and a token limited to `web`
    _, fo = market_order
    web = ApiClient(client, make_token("fulfillment", name="web", channel_codes=["web"]))
    before = state()
    # when it reads it, lists the queue, or takes any step on it
    assert_not_found(web.get(f"/fulfillment/orders/{fo}"))
    assert web.get("/fulfillment/orders").json()["items"] == []
    response = web.post(f"/fulfillment/orders/{fo}/{step}", body)
    # then 404 as if it did not exist, and no stock, ledger row or status changed
    assert_not_found(response)
    assert state() == before


def test_a_reject_not_found_by_another_channel_writes_off_nothing(client, shop, market_order):
    # given the finding: a web-limited token rejected a marketplace FO with `not_found`
    _, fo = market_order
    web = ApiClient(client, make_token("fulfillment", name="web", channel_codes=["web"]))
    tees = StockBalance.objects.get(location=shop["wh_a"], sku=shop["TEE"])
    # when it tries again
    response = web.post(f"/fulfillment/orders/{fo}/reject", {"reason": "not_found"})
    # then 404, and the warehouse's tees are all still there
    assert_not_found(response)
    after = StockBalance.objects.get(location=shop["wh_a"], sku=shop["TEE"])
    assert (after.on_hand, after.committed) == (tees.on_hand, tees.committed) == (5, 2)


@pytest.fixture
def ship_to_store(api, shop):
    """Tees only at WH-B, an order to collect at STORE-1: the FO is WH-B's."""
    stock(shop["wh_b"], shop["TEE"], 3)
    order = api.post(
        "/orders",
        order_body(
            lines=[{"sku": "TEE", "quantity": 1, "unit_price": "10.00"}],
            delivery_method="ship_to_store",
            pickup_location="STORE-1",
        ),
    ).json()
    return order, order["fulfillment_orders"][0]["id"]


def test_the_pickup_store_hands_over_a_ship_to_store_order(client, shop, ship_to_store):
    # given the warehouse's token and the pickup store's token
    _, fo = ship_to_store
    warehouse = ApiClient(client, make_token("fulfillment", name="wh-b", location_codes=["WH-B"]))
    store = ApiClient(client, make_token("fulfillment", name="store", location_codes=["STORE-1"]))
    # then the store sees the FO it will hand over, in its queue and by id
    assert [f["id"] for f in store.get("/fulfillment/orders").json()["items"]] == [fo]
    assert store.get(f"/fulfillment/orders/{fo}").json()["location"] == "WH-B"
    # but the warehouse's work is not the store's: 404, nothing changed
    before = state()
    for step, body in WORK_STEPS[:8]:
        assert_not_found(store.post(f"/fulfillment/orders/{fo}/{step}", body))
    assert state() == before
    # when the warehouse ships it to the store
    assert warehouse.post(f"/fulfillment/orders/{fo}/ship", SHIP).status_code == 200
    # then only the store puts it out and hands it over (the warehouse is not at the counter)
    assert_not_found(warehouse.post(f"/fulfillment/orders/{fo}/ready-for-pickup", {}))
    assert FulfillmentOrder.objects.get(pk=fo).status == "shipped"
    ready = store.post(f"/fulfillment/orders/{fo}/ready-for-pickup", {})
    assert ready.status_code == 200, ready.content
    assert ready.json()["status"] == "ready_for_pickup"
    code = {"pickup_code": ready.json()["pickup_code"]}
    assert_not_found(warehouse.post(f"/fulfillment/orders/{fo}/picked-up", code))
    picked = store.post(f"/fulfillment/orders/{fo}/picked-up", code)
    assert picked.status_code == 200, picked.content
    assert picked.json()["status"] == "picked_up"


def test_a_pickup_store_reads_the_order_and_customer_it_hands_over(client, ship_to_store):
    # given the store of a ship-to-store order, with read scopes for orders and customers
    order, _ = ship_to_store
    store = ApiClient(
        client,
        make_token("orders:read customers:read", name="store", location_codes=["STORE-1"]),
    )
    # then it reads the order and its customer, and finds them in its lists
    assert store.get(f"/orders/{order['id']}").status_code == 200
    assert [o["id"] for o in store.get("/orders").json()["items"]] == [order["id"]]
    customer = order["customer_id"]
    assert store.get(f"/customers/{customer}").status_code == 200
    assert [c["id"] for c in store.get("/customers").json()["items"]] == [customer]
